import type { Test } from 'tap'
import pg from 'pg'
import type { App } from '../../src/app.js'
import { response } from './collecting.js'

/**
 * Responses posted while something breaks, and the checks of what a client may rely on afterwards: every
 * answer is a success or a 503 with Retry-After; retrying what got no success succeeds; each external id
 * ends up stored exactly once, under the id it was answered with, and nothing else is stored.
 */
export type Kind = 'single' | 'batch' | 'atomic'
export interface Delivery {
  kind: Kind
  records: Array<ReturnType<typeof response>>
}
export interface Answer {
  status: number
  headers: Record<string, unknown>
  body: string
}
/** Posts one delivery; rejects when no answer came at all (the connection was lost). */
export type Send = (delivery: Delivery) => Promise<Answer>

/** `count` deliveries of each kind, with `size` records each (a single POST holds one). */
export function deliveries(campaignId: string, plan: Array<{ kind: Kind; count: number; size?: number }>): Delivery[] {
  return plan.flatMap(({ kind, count, size = 1 }) =>
    Array.from({ length: count }, () => ({
      kind,
      records: Array.from({ length: kind === 'single' ? 1 : size }, () => response(campaignId))
    }))
  )
}

/** The HTTP request of a delivery: a single POST, an NDJSON batch, or an all-or-nothing JSON batch. */
export function httpRequest({ kind, records }: Delivery): { url: string; contentType: string; payload: string } {
  if (kind === 'single')
    return { url: '/v1/responses', contentType: 'application/json', payload: JSON.stringify(records[0]) }
  if (kind === 'batch')
    return {
      url: '/v1/responses/batch',
      contentType: 'application/x-ndjson',
      payload: records.map((r) => JSON.stringify(r)).join('\n') + '\n'
    }
  return { url: '/v1/responses/batch?atomic=true', contentType: 'application/json', payload: JSON.stringify(records) }
}

/** Posts to an in-process app with the client's key. */
export function injectSend(app: App, key: Record<string, string>): Send {
  return async (delivery) => {
    const { url, contentType, payload } = httpRequest(delivery)
    const res = await app.inject({ method: 'POST', url, headers: { ...key, 'content-type': contentType }, payload })
    return { status: res.statusCode, headers: res.headers, body: res.body }
  }
}

type Outcome = { status: string; externalId: string; id: string }

/** What a success says of each record (external id → status and id); null when the answer is not a success. */
function outcomes(delivery: Delivery, answer: Answer): Outcome[] | null {
  if (delivery.kind === 'single') {
    if (answer.status !== 201 && answer.status !== 200) return null
    const { status, id } = JSON.parse(answer.body) as { status: string; id: string }
    return [{ status, id, externalId: delivery.records[0].externalId }]
  }
  return answer.status === 200 ? (JSON.parse(answer.body) as { results: Outcome[] }).results : null
}

/** An answer is a success storing every record, or a 503 problem with Retry-After: never a 500, never a hang. */
export function checkAnswer(t: Test, delivery: Delivery, answer: Answer | null, label: string): void {
  if (answer === null) return
  const stored = outcomes(delivery, answer)
  if (stored) {
    t.ok(
      stored.every((r) => r.status === 'accepted' || r.status === 'duplicate'),
      `${label}: every record stored`,
      { found: stored.map((r) => r.status) }
    )
    return
  }
  t.equal(answer.status, 503, `${label}: a success or a 503, not ${answer.status} ${answer.body.slice(0, 300)}`)
  t.ok(Number(answer.headers['retry-after']) > 0, `${label}: Retry-After`)
  t.equal(
    (JSON.parse(answer.body) as { type: string }).type,
    '/problems/service-unavailable',
    `${label}: the service-unavailable problem`
  )
}

/**
 * Retries every delivery that got no success, once; each retry must succeed, and must find its records
 * wholly stored (all duplicates) or not at all (all accepted): never half. Returns external id → id as
 * the clients were told.
 */
export async function retryUnanswered(
  t: Test,
  send: Send,
  sent: Array<{ delivery: Delivery; answer: Answer | null }>
): Promise<Map<string, string>> {
  const told = new Map<string, string>()
  for (const { delivery, answer } of sent) {
    let stored = answer && outcomes(delivery, answer)
    if (!stored) {
      const retry = await send(delivery)
      stored = outcomes(delivery, retry)
      if (!stored) {
        t.fail(`retry of a ${delivery.kind} delivery: ${retry.status} ${retry.body.slice(0, 300)}`)
        continue
      }
      const statuses = new Set(stored.map((r) => r.status))
      t.ok(
        statuses.size === 1 && (statuses.has('accepted') || statuses.has('duplicate')),
        `retry of a ${delivery.kind} delivery of ${delivery.records.length} finds it wholly stored or not at all`,
        { found: [...statuses] }
      )
    }
    for (const r of stored) told.set(r.externalId, r.id)
  }
  return told
}

/** The table holds each external id exactly once, under the id its client was told, and nothing else. */
export async function checkStored(t: Test, databaseUrl: string, told: Map<string, string>): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ external_id: string; id: string }>('select external_id, id from responses')
    const byExternalId = new Map<string, string[]>()
    for (const r of rows) byExternalId.set(r.external_id, [...(byExternalId.get(r.external_id) ?? []), r.id])
    const wrong = [...told].filter(
      ([externalId, id]) => byExternalId.get(externalId)?.length !== 1 || byExternalId.get(externalId)![0] !== id
    )
    t.same(wrong, [], 'every record stored exactly once, under the id its client was told')
    t.equal(rows.length, told.size, 'nothing else stored')
  } finally {
    await client.end()
  }
}
