import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { BEARER } from '../plugins/auth.js'
import { Problem } from '../problems.js'
import { IdParams, Uuid } from '../schemas/common.js'
import { findCampaign, getCampaign, transitionCampaign, unitsByIds, campaignUnitIds } from '../db/queries/campaigns.js'
import { getInstrumentById } from '../db/queries/instruments.js'
import { getComputation, loadResponses, publicationsOf, publish, saveComputation } from '../db/queries/results.js'
import { campaignProgress } from '../db/queries/sample.js'
import { getUnit } from '../db/queries/units.js'
import { campaignResults } from '../domain/results.js'
import { answerColumns, type Instrument } from '../scoring/instrument.js'
import type { ScoringOptions } from '../scoring/methods.js'
import type { SampleDesign } from '../schemas/sample.js'
import { LonelyPsuError } from '../scoring/variance.js'

const Computation = Type.Object({
  id: Uuid,
  campaignId: Uuid,
  createdAt: Type.String({ format: 'date-time' }),
  responses: Type.Integer(),
  results: Type.Unknown({ description: 'The province and every unit: overall, factors, criteria, perception and expectation results with n, estimate, SE and 95% interval (percent, unrounded), response rate, rank and rank interval, gap to the 90%/95% targets, PAR INDEX points' })
}, { $id: 'Computation' })

const Publication = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  publishedAt: Type.String({ format: 'date-time' }),
  replacesId: Type.Union([Uuid, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()])
}, { $id: 'Publication' })

const results: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const admin = { preHandler: app.requireAdmin }
  const tags = ['results']

  app.post('/v1/campaigns/:id/computations', {
    ...admin,
    schema: {
      tags,
      summary: 'Compute the campaign\'s indices now, from the stored responses (a draft, for administrators)',
      description: 'Design-based: responses answering the drawn sample are weighted N_h/r_h within their stratum with the finite-population correction; self-selected ones (campaigns without a sample) are unweighted and flagged non-probability, without intervals. Methods are the campaign\'s scoring options.',
      security: BEARER,
      params: IdParams,
      response: { 201: Computation }
    }
  }, async (request, reply) => {
    const campaign = await findCampaign(db, request.params.id)
    const instrument = (await getInstrumentById(db, campaign.instrumentId))!.definition as Instrument
    const sampleDesign = campaign.sampled ? campaign.sampleDesign as SampleDesign | null : null
    if (campaign.sampled && !sampleDesign) throw new Problem('conflict', 'The campaign is sampled but has no sample yet.')
    const { batch, design } = await loadResponses(db, campaign.id, answerColumns(instrument), sampleDesign)
    const province = await getUnit(db, campaign.provinceId)
    const units = await unitsByIds(db, await campaignUnitIds(db, campaign.id))
    const progress = sampleDesign ? await campaignProgress(db, campaign.id, sampleDesign) : null
    let document
    try {
      document = campaignResults({
        batch,
        design,
        instrument,
        options: campaign.scoring as ScoringOptions,
        province: { id: province!.id, code: province!.code, name: province!.name, level: province!.level },
        units: units.map((u) => ({ id: u.id, code: u.code ?? u.agencyCode, name: u.name, level: u.level })),
        responseRate: (unitId) => progress === null ? null : unitId === null ? progress.total.responseRate : progress.units.find((u) => u.unitId === unitId)?.responseRate ?? null,
        parRule: campaign.parRule as never
      })
    } catch (error) {
      if (error instanceof LonelyPsuError) throw new Problem('conflict', `${error.message}.`)
      throw error
    }
    const c = await getCampaign(db, campaign.id)
    const full = { campaign: { id: c.id, name: c.name, year: c.year, provinceId: c.provinceId, instrument: c.instrument }, ...document }
    const row = await saveComputation(db, campaign.id, request.actor as string, batch.size, full)
    return reply.code(201).send({ id: row.id, campaignId: row.campaignId, createdAt: row.createdAt.toISOString(), responses: row.responses, results: row.results })
  })

  app.get('/v1/campaigns/:id/computations/:computationId', {
    ...admin,
    schema: { tags, summary: 'A computation (draft results)', security: BEARER, params: Type.Object({ id: Uuid, computationId: Uuid }), response: { 200: Computation } }
  }, async (request) => {
    const row = await getComputation(db, request.params.computationId)
    if (row.campaignId !== request.params.id) throw new Problem('not-found', 'No such computation in this campaign.')
    return { id: row.id, campaignId: row.campaignId, createdAt: row.createdAt.toISOString(), responses: row.responses, results: row.results }
  })

  app.post('/v1/campaigns/:id/publications', {
    ...admin,
    schema: {
      tags,
      summary: 'Publish a computation: frozen, versioned, public',
      description: 'The campaign must be closed (it becomes published) or already published (the new version is a correction that replaces the previous one). A publication never changes afterwards: no route can alter it and the database refuses to.',
      security: BEARER,
      params: IdParams,
      body: Type.Object({ computationId: Uuid, note: Type.Optional(Type.String({ maxLength: 2000, description: 'What a correction corrects' })) }, { additionalProperties: false }),
      response: { 201: Publication }
    }
  }, async (request, reply) => {
    const campaign = await findCampaign(db, request.params.id)
    if (!['closed', 'published'].includes(campaign.status)) throw new Problem('conflict', `The campaign is ${campaign.status}: results are published once it is closed.`)
    const row = await publish(db, campaign, request.body.computationId, request.actor as string, request.body.note)
    if (campaign.status === 'closed') await transitionCampaign(db, campaign.id, 'published', request.actor as string, `publication v${row.version}`)
    return reply.code(201).send({ id: row.id, version: row.version, publishedAt: row.publishedAt.toISOString(), replacesId: row.replacesId, note: row.note })
  })

  app.get('/v1/campaigns/:id/publications', {
    schema: { tags, summary: 'The campaign\'s publications, oldest first', params: IdParams, response: { 200: Type.Array(Publication) } }
  }, async (request) => (await publicationsOf(db, request.params.id)).map((p) => ({ ...p, publishedAt: p.publishedAt.toISOString() })))
}
export default results
