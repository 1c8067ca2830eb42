import fp from 'fastify-plugin'
import { Webhook } from 'standardwebhooks'
import type { Config } from '../config.js'
import { claimDue, markDelivered, markFailed, type Due } from '../db/queries/webhooks.js'
import { isUnavailable } from './errors.js'

/**
 * The Standard Webhooks headers of one attempt: the delivery id (the same on every retry, so the subscriber
 * can ignore one it has handled), the time of this attempt, and the signature over both and the body.
 */
export function signedHeaders(secret: string, deliveryId: string, body: string) {
  const at = new Date()
  // Secrets from before the whsec_ convention are used as they are (the library's raw format) rather than decoded.
  const signer = new Webhook(secret, secret.startsWith('whsec_') ? undefined : { format: 'raw' })
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signer.sign(deliveryId, at, body)
  }
}

const TIMEOUT_MS = 10_000

/**
 * Delivers queued webhook events in the background: signed POSTs, retried with exponential back-off.
 * Deliveries live in the database, so none is lost across restarts, and several processes share the work.
 */
export default fp<{ config: Config }>(
  async function webhookDispatcher(app, { config }) {
    const base = config.webhookRetryBaseMs
    const pollMs = Math.min(1000, Math.max(10, Math.floor(base / 2)))
    let running: Promise<void> | null = null

    async function deliver(due: Due): Promise<void> {
      const secret = app.sealer.open<string>(due.webhookId, due.sealedSecret)
      const body = JSON.stringify({ id: due.id, event: due.event, data: due.payload })
      try {
        const res = await fetch(due.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signedHeaders(secret, due.id, body) },
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS)
        })
        if (res.ok) await markDelivered(app.database.db, due.id)
        else await markFailed(app.database.db, due, `HTTP ${res.status}`, base, config.webhookMaxAttempts)
      } catch (error) {
        await markFailed(app.database.db, due, (error as Error).message, base, config.webhookMaxAttempts)
      }
    }

    // A database busy or away (every connection taken, a restart) only delays deliveries: said once, not at
    // every poll with a stack, as a fault would be (a newcomer's demo fills the embedded pool with batches).
    let waiting = false
    async function tick(): Promise<void> {
      try {
        const due = await claimDue(app.database.db, 20, TIMEOUT_MS * 2)
        if (waiting) app.log.info('webhook deliveries resume: the database answers again')
        waiting = false
        await Promise.all(due.map(deliver))
      } catch (error) {
        if (!isUnavailable(error as Error)) app.log.warn({ err: error }, 'webhook dispatch failed; retrying later')
        else if (!waiting) {
          waiting = true
          app.log.info('webhook deliveries wait: the database is busy or away')
        }
      }
    }

    let timer: NodeJS.Timeout | null = null
    let closed = false
    // Deliveries start once the database is ready, which a service started during an outage waits for.
    app.addHook('onReady', async () => {
      void app.databaseReady.then(
        () => {
          if (closed) return
          timer = setInterval(() => {
            running ??= tick().finally(() => {
              running = null
            })
          }, pollMs)
          timer.unref()
        },
        () => {}
      )
    })
    app.addHook('onClose', async () => {
      closed = true
      if (timer) clearInterval(timer)
      await running
    })
  },
  { name: 'webhooks', dependencies: ['database', 'personal-data'] }
)
