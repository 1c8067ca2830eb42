/**
 * The rules of a batch of responses, apart from storing it: a record repeating an external id already in the
 * batch is answered like a replay of the first one, and an all-or-nothing batch stores nothing when any
 * record is rejected or conflicts. Pure: the caller validates and stores.
 */
import type { StoreOutcome } from '../db/queries/responses.js'
import { Problem, problemTypeUri } from '../problems.js'
import type { CountsAs } from './response-links.js'
import { asFieldErrors, rejectionOf, type RecordError, type ValidResponse } from './response-records.js'

export type { StoreOutcome }

export type RecordResult = {
  index: number
  externalId: string
  status: 'accepted' | 'duplicate' | 'conflict' | 'rejected'
  id?: string
  errors?: RecordError[]
  /** For a conflict: the external id was used for other content, or the dossier already has a response. */
  reason?: ConflictReason
  /** For an accepted or duplicate record: how it counts. */
  countsAs?: CountsAs
}

export type ConflictReason = 'external-id-reused' | 'already-answered'

export interface KeptRecord {
  index: number
  response: ValidResponse
  countsAs: CountsAs
}

const batchKey = (r: ValidResponse) => `${r.campaignId}\u0000${r.externalId}`

/** The first record of each (campaign, external id): the ones to store. */
export function firstOfEachKey(kept: readonly KeptRecord[]): KeptRecord[] {
  const seen = new Set<string>()
  return kept.filter((k) => {
    const key = batchKey(k.response)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Fills `results` from the outcomes of storing `unique` (in order), then answers each repeat in `kept` like
 * its first record: rejected with it, else a duplicate when its content is the same and the first was not a
 * conflict, else a conflict.
 */
export function answerBatch(
  kept: readonly KeptRecord[],
  unique: readonly KeptRecord[],
  outcomes: readonly StoreOutcome[],
  results: RecordResult[]
): void {
  const first = new Map(unique.map((k) => [batchKey(k.response), k]))
  unique.forEach((k, i) => {
    results[k.index] = resultOf(k, outcomes[i])
  })
  for (const k of kept) {
    if (results[k.index]) continue
    const original = first.get(batchKey(k.response))!
    const stored = results[original.index]
    results[k.index] =
      stored.status === 'rejected'
        ? { ...stored, index: k.index }
        : original.response.contentHash === k.response.contentHash && stored.status !== 'conflict'
          ? {
              index: k.index,
              externalId: k.response.externalId,
              id: stored.id,
              status: 'duplicate',
              countsAs: k.countsAs
            }
          : {
              index: k.index,
              externalId: k.response.externalId,
              id: stored.id,
              status: 'conflict',
              reason: stored.reason ?? 'external-id-reused'
            }
  }
}

/** A stored record's result: how it counts when it is stored (or was), else why not. */
function resultOf(k: KeptRecord, outcome: StoreOutcome): RecordResult {
  const { index } = k
  const { externalId } = k.response
  switch (outcome.status) {
    case 'not-collecting':
      return {
        index,
        externalId,
        status: 'rejected',
        errors: [
          {
            pointer: `/${index}/campaignId`,
            detail: 'the campaign is not collecting',
            problem: 'campaign-not-collecting'
          }
        ]
      }
    case 'conflict':
      return { index, externalId, status: 'conflict', id: outcome.id, reason: 'external-id-reused' }
    case 'answered':
      return { index, externalId, status: 'conflict', id: outcome.id, reason: 'already-answered' }
    default:
      return { index, externalId, status: outcome.status, id: outcome.id, countsAs: k.countsAs }
  }
}

/** Why an all-or-nothing batch stores nothing (every rejected field and conflict), or null when it may. */
export function atomicRefusal(results: readonly RecordResult[]): Problem | null {
  if (!results.some((r) => r.status === 'rejected' || r.status === 'conflict')) return null
  return new Problem(
    'batch-refused',
    'The batch is all or nothing and some records are rejected or conflict: nothing was stored.',
    results.flatMap((r) =>
      r.status === 'rejected'
        ? asFieldErrors(r.errors ?? [])
        : r.status === 'conflict'
          ? [conflictField(r, `/${r.index}`)]
          : []
    )
  )
}

/** The field a conflict is about: the external id reused, or the dossier answered already. */
export const conflictField = (r: Pick<RecordResult, 'id' | 'reason'>, base: string) =>
  r.reason === 'already-answered'
    ? { in: 'body' as const, pointer: `${base}/dossierCode`, detail: `the dossier already has response ${r.id}` }
    : { in: 'body' as const, pointer: `${base}/externalId`, detail: `conflicts with response ${r.id}` }

/** The problem type a single POST of the record would answer, so a batch's poster branches as it would there. */
const problemOf = (r: RecordResult): string | undefined =>
  r.status === 'rejected'
    ? problemTypeUri(rejectionOf(r.errors ?? []))
    : r.status === 'conflict'
      ? problemTypeUri(r.reason ?? 'external-id-reused')
      : undefined

export const batchSummary = (results: RecordResult[]) => ({
  accepted: results.filter((r) => r.status === 'accepted').length,
  duplicate: results.filter((r) => r.status === 'duplicate').length,
  conflict: results.filter((r) => r.status === 'conflict').length,
  rejected: results.filter((r) => r.status === 'rejected').length,
  results: results.map((r) => {
    const type = problemOf(r)
    if (type === undefined) return r
    // A conflict's reason is told by its problem type.
    const { reason: _told, ...shown } = r
    return { ...shown, type }
  })
})
