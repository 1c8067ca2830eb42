import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACCESS } from '../plugins/auth.js'
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
import { assertPublishable, campaignPublications, publishComputation, toPublication } from '../domain/publications.js'
import { Computation, PublicationInfo as Publication } from '../schemas/results.js'

/** A computation is audited with the campaign it belongs to. */
const computed = (campaign: { id: string; provinceId: string }, row: { id: string; responses: number }) => ({
  ...campaignFacts(campaign, { computationId: row.id, responses: row.responses }),
  entity: 'computation',
  entityId: row.id
})

const results: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const { db } = app.database
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
        const { responses, results } = await computeCampaign(db, campaign.id)
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
      const run = runComputationJob(db, campaign.id, job.id).catch((error) => {
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

  app.post(
    '/v1/campaigns/:id/publications',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Publish a computation: frozen, versioned, public',
        description:
          'The campaign must be closed (it becomes published) or already published (the new version is a correction that replaces the previous one). A publication never changes afterwards: no route can alter it and the database refuses to.',
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
      const row = await app.audited(
        request,
        'publication.create',
        (tx) =>
          publishComputation(tx, campaign, request.body.computationId, request.actor as string, request.body.note),
        (published) => ({
          ...campaignFacts(
            campaign,
            { publicationId: published.id, version: published.version },
            published.replacesId ? { publicationId: published.replacesId } : null
          ),
          entity: 'publication',
          entityId: published.id
        })
      )
      return reply.code(201).send(toPublication(row))
    }
  )

  app.get(
    '/v1/campaigns/:id/publications',
    {
      schema: {
        tags,
        summary: "The campaign's publications, oldest first",
        params: IdParams,
        response: { 200: Type.Array(Publication) }
      }
    },
    async (request) => campaignPublications(db, request.params.id)
  )
}
export default results
