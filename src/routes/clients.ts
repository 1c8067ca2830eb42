import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ACCESS, coversUnit } from '../plugins/auth.js'
import { Problem, type FieldError } from '../problems.js'
import { IdParams } from '../schemas/common.js'
import { ApiClient, ApiClientWithKey, ClientInput, type KeyRole } from '../schemas/clients.js'
import { provinceOf } from '../domain/audit.js'
import { campaignProvince } from '../domain/campaigns.js'
import { createClient, findClient, listClients, revokeClient, rotateClient } from '../domain/clients.js'

type Db = Parameters<typeof provinceOf>[0]

/** Roles a province administrator may hand out; province administrators themselves are the system administrator's to create. */
const DELEGABLE: ReadonlySet<KeyRole> = new Set(['surveyor', 'client'])

const clients: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const managers = { config: { access: ACCESS.managers } }
  const tags = ['clients']

  /** A province administrator manages the surveyor and client keys whose units all lie in its province. */
  const manages = (request: FastifyRequest, key: { role: KeyRole; units: string[] }) =>
    request.role === 'admin' || (DELEGABLE.has(key.role) && key.units.every((unit) => coversUnit(request, unit)))

  const facts = async (
    tx: Db,
    key: { id: string; units: string[]; keyPrefix: string },
    before: { keyPrefix: string } | null = null
  ) => ({
    entity: 'api-key',
    entityId: key.id,
    provinceId: await provinceOf(tx, key.units[0]),
    before,
    after: { keyPrefix: key.keyPrefix }
  })

  /** The key's existing row, 403 when the caller does not manage it. */
  const managed = async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const key = await findClient(db, request.params.id)
    if (!manages(request, key))
      throw new Problem(
        'forbidden',
        'The key is outside your province, or is not one a province administrator manages.',
        [{ in: 'params', pointer: '/id', detail: 'not a key you manage' }]
      )
    return key
  }

  /** Rotation or revocation of a key the caller manages: audited, and the old key stops working at once. */
  const changeKey = async <T extends { id: string; units: string[]; keyPrefix: string }>(
    request: FastifyRequest<{ Params: { id: string } }>,
    action: string,
    change: (tx: Db, id: string) => Promise<T>
  ) => {
    const key = await managed(request)
    const changed = await app.audited(
      request,
      action,
      (tx) => change(tx, key.id),
      (r, tx) => facts(tx, r, { keyPrefix: key.keyPrefix })
    )
    app.forgetClientKeys()
    return changed
  }

  app.post(
    '/v1/clients',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Create an API key for a province administrator, a surveyor or a client system (shown once)',
        description:
          'A province administrator creates surveyor and client keys for the units and campaigns of its own province.',
        body: ClientInput,
        response: { 201: ApiClientWithKey }
      }
    },
    async (request, reply) => {
      const input = { ...request.body, role: request.body.role ?? 'client' }
      const errors: FieldError[] = []
      if (input.role !== 'province-admin' && input.campaigns.length === 0)
        errors.push({ in: 'body', pointer: '/campaigns', detail: `a ${input.role} key needs at least one campaign` })
      if (errors.length > 0) throw new Problem('client-invalid', 'The key cannot be created this way.', errors)
      if (!manages(request, input))
        throw new Problem(
          'forbidden',
          'A province administrator creates surveyor and client keys for units of its province.',
          [{ in: 'body', pointer: DELEGABLE.has(input.role) ? '/units' : '/role', detail: 'outside what you manage' }]
        )
      if (request.role !== 'admin') {
        for (const [i, id] of input.campaigns.entries()) {
          const province = await campaignProvince(db, id)
          if (province === null || !coversUnit(request, province))
            throw new Problem('forbidden', `Campaign ${id} is not one of your province.`, [
              { in: 'body', pointer: `/campaigns/${i}`, detail: 'outside your province' }
            ])
        }
      }
      const created = await app.audited(
        request,
        'api-key.create',
        (tx) => createClient(tx, input),
        (key, tx) => facts(tx, key)
      )
      return reply.code(201).send(created)
    }
  )

  app.get(
    '/v1/clients',
    {
      ...managers,
      schema: {
        tags,
        summary: 'API keys and their scopes (never the keys)',
        description: 'A province administrator sees the keys it manages.',
        response: { 200: Type.Array(ApiClient) }
      }
    },
    async (request) => (await listClients(db)).filter((key) => manages(request, key))
  )

  app.post(
    '/v1/clients/:id/rotation',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Give a key a new value; the old one stops working at once',
        params: IdParams,
        response: { 200: ApiClientWithKey }
      }
    },
    async (request) => changeKey(request, 'api-key.rotate', rotateClient)
  )

  app.delete(
    '/v1/clients/:id',
    {
      ...managers,
      schema: { tags, summary: 'Revoke a key, at once', params: IdParams, response: { 200: ApiClient } }
    },
    async (request) => changeKey(request, 'api-key.revoke', revokeClient)
  )
}
export default clients
