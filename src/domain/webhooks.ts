import { randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '../db/client.js'
import { createWebhook, deliveriesOf, listWebhooks, revokeWebhook } from '../db/queries/webhooks.js'
import { Problem } from '../problems.js'
import type { Sealer } from './personal-data.js'

export { listWebhooks, revokeWebhook }

const SECRET_PREFIX = 'whsec_'

/**
 * A caller's secret must be a Standard Webhooks one, `whsec_` and canonical base64 of 24 to 64 bytes, so that
 * the subscriber's library decodes the same key that signs.
 */
function checkedSecret(secret: string): string {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : null
  const key = encoded === null ? null : Buffer.from(encoded, 'base64')
  if (key === null || key.toString('base64') !== encoded || key.length < 24 || key.length > 64)
    throw new Problem('unprocessable', 'The secret is not a Standard Webhooks secret.', [
      { in: 'body', pointer: '/secret', detail: 'must be whsec_ followed by the base64 of 24 to 64 random bytes' }
    ])
  return secret
}

/**
 * Subscribes a URL; the secret that signs its deliveries is generated when not given, stored sealed and
 * returned this once.
 */
export async function subscribe(db: Db, sealer: Sealer, input: { url: string; provinceId?: string; secret?: string }) {
  const secret =
    input.secret === undefined ? SECRET_PREFIX + randomBytes(32).toString('base64') : checkedSecret(input.secret)
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
