import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Config } from '../config.js'
import { clientByKey, hashKey, type ClientScope } from '../db/queries/clients.js'
import { Problem } from '../problems.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for routes that only the system administrator may call. */
    requireAdmin: preHandlerAsyncHookHandler
    /** preHandler for routes of client systems (the administrator may call them too). */
    requireClient: preHandlerAsyncHookHandler
    /** Drops cached key look-ups, after a key is revoked or rotated. */
    forgetClientKeys: () => void
  }
  interface FastifyRequest {
    /** Who is calling, for audit fields: "admin" or "client:<id>"; null when anonymous. */
    actor: string | null
    /** The calling client system's scope, when the key is a client key. */
    client: ClientScope | null
  }
}

/** OpenAPI security requirement for routes behind an API key. */
export const BEARER = [{ bearerAuth: [] }]

/** How long a key look-up is reused. Revocation in this process clears the cache at once. */
const KEY_CACHE_MS = 5000

const digest = (value: string) => createHash('sha256').update(value).digest()

function bearer (request: FastifyRequest): string | null {
  const header = request.headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match ? match[1] : null
}

/** API keys: the administrator's bootstrap key (ADMIN_API_KEY, constant-time compare) and client keys (hashed). */
export default fp<{ config: Config }>(async function auth (app, { config }) {
  const adminDigest = config.adminApiKey ? digest(config.adminApiKey) : null
  // The look-up promise is cached, so that requests arriving together share one query.
  const cache = new Map<string, { scope: Promise<ClientScope | null>, until: number }>()
  app.decorate('forgetClientKeys', () => cache.clear())
  app.decorateRequest('actor', null)
  app.decorateRequest('client', null)

  app.addHook('onRequest', async (request) => {
    const key = bearer(request)
    if (!key) return
    if (adminDigest && timingSafeEqual(digest(key), adminDigest)) { request.actor = 'admin'; return }
    const hash = hashKey(key)
    let entry = cache.get(hash)
    if (!entry || entry.until < Date.now()) {
      entry = { scope: clientByKey(app.database.db, key), until: Date.now() + KEY_CACHE_MS }
      if (cache.size > 10_000) cache.clear()
      cache.set(hash, entry)
      entry.scope.catch(() => cache.delete(hash))
    }
    const scope = await entry.scope
    if (scope) { request.client = scope; request.actor = `client:${scope.id}` }
  })

  const refuse = (request: FastifyRequest) => {
    const detail = bearer(request) ? 'The API key is not valid (unknown, rotated or revoked).' : 'This route needs `Authorization: Bearer <key>`.'
    return new Problem('unauthorized', detail, undefined, { 'www-authenticate': 'Bearer' })
  }
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    if (request.actor === 'admin') return
    if (request.client) throw new Problem('forbidden', 'This route is for administrators; a client key cannot call it.')
    throw refuse(request)
  })
  app.decorate('requireClient', async (request: FastifyRequest) => {
    if (request.actor === null) throw refuse(request)
  })
}, { name: 'auth', dependencies: ['database'] })
