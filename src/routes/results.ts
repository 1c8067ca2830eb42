import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACCESS, coversUnit } from '../plugins/auth.js'
import { campaignFacts } from '../plugins/audit.js'
import type { Config } from '../config.js'
import { IdParams, Uuid } from '../schemas/common.js'
import { findCampaign } from '../domain/campaigns.js'
import {
  campaignComputation,
  computeCampaign,
  countResponses,
  failInterruptedJobs,
  runComputationJob,
  saveComputation,
  toComputation
} from '../domain/computation.js'
import {
  approvePublication,
  assertPublishable,
  campaignPublications,
  draftPublication,
  managedReport
} from '../domain/publications.js'
import { ApprovalInput, Computation, PublicationInfo as Publication, type PublicationInfo } from '../schemas/results.js'

/** A computation is audited with the campaign it belongs to. */
const computed = (campaign: { id: string; provinceId: string }, row: { id: string; responses: number }) => ({
  ...campaignFacts(campaign, { computationId: row.id, responses: row.responses }),
  entity: 'computation',
  entityId: row.id
})

const results: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const { db } = app.database
  const source = { db, databaseUrl: app.database.url }
  const managers = { config: { access: ACCESS.managers, campaignScoped: true } }
  const tags = ['results']

  // Jobs run in this process; the app waits for them when it closes.
  const jobs = new Set<Promise<void>>()
  app.setUpDatabase(() => failInterruptedJobs(db))
  app.addHook('onClose', async () => {
    await Promise.allSettled(jobs)
  })

  app.post(
    '/v1/campaigns/:id/computations',
    {
      ...managers,
      schema: {
        tags,
        summary: "Compute the campaign's indices from the stored responses (a draft, for administrators)",
        description: [
          "Design-based: responses answering the drawn sample are weighted N_h/r_h within their stratum with the finite-population correction; self-selected ones (campaigns without a sample) are unweighted and flagged non-probability, without intervals. Methods are the campaign's scoring options.",
          `A campaign of more than COMPUTE_JOB_THRESHOLD responses (or \`?mode=job\`) is computed as a job: 202 with the computation, \`status: running\` and its \`progress\`; poll \`GET …/computations/{id}\` until \`done\` (or \`failed\`).`
        ].join('\n\n'),
        params: IdParams,
        querystring: Type.Object({ mode: Type.Optional(Type.Enum(['wait', 'job'])) }),
        response: { 201: Computation, 202: Computation }
      }
    },
    async (request, reply) => {
      const campaign = await findCampaign(db, request.params.id)
      const actor = request.actor as string
      // Counted once: it decides the mode and is the job's announced size.
      const count = request.query.mode === 'wait' ? 0 : await countResponses(db, campaign.id)
      const asJob =
        request.query.mode === 'job' || (request.query.mode !== 'wait' && count > config.computeJobThreshold)
      if (!asJob) {
        const { responses, results } = await computeCampaign(source, campaign.id)
        const saved = await app.audited(
          request,
          'computation.create',
          (tx) => saveComputation(tx, campaign.id, actor, responses, results),
          (row) => computed(campaign, row)
        )
        return reply.code(201).send(toComputation(saved))
      }
      const job = await app.audited(
        request,
        'computation.create',
        (tx) => saveComputation(tx, campaign.id, actor, count, null),
        (row) => computed(campaign, row)
      )
      const run = runComputationJob(source, campaign.id, job.id).catch((error) => {
        app.log.error({ err: error }, 'a computation job could not record its end')
      })
      jobs.add(run)
      void run.finally(() => jobs.delete(run))
      return reply
        .code(202)
        .header('location', `/v1/campaigns/${campaign.id}/computations/${job.id}`)
        .send(toComputation(job))
    }
  )

  app.get(
    '/v1/campaigns/:id/computations/:computationId',
    {
      ...managers,
      schema: {
        tags,
        summary: 'A computation: its status and progress, and once done its (draft) results',
        params: Type.Object({ id: Uuid, computationId: Uuid }),
        response: { 200: Computation }
      }
    },
    async (request) => campaignComputation(db, request.params.id, request.params.computationId)
  )

  const publicationFacts = (
    campaign: { id: string; provinceId: string },
    publication: PublicationInfo,
    after: Record<string, unknown>,
    before: Record<string, unknown> | null = null
  ) => ({
    ...campaignFacts(campaign, { publicationId: publication.id, version: publication.version, ...after }, before),
    entity: 'publication',
    entityId: publication.id
  })

  app.post(
    '/v1/campaigns/:id/publications',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Freeze a computation as a draft publication, for approval',
        description:
          "The campaign must be closed or already published (the new version is then a correction of the published one). The draft is frozen at once — no route can alter it and the database refuses to — but it is not public: only the campaign's managers see it (and its report, marked DỰ THẢO) until its approval publishes it. A later draft supersedes an unapproved one.",
        params: IdParams,
        body: Type.Object(
          {
            computationId: Uuid,
            note: Type.Optional(Type.String({ maxLength: 2000, description: 'What a correction corrects' }))
          },
          { additionalProperties: false }
        ),
        response: { 201: Publication }
      }
    },
    async (request, reply) => {
      const campaign = await findCampaign(db, request.params.id)
      await assertPublishable(db, campaign)
      const draft = await app.audited(
        request,
        'publication.create',
        (tx) => draftPublication(tx, campaign, request.body.computationId, request.actor as string, request.body.note),
        (created) =>
          publicationFacts(
            campaign,
            created,
            { status: created.status },
            created.replacesId ? { publicationId: created.replacesId } : null
          )
      )
      return reply.code(201).send(draft)
    }
  )

  app.post(
    '/v1/campaigns/:id/publications/:publicationId/approval',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Approve a draft publication: record the decision, then publish it',
        description: [
          "Records who approved the results (the name and position on the decision, e.g. the Chairman of the Provincial People's Committee), the decision's number and date, and optionally the SHA-256 of the signed document, with the key that recorded it, in the audit log too. The draft is then published: public, announced to the webhooks' subscribers, and a closed campaign becomes published.",
          "The province's administrator records the approval of its own campaigns (and the system administrator of any): the key stands for the office that received the signed decision. Only the latest draft can be approved, once."
        ].join('\n\n'),
        params: Type.Object({ id: Uuid, publicationId: Uuid }),
        body: ApprovalInput,
        response: { 201: Publication }
      }
    },
    async (request, reply) => {
      const campaign = await findCampaign(db, request.params.id)
      const published = await app.audited(
        request,
        'publication.approve',
        (tx) => approvePublication(tx, campaign, request.params.publicationId, request.body, request.actor as string),
        (approved) =>
          publicationFacts(
            campaign,
            approved,
            {
              status: approved.status,
              decisionNumber: request.body.decisionNumber,
              decisionDate: request.body.decisionDate,
              documentSha256: request.body.documentSha256 ?? null
            },
            { publicationId: approved.id, status: 'draft' }
          )
      )
      return reply.code(201).send(published)
    }
  )

  app.get(
    '/v1/campaigns/:id/publications',
    {
      schema: {
        tags,
        summary: "The campaign's publications, oldest first",
        description:
          "Public: the published ones. With a key of the campaign's managers (the system administrator, the province's administrator), its drafts too.",
        params: IdParams,
        response: { 200: Type.Array(Publication) }
      }
    },
    async (request) => {
      const campaign = await findCampaign(db, request.params.id)
      const manages =
        request.role === 'admin' || (request.role === 'province-admin' && coversUnit(request, campaign.provinceId))
      return campaignPublications(db, campaign.id, manages)
    }
  )

  app.get(
    '/v1/campaigns/:id/publications/:publicationId/report',
    {
      ...managers,
      schema: {
        tags,
        summary: 'The printable report of a publication, draft or published (HTML, in Vietnamese)',
        description:
          "For reading a draft before approving it: a draft's report says DỰ THẢO (draft) on every printed page; a published one shows its approval. The public report of a published one is `GET /v1/public/publications/{id}/report`.",
        params: Type.Object({ id: Uuid, publicationId: Uuid }),
        response: { 200: { content: { 'text/html': { schema: Type.String() } } } }
      }
    },
    async (request, reply) => {
      const html = await managedReport(db, request.params.id, request.params.publicationId)
      return reply.type('text/html; charset=utf-8').send(html)
    }
  )
}
export default results
