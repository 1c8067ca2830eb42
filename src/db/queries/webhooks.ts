import { and, eq, isNull, or, sql } from 'drizzle-orm'
import type { Db } from '../client.js'
import { rows } from '../client.js'
import { webhookDeliveries, webhooks } from '../schema.js'
import { Problem } from '../../problems.js'

type Row = typeof webhooks.$inferSelect
export const toWebhook = (row: Row) => ({
  id: row.id,
  url: row.url,
  provinceId: row.provinceId,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null
})

/** The caller chooses the id and seals the secret with it. */
export async function createWebhook(
  db: Db,
  input: { id: string; url: string; provinceId?: string; sealedSecret: Buffer }
) {
  const [row] = await db
    .insert(webhooks)
    .values({ id: input.id, url: input.url, provinceId: input.provinceId ?? null, sealedSecret: input.sealedSecret })
    .returning()
  return toWebhook(row)
}

export const listWebhooks = async (db: Db) => (await db.select().from(webhooks)).map(toWebhook)

export async function revokeWebhook(db: Db, id: string) {
  const [row] = await db
    .update(webhooks)
    .set({ revokedAt: new Date() })
    .where(and(eq(webhooks.id, id), isNull(webhooks.revokedAt)))
    .returning()
  if (!row) throw new Problem('not-found', `No active webhook ${id}.`)
  return toWebhook(row)
}

/** Queues an event for every active subscriber (of that province, or of all). Call it in the event's transaction. */
export async function enqueueEvent(db: Db, event: string, provinceId: string, payload: unknown): Promise<number> {
  const subscribers = await db
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(isNull(webhooks.revokedAt), or(isNull(webhooks.provinceId), eq(webhooks.provinceId, provinceId))))
  if (subscribers.length > 0)
    await db.insert(webhookDeliveries).values(subscribers.map((s) => ({ webhookId: s.id, event, payload })))
  return subscribers.length
}

export interface Due {
  id: string
  webhookId: string
  url: string
  sealedSecret: Buffer
  event: string
  payload: unknown
  attempts: number
}

/**
 * Claims up to `limit` deliveries that are due, by pushing their next attempt a lease ahead: another
 * dispatcher (another process) skips them meanwhile.
 */
export async function claimDue(db: Db, limit: number, leaseMs: number): Promise<Due[]> {
  const claimed = rows(
    await db.execute(sql`
    update webhook_deliveries d set next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
    from webhooks w
    where w.id = d.webhook_id and d.id in (
      select id from webhook_deliveries where status = 'pending' and next_attempt_at <= now()
      order by next_attempt_at limit ${limit} for update skip locked)
    returning d.id, d.webhook_id, w.url, w.sealed_secret, d.event, d.payload, d.attempts`)
  ) as Array<{
    id: string
    webhook_id: string
    url: string
    sealed_secret: Uint8Array
    event: string
    payload: unknown
    attempts: number
  }>
  return claimed.map((d) => ({
    id: d.id,
    webhookId: d.webhook_id,
    url: d.url,
    sealedSecret: Buffer.from(d.sealed_secret),
    event: d.event,
    payload: d.payload,
    attempts: d.attempts
  }))
}

export async function markDelivered(db: Db, id: string): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: 'delivered', deliveredAt: new Date(), attempts: sql`${webhookDeliveries.attempts} + 1` })
    .where(eq(webhookDeliveries.id, id))
}

/** A failed attempt: retried after base·2^(attempt−1), or given up after `maxAttempts`. */
export async function markFailed(db: Db, due: Due, error: string, baseMs: number, maxAttempts: number): Promise<void> {
  const attempts = due.attempts + 1
  const last = attempts >= maxAttempts
  await db
    .update(webhookDeliveries)
    .set({
      attempts,
      status: last ? 'failed' : 'pending',
      lastError: error.slice(0, 500),
      nextAttemptAt: new Date(Date.now() + baseMs * 2 ** (attempts - 1))
    })
    .where(eq(webhookDeliveries.id, due.id))
}

export const deliveriesOf = (db: Db, webhookId: string) =>
  db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId))
