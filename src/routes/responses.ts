import Type from 'typebox'
import { Compile } from 'typebox/compile'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ACCESS } from '../plugins/auth.js'
import { acceptStreamBodies, NDJSON, nonEmptyLines, type StreamBody } from '../plugins/content-types.js'
import { Problem } from '../problems.js'
import { BatchResult, RESPONSE_EXAMPLE, ResponseInput, StoredResponse } from '../schemas/responses.js'
import { campaignContext, slotsById, storeResponses } from '../db/queries/responses.js'
import { responseQueue } from '../db/queries/response-queue.js'
import { validateResponse, type CampaignContext, type RecordError, type ValidResponse } from '../domain/response-records.js'

const checkInput = Compile(ResponseInput)
const MAX_BATCH = 100_000

type Result = {
  index: number
  externalId: string
  status: 'accepted' | 'duplicate' | 'conflict' | 'rejected'
  id?: string
  errors?: RecordError[]
}

/** Schema errors of one record, one per field (a missing property is named by its own pointer). */
function schemaErrors(value: unknown, base: string): RecordError[] {
  return checkInput.Errors(value).flatMap((e) => {
    const missing = (e.params as { requiredProperties?: string[] }).requiredProperties
    return missing
      ? missing.map((p) => ({ pointer: `${base}${e.instancePath}/${p}`, detail: 'is required' }))
      : [{ pointer: `${base}${e.instancePath}`, detail: e.message }]
  })
}

const responses: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const tags = ['responses']
  acceptStreamBodies(app, app.initialConfig.bodyLimit as number)
  // Single posts arriving together are written together (one statement, one commit).
  const singles = responseQueue(db)
  app.addSchema(ResponseInput)

  // The questionnaire and scope of a campaign no longer change once it collects: read them once. That it
  // still collects is checked again by the INSERT itself (storeResponses).
  const contexts = new Map<string, Promise<CampaignContext>>()
  const contextOf = async (campaignId: string): Promise<CampaignContext> => {
    let context = contexts.get(campaignId)
    if (!context) {
      context = campaignContext(db, campaignId)
      contexts.set(campaignId, context)
      context.catch(() => contexts.delete(campaignId))
    }
    const loaded = await context
    // Not collecting yet (or any more): read it afresh next time, it may have moved on.
    if (loaded.status !== 'collecting') contexts.delete(campaignId)
    return loaded
  }

  /** The client's scope: campaigns, and units (each covering its subtree); 403 before anything is stored. */
  const authorise = (request: FastifyRequest, campaignId: string, unitId: string | undefined, at: string) => {
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

  /** Validation of a whole batch: schema, campaign, questionnaire, scope, sample slots. */
  async function validateAll(request: FastifyRequest, records: unknown[], single: boolean) {
    const valid: Array<{ index: number; response: ValidResponse }> = []
    const results: Result[] = []
    const wellFormed = records.map((r) => checkInput.Check(r))
    const campaignIds = [
      ...new Set(records.flatMap((r, i) => (wellFormed[i] ? [(r as ResponseInput).campaignId] : [])))
    ]
    const contextById = new Map<string, CampaignContext>()
    for (const id of campaignIds) {
      try {
        contextById.set(id, await contextOf(id))
      } catch (error) {
        if (!(error instanceof Problem && error.slug === 'not-found')) throw error
      }
    }
    records.forEach((record, index) => {
      const base = single ? '' : `/${index}`
      const externalId =
        typeof (record as { externalId?: unknown })?.externalId === 'string' ? (record as ResponseInput).externalId : ''
      if (!wellFormed[index]) {
        results[index] = { index, externalId, status: 'rejected', errors: schemaErrors(record, base) }
        return
      }
      const input = record as ResponseInput
      const context = contextById.get(input.campaignId)
      authorise(request, input.campaignId, undefined, base)
      if (!context) {
        results[index] = {
          index,
          externalId,
          status: 'rejected',
          errors: [{ pointer: `${base}/campaignId`, detail: 'no such campaign' }]
        }
        return
      }
      const outcome = validateResponse(input, context, base)
      if ('errors' in outcome) {
        results[index] = { index, externalId, status: 'rejected', errors: outcome.errors }
        return
      }
      authorise(request, input.campaignId, outcome.response.unitId, base)
      valid.push({ index, response: outcome.response })
    })
    const slots = await slotsById(
      db,
      valid.flatMap((v) => (v.response.slotId ? [v.response.slotId] : []))
    )
    const kept = valid.filter(({ index, response }) => {
      if (response.slotId === null) return true
      const slot = slots.get(response.slotId)
      const base = single ? '' : `/${index}`
      const problem =
        !slot || slot.campaignId !== response.campaignId
          ? 'no such sample slot in the campaign'
          : slot.unitId !== response.unitId
            ? 'the sample slot belongs to another unit'
            : slot.status === 'reserve'
              ? 'the sample slot is an unreleased reserve'
              : null
      if (problem)
        results[index] = {
          index,
          externalId: response.externalId,
          status: 'rejected',
          errors: [{ pointer: `${base}/sampleSlotId`, detail: problem }]
        }
      return problem === null
    })
    return { kept, results }
  }

  /**
   * Stores the valid records in one transaction. A record repeating an external id already in the batch is
   * answered like a replay of that first one.
   */
  async function store(
    request: FastifyRequest,
    kept: Array<{ index: number; response: ValidResponse }>,
    results: Result[],
    atomic: boolean
  ) {
    const clientId = request.client?.id ?? 'admin'
    const first = new Map<string, { index: number; response: ValidResponse }>()
    const unique = kept.filter((k) => {
      const key = `${k.response.campaignId}\u0000${k.response.externalId}`
      if (first.has(key)) return false
      first.set(key, k)
      return true
    })
    const write = async (target: typeof db) => {
      const outcomes = await storeResponses(
        target,
        unique.map(() => clientId),
        unique.map((k) => k.response)
      )
      unique.forEach((k, i) => {
        const outcome = outcomes[i]
        results[k.index] =
          outcome.status === 'not-collecting'
            ? {
                index: k.index,
                externalId: k.response.externalId,
                status: 'rejected',
                errors: [{ pointer: `/${k.index}/campaignId`, detail: 'the campaign is not collecting' }]
              }
            : { index: k.index, externalId: k.response.externalId, ...outcome }
      })
      for (const k of kept) {
        if (results[k.index]) continue
        const original = first.get(`${k.response.campaignId}\u0000${k.response.externalId}`)!
        const stored = results[original.index]
        results[k.index] =
          stored.status === 'rejected'
            ? { ...stored, index: k.index }
            : {
                index: k.index,
                externalId: k.response.externalId,
                id: stored.id,
                status:
                  original.response.contentHash === k.response.contentHash && stored.status !== 'conflict'
                    ? 'duplicate'
                    : 'conflict'
              }
      }
      if (atomic && results.some((r) => r.status === 'rejected' || r.status === 'conflict')) {
        throw new Problem(
          'unprocessable',
          'The batch is all or nothing and some records are rejected or conflict: nothing was stored.',
          results.flatMap((r) =>
            r.status === 'rejected'
              ? (r.errors ?? []).map((e) => ({ in: 'body' as const, ...e }))
              : r.status === 'conflict'
                ? [
                    {
                      in: 'body' as const,
                      pointer: `/${r.index}/externalId`,
                      detail: `conflicts with response ${r.id}`
                    }
                  ]
                : []
          )
        )
      }
    }
    // One INSERT is atomic by itself; marking sample slots, or all-or-nothing, needs a transaction around it.
    if (atomic || unique.some((k) => k.response.slotId !== null)) await db.transaction((tx) => write(tx as never))
    else await write(db)
  }

  const summary = (results: Result[]) => ({
    accepted: results.filter((r) => r.status === 'accepted').length,
    duplicate: results.filter((r) => r.status === 'duplicate').length,
    conflict: results.filter((r) => r.status === 'conflict').length,
    rejected: results.filter((r) => r.status === 'rejected').length,
    results
  })

  app.post(
    '/v1/responses',
    {
      config: { access: ACCESS.ingestion },
      schema: {
        tags,
        summary: 'Post one completed questionnaire',
        description: [
          "Validated against the campaign's questionnaire (item codes, answer codes, one answer per single-choice item, required items), its status (collecting), collection window and channels, and the key's scope (403 outside it).",
          '201 when stored (committed); a replay of the same external id with the same content is 200 `duplicate` with the original id, with other content a 409. If the database fails the answer is 503 with Retry-After and nothing is stored: retry safely.'
        ].join('\n\n'),
        body: Type.Ref('ResponseInput'),
        response: { 200: StoredResponse, 201: StoredResponse }
      },
      // The record is checked by validateResponse against its questionnaire, with pointers into the body.
      validatorCompiler: () => () => true
    },
    async (request, reply) => {
      const { kept, results } = await validateAll(request, [request.body], true)
      const rejected = results.find((r) => r?.status === 'rejected')
      if (rejected)
        throw new Problem(
          'unprocessable',
          'The response is not valid for its campaign.',
          (rejected.errors ?? []).map((e) => ({ in: 'body' as const, ...e }))
        )
      const outcome = await singles.store(request.client?.id ?? 'admin', kept[0].response)
      if (outcome.status === 'not-collecting')
        throw new Problem('unprocessable', 'The response is not valid for its campaign.', [
          { in: 'body', pointer: '/campaignId', detail: 'the campaign is not collecting' }
        ])
      if (outcome.status === 'conflict')
        throw new Problem(
          'conflict',
          `A different response was already stored under this externalId (${outcome.id}).`,
          [{ in: 'body', pointer: '/externalId', detail: `conflicts with response ${outcome.id}` }]
        )
      return reply.code(outcome.status === 'accepted' ? 201 : 200).send({ id: outcome.id, status: outcome.status })
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
          'Each record is a `ResponseInput`. The answer says, record by record, `accepted`, `duplicate` (a replay, with the original id), `conflict` (same external id, other content) or `rejected` (with the errors, as JSON pointers into the batch). Every valid record is stored even when others are rejected, unless `atomic=true`: then any rejection stores nothing (422).',
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
          // A line that is not JSON is one rejected record, like any other malformed record.
          try {
            records.push(JSON.parse(line))
          } catch {
            records.push(line)
          }
          if (records.length > MAX_BATCH)
            throw new Problem('body-too-large', `At most ${MAX_BATCH} responses per request.`)
        }
      }
      const { kept, results } = await validateAll(request, records, false)
      await store(request, kept, results, request.query.atomic)
      return summary(results)
    }
  )
}
export default responses
