import { randomBytes } from 'node:crypto'
import Type from 'typebox'
import { stringify } from 'csv-stringify/sync'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ACCESS, assertUnit } from '../plugins/auth.js'
import { campaignFacts } from '../plugins/audit.js'
import { IdParams, Uuid } from '../schemas/common.js'
import {
  DrawRequest,
  DrawSummary,
  OutcomeInput,
  Progress,
  ReplacementInput,
  SampleDesign,
  SampleDesignRequest,
  SampleQuery,
  SampleSlot
} from '../schemas/sample.js'
import { findCampaign } from '../domain/campaigns.js'
import {
  campaignProgress,
  designOf,
  designSample,
  drawableDesignOf,
  drawAndStore,
  findSlot,
  recordOutcome,
  replaceSlot,
  sampleSlots,
  saveDesign
} from '../domain/sample.js'

const SlotParams = Type.Object({ id: Uuid, slotId: Uuid })
const CSV_COLUMNS = [
  'id',
  'dossierCode',
  'unitId',
  'stratum',
  'role',
  'reserveRank',
  'inclusionProbability',
  'baseWeight',
  'status',
  'replacesSlotId',
  'reason'
]

const sample: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const managers = { config: { access: ACCESS.managers, campaignScoped: true } }
  const fieldwork = { config: { access: ACCESS.fieldwork, campaignScoped: true } }
  const tags = ['sampling']

  /** A surveyor's slot must be in one of its units; 403 before anything changes. */
  const slotInScope = async (request: FastifyRequest<{ Params: { id: string; slotId: string } }>) => {
    const slot = await findSlot(db, request.params.id, request.params.slotId)
    assertUnit(request, slot.unitId, { in: 'params', pointer: '/slotId' })
    return slot
  }

  app.post(
    '/v1/campaigns/:id/sample-design',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Compute (and store) the sample size of every stratum, to look at before drawing',
        description:
          "From the frame's counts N_h: Yamane or Cochran with finite-population correction at the campaign's margin of error and confidence level, the minimum per unit, inflation by the expected response rate, an allocation across strata (proportional, equal, Neyman), then `overrides` by stratum. Post again to adjust; the design is fixed once the sample is drawn.",
        params: IdParams,
        body: SampleDesignRequest,
        response: { 200: SampleDesign }
      }
    },
    async (request) => {
      const { campaign, design } = await designSample(db, request.params.id, request.body)
      await app.audited(
        request,
        'sample.design',
        (tx) => saveDesign(tx, campaign.id, design),
        () => campaignFacts(campaign, { sampleSize: design.sampleSize })
      )
      return design
    }
  )

  app.get(
    '/v1/campaigns/:id/sample-design',
    {
      ...managers,
      schema: { tags, summary: 'The stored sample design', params: IdParams, response: { 200: SampleDesign } }
    },
    async (request) => (await designOf(db, request.params.id)).design
  )

  app.post(
    '/v1/campaigns/:id/sample',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Draw the sample, reproducibly from a seed, with ordered reserves per stratum',
        description:
          'Stratified SRSWOR (or systematic) with the PRNG and stream derivation documented in src/sampling/README.md: the same frame and seed give the same sample on any machine. Each slot records its inclusion probability and base weight N_h/n_h. The campaign must be in `sampling`.',
        params: IdParams,
        body: DrawRequest,
        response: { 201: DrawSummary }
      }
    },
    async (request, reply) => {
      const { campaign, design } = await drawableDesignOf(db, request.params.id)
      const seed = request.body.seed ?? randomBytes(8).toString('hex')
      return reply.code(201).send(
        await app.audited(
          request,
          'sample.draw',
          (tx) => drawAndStore(tx, campaign.id, design, seed),
          (draw) => campaignFacts(campaign, { seed, main: draw.main, reserves: draw.reserves })
        )
      )
    }
  )

  app.get(
    '/v1/campaigns/:id/sample',
    {
      ...fieldwork,
      schema: {
        tags,
        summary: 'Export the drawn sample for surveyors (JSON or CSV)',
        description:
          'Without `include=contacts` no personal data is in the export. With it, the sealed contact details are opened and the read is logged (campaign, count; never the values). A surveyor gets the slots of its own units only.',
        params: IdParams,
        querystring: SampleQuery,
        response: {
          200: {
            content: { 'application/json': { schema: Type.Array(SampleSlot) }, 'text/csv': { schema: Type.String() } }
          }
        }
      }
    },
    async (request, reply) => {
      const contacts = request.query.include === 'contacts'
      const within = request.role === 'surveyor' ? request.client?.units : undefined
      const slots = await sampleSlots(db, app.sealer, request.params.id, { ...request.query, contacts, within })
      if (contacts)
        request.log.info(
          { campaign: request.params.id, records: slots.length, actor: request.actor },
          'contact details read'
        )
      if (request.query.format === 'csv') {
        const columns = contacts ? [...CSV_COLUMNS, 'name', 'phone', 'email'] : CSV_COLUMNS
        const rows = slots.map((s) => ({ ...s, ...(s as { contact?: object }).contact }))
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="sample-${request.params.id}.csv"`)
          .send(stringify(rows, { header: true, columns }))
      }
      return slots
    }
  )

  app.patch(
    '/v1/campaigns/:id/sample/:slotId',
    {
      ...fieldwork,
      schema: {
        tags,
        summary: 'Record a contact outcome',
        params: SlotParams,
        body: OutcomeInput,
        response: { 200: SampleSlot }
      }
    },
    async (request) => {
      const campaign = await findCampaign(db, request.params.id)
      const slot = await slotInScope(request)
      return app.audited(
        request,
        'sample.outcome',
        (tx) => recordOutcome(tx, campaign.id, slot.id, request.body.status, request.body.note),
        (updated) => ({
          ...campaignFacts(campaign, { status: updated.status }, { status: slot.status }),
          entity: 'sample-slot',
          entityId: slot.id
        })
      )
    }
  )

  app.post(
    '/v1/campaigns/:id/sample/:slotId/replacement',
    {
      ...fieldwork,
      schema: {
        tags,
        summary: 'Replace a person who cannot be interviewed by the next reserve of the stratum',
        description:
          'The slot keeps its outcome (refused, unreachable, ineligible) and the reason; the next reserve in draw order is released with a link to it. Reserves count as drawn in the response rate, so replacement does not inflate it.',
        params: SlotParams,
        body: ReplacementInput,
        response: { 201: SampleSlot }
      }
    },
    async (request, reply) => {
      const campaign = await findCampaign(db, request.params.id)
      const slot = await slotInScope(request)
      const reserve = await app.audited(
        request,
        'sample.replacement',
        (tx) => replaceSlot(tx, campaign.id, slot.id, request.body.reason, request.body.note),
        (released) => ({
          ...campaignFacts(campaign, { slotId: released.id }, { slotId: slot.id }),
          entity: 'sample-slot',
          entityId: slot.id
        })
      )
      return reply.code(201).send(reserve)
    }
  )

  app.get(
    '/v1/campaigns/:id/progress',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Fieldwork progress and response rate, per stratum and unit',
        params: IdParams,
        response: { 200: Progress }
      }
    },
    async (request) => {
      const { campaign, design } = await designOf(db, request.params.id)
      return campaignProgress(db, campaign.id, design)
    }
  )
}
export default sample
