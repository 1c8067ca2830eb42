import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ACCESS } from '../plugins/auth.js'
import { acceptStreamBodies, NDJSON, nonEmptyLines, type StreamBody } from '../plugins/content-types.js'
import { Problem } from '../problems.js'
import { BatchResult, RESPONSE_EXAMPLE, ResponseInput, StoredResponse } from '../schemas/responses.js'
import { batchSummary, conflictField } from '../domain/response-batch.js'
import { responseIntake, UnreadableRecord } from '../domain/responses.js'
import { rejectionProblem } from '../domain/response-records.js'

const MAX_BATCH = 100_000

const responses: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const tags = ['responses']
  acceptStreamBodies(app, app.initialConfig.bodyLimit as number)
  const intake = responseIntake(db)
  app.addSchema(ResponseInput)

  /** The client's scope: campaigns, and units (each covering its subtree); 403 before anything is stored. */
  const authorise = (request: FastifyRequest) => (campaignId: string, unitId: string | undefined, at: string) => {
    const client = request.client
    if (!client) return
    if (!client.campaigns.has(campaignId))
      throw new Problem('forbidden', `The key is not allowed to post to campaign ${campaignId}.`, [
        { in: 'body', pointer: `${at}/campaignId`, detail: "outside the key's campaigns" }
      ])
    if (unitId !== undefined && !client.units.has(unitId))
      throw new Problem('forbidden', 'The key is not allowed to post for this unit.', [
        { in: 'body', pointer: `${at}/unit`, detail: "outside the key's units" }
      ])
  }

  app.post(
    '/v1/responses',
    {
      config: { access: ACCESS.ingestion },
      schema: {
        tags,
        summary: 'Post one completed questionnaire',
        description: [
          "Validated against the campaign's questionnaire (item codes, answer codes, one answer per single-choice item, required items), its status (collecting), collection window and channels, and the key's scope (403 outside it).",
          "A response with a dossier code (`dossierCode`, MaHoSo) is linked to the campaign's frame record of that dossier, whether the frame is uploaded before or after it: it takes the record's unit, field and procedure (a posted value that contradicts the record is a 422 naming the field), and if the dossier was drawn in the sample it answers that slot, as one posted with `sampleSlotId` does (a slot and a dossier code that disagree are a 422). A campaign takes one response per dossier: another one is a 409 `already-answered`. The answer's `countsAs` says how the response counts.",
          '201 when stored (committed); a replay of the same external id with the same content is 200 `duplicate` with the original id, with other content a 409 `external-id-reused`. If the database fails the answer is 503 with Retry-After and nothing is stored: retry safely.'
        ].join('\n\n'),
        body: Type.Ref('ResponseInput'),
        response: { 200: StoredResponse, 201: StoredResponse }
      },
      // The record is checked by validateResponse against its questionnaire, with pointers into the body.
      validatorCompiler: () => () => true
    },
    async (request, reply) => {
      const { kept, results } = await intake.validate([request.body], true, authorise(request))
      const rejected = results.find((r) => r?.status === 'rejected')
      if (rejected) throw rejectionProblem(rejected.errors ?? [])
      const outcome = await intake.storeOne(request.client?.id ?? 'admin', kept[0])
      // The campaign left collecting between the check and the store.
      if (outcome.status === 'not-collecting')
        throw new Problem('campaign-not-collecting', 'The campaign stopped collecting; the response was not stored.', [
          { in: 'body', pointer: '/campaignId', detail: 'the campaign is not collecting' }
        ])
      if (outcome.status === 'conflict' || outcome.status === 'answered') {
        const reason = outcome.status === 'answered' ? 'already-answered' : 'external-id-reused'
        throw new Problem(
          reason,
          reason === 'already-answered'
            ? `Another response (${outcome.id}) already answers this dossier; the response was not stored.`
            : `A different response was already stored under this externalId (${outcome.id}).`,
          [conflictField({ id: outcome.id, reason }, '')],
          undefined,
          { existingId: outcome.id }
        )
      }
      return reply
        .code(outcome.status === 'accepted' ? 201 : 200)
        .send({ id: outcome.id, status: outcome.status, countsAs: kept[0].countsAs })
    }
  )

  app.post(
    '/v1/responses/batch',
    {
      config: { access: ACCESS.ingestion },
      schema: {
        tags,
        summary: 'Post many questionnaires: a JSON array, or NDJSON streamed (50,000+ per request)',
        description: [
          'Each record is a `ResponseInput`, checked and linked to its dossier as a single post is. The answer says, record by record, `accepted` or `duplicate` (a replay, with the original id), each with how it counts (`countsAs`), `conflict` (same external id with other content, or a dossier another response answers: its `type` tells which) or `rejected` (with the errors, as JSON pointers into the batch). Every valid record is stored even when others are rejected, unless `atomic=true`: then any rejection stores nothing (422).',
          'A record outside the key\'s campaigns or units makes the whole request a 403, with nothing stored. "Accepted" is said only after the commit.'
        ].join('\n\n'),
        querystring: Type.Object({ atomic: Type.Boolean({ default: false, description: 'All or nothing' }) }),
        body: {
          content: {
            'application/json': {
              schema: Type.Array(Type.Object({}, { additionalProperties: true, description: 'A ResponseInput' }), {
                maxItems: MAX_BATCH,
                examples: [[RESPONSE_EXAMPLE]]
              })
            },
            [NDJSON]: {
              schema: { description: 'One ResponseInput per line', examples: [JSON.stringify(RESPONSE_EXAMPLE) + '\n'] }
            }
          }
        },
        response: { 200: BatchResult }
      }
    },
    async (request) => {
      const records: unknown[] = []
      if (Array.isArray(request.body)) {
        records.push(...request.body)
      } else {
        for await (const line of nonEmptyLines(request.body as StreamBody)) {
          // A line that is not JSON is one rejected record, like any other malformed record, told where and why.
          try {
            records.push(JSON.parse(line.text))
          } catch (error) {
            records.push(new UnreadableRecord(`line ${line.number} is not valid JSON: ${(error as Error).message}`))
          }
          if (records.length > MAX_BATCH)
            throw new Problem('body-too-large', `At most ${MAX_BATCH} responses per request.`)
        }
      }
      const { kept, results } = await intake.validate(records, false, authorise(request))
      await intake.storeBatch(request.client?.id ?? 'admin', kept, results, request.query.atomic)
      return batchSummary(results)
    }
  )
}
export default responses
