import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { campaignProvince } from '../db/queries/campaigns.js'
import { keyByValue, hashKey, type KeyScope } from '../domain/clients.js'
import { Problem, type FieldError } from '../problems.js'
import { PromiseCache } from '../promise-cache.js'
import type { Role } from '../schemas/clients.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Drops cached key look-ups, after a key is revoked or rotated. */
    forgetClientKeys: () => void
  }
  interface FastifyContextConfig {
    /** The roles that may call the route; a route without it is public. */
    access?: readonly Role[]
    /** The `:id` parameter is a campaign: a key of another province (or other campaigns) is refused. */
    campaignScoped?: boolean
  }
  interface FastifyRequest {
    /** Who is calling, for audit fields: "admin" or "<role>:<key id>"; null when anonymous. */
    actor: string | null
    /** The caller's role; null when anonymous. */
    role: Role | null
    /** The calling key's scope (units with their subtrees, campaigns); null for the administrator. */
    client: KeyScope | null
  }
}

/** OpenAPI security requirement for routes behind an API key. */
export const BEARER = [{ bearerAuth: [] }]

/** Who may do what; every route names one of these (or none: public). */
export const ACCESS = {
  admin: ['admin'],
  /** The system administrator, and a province's administrator within its province. */
  managers: ['admin', 'province-admin'],
  /** Fieldwork: managers, and surveyors on their assigned units. */
  fieldwork: ['admin', 'province-admin', 'surveyor'],
  /** Posting responses: client systems and surveyors within their scope, and the administrator. */
  ingestion: ['admin', 'surveyor', 'client']
} as const satisfies Record<string, readonly Role[]>

/** How long a key look-up is reused. Revocation in this process clears the cache at once. */
const KEY_CACHE_MS = 5000

const digest = (value: string) => createHash('sha256').update(value).digest()

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match ? match[1] : null
}

/** Whether the caller may act on a unit: the administrator everywhere, a key within its units' subtrees. */
export const coversUnit = (request: FastifyRequest, unitId: string): boolean =>
  request.client === null ? request.role === 'admin' : request.client.units.has(unitId)

/** 403 unless the caller may act on the unit. */
export function assertUnit(request: FastifyRequest, unitId: string, pointer: Omit<FieldError, 'detail'>): void {
  if (!coversUnit(request, unitId))
    throw new Problem('forbidden', "The unit is outside the key's scope.", [
      { ...pointer, detail: "outside the key's units" }
    ])
}

/**
 * API keys: the administrator's bootstrap key (ADMIN_API_KEY, constant-time compare) and role keys (hashed).
 * Routes declare who may call them in `config.access`; the check, and the campaign's scope, run here.
 */
export default fp<{ config: Config }>(
  async function auth(app, { config }) {
    const adminDigest = config.adminApiKey ? digest(config.adminApiKey) : null
    // The look-up promise is cached, so that requests arriving together share one query.
    const cache = new PromiseCache<KeyScope | null>({ ttlMs: KEY_CACHE_MS, maxEntries: 10_000 })
    app.decorate('forgetClientKeys', () => cache.clear())
    app.decorateRequest('actor', null)
    app.decorateRequest('role', null)
    app.decorateRequest('client', null)

    app.addHook('onRoute', (route) => {
      const access = route.config?.access
      if (!access || !route.schema) return
      route.schema.security = BEARER
      const roles = `Roles: ${access.map((role) => `\`${role}\``).join(', ')}${route.config?.campaignScoped ? ' (a key only for campaigns in its scope)' : ''}.`
      route.schema.description = route.schema.description ? `${route.schema.description}\n\n${roles}` : roles
    })

    if (!adminDigest)
      app.log.warn('ADMIN_API_KEY is not set: no administrator key is configured, so every admin route answers 401')
    const refuse = (request: FastifyRequest) => {
      const detail = bearer(request)
        ? 'The API key is not valid (unknown, rotated or revoked).'
        : 'This route needs `Authorization: Bearer <key>`.'
      const hint =
        !adminDigest && request.routeOptions.config.access?.includes('admin')
          ? ' No administrator key is configured on this service (ADMIN_API_KEY is not set).'
          : ''
      return new Problem('unauthorized', detail + hint, undefined, { 'www-authenticate': 'Bearer' })
    }

    // Who is calling, and whether the role may call the route at all: before the body is read.
    app.addHook('onRequest', async (request) => {
      const key = bearer(request)
      if (key && adminDigest && timingSafeEqual(digest(key), adminDigest)) {
        request.actor = 'admin'
        request.role = 'admin'
      } else if (key) {
        const scope = await cache.get(hashKey(key), () => keyByValue(app.database.db, key))
        if (scope) {
          request.client = scope
          request.role = scope.role
          request.actor = `${scope.role}:${scope.id}`
        }
      }
      const { access } = request.routeOptions.config
      if (!access) return
      if (request.role === null) throw refuse(request)
      if (!access.includes(request.role))
        throw new Problem('forbidden', `This route is for ${access.join(', ')}; the key's role is ${request.role}.`)
    })

    // The campaign's scope needs the validated `:id`.
    app.addHook('preHandler', async (request) => {
      if (!request.routeOptions.config.campaignScoped || request.client === null) return
      const campaignId = (request.params as { id: string }).id
      const provinceId = await campaignProvince(app.database.db, campaignId)
      // An unknown campaign is the route's own 404.
      if (provinceId === null) return
      const allowed =
        request.role === 'province-admin'
          ? request.client.units.has(provinceId)
          : request.client.campaigns.has(campaignId)
      if (!allowed)
        throw new Problem('forbidden', `Campaign ${campaignId} is outside the key's scope.`, [
          { in: 'params', pointer: '/id', detail: "outside the key's scope" }
        ])
    })
  },
  { name: 'auth', dependencies: ['database'] }
)
