import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Config } from '../config.js'
import { Problem } from '../problems.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler for routes that only the system administrator may call. */
    requireAdmin: preHandlerAsyncHookHandler
  }
  interface FastifyRequest {
    /** Who is calling, for audit fields ("admin"); null when anonymous. */
    actor: string | null
  }
}

/** OpenAPI security requirement for routes behind an API key. */
export const BEARER = [{ bearerAuth: [] }]

const digest = (value: string) => createHash('sha256').update(value).digest()

function bearer (request: FastifyRequest): string | null {
  const header = request.headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match ? match[1] : null
}

/** API keys: the system administrator's bootstrap key (ADMIN_API_KEY), compared in constant time. */
export default fp<{ config: Config }>(async function auth (app, { config }) {
  const adminDigest = config.adminApiKey ? digest(config.adminApiKey) : null
  app.decorateRequest('actor', null)
  app.addHook('onRequest', async (request) => {
    const key = bearer(request)
    if (key && adminDigest && timingSafeEqual(digest(key), adminDigest)) request.actor = 'admin'
  })
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    if (request.actor === 'admin') return
    const detail = bearer(request) ? 'The API key is not valid for this route.' : 'This route needs `Authorization: Bearer <key>`.'
    throw new Problem('unauthorized', detail, undefined, { 'www-authenticate': 'Bearer' })
  })
}, { name: 'auth' })
