import { randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '../db/client.js'
import { createWebhook, deliveriesOf, listWebhooks, revokeWebhook } from '../db/queries/webhooks.js'
import type { Sealer } from './personal-data.js'

export { listWebhooks, revokeWebhook }

/**
 * Subscribes a URL; the secret that signs its deliveries is generated when not given, stored sealed and
 * returned this once.
 */
export async function subscribe(db: Db, sealer: Sealer, input: { url: string; provinceId?: string; secret?: string }) {
  const secret = input.secret ?? randomBytes(24).toString('base64url')
  const id = randomUUID()
  const created = await createWebhook(db, {
    id,
    url: input.url,
    provinceId: input.provinceId,
    sealedSecret: sealer.seal(id, secret)
  })
  return { ...created, secret }
}

export const webhookDeliveries = async (db: Db, webhookId: string) =>
  (await deliveriesOf(db, webhookId)).map((d) => ({
    id: d.id,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt?.toISOString() ?? null
  }))
