import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { BEARER } from '../plugins/auth.js'
import { IdParams } from '../schemas/common.js'
import { ApiClient, ApiClientWithKey, ClientInput } from '../schemas/clients.js'
import { createClient, listClients, revokeClient, rotateClient } from '../db/queries/clients.js'

const clients: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const admin = { preHandler: app.requireAdmin }
  const tags = ['clients']

  app.post('/v1/clients', {
    ...admin,
    schema: { tags, summary: 'Create an API key for a client system (shown once)', security: BEARER, body: ClientInput, response: { 201: ApiClientWithKey } }
  }, async (request, reply) => reply.code(201).send(await createClient(db, request.body)))

  app.get('/v1/clients', {
    ...admin,
    schema: { tags, summary: 'Client systems and their scopes (never their keys)', security: BEARER, response: { 200: Type.Array(ApiClient) } }
  }, async () => listClients(db))

  app.post('/v1/clients/:id/rotation', {
    ...admin,
    schema: { tags, summary: 'Give a client a new key; the old one stops working at once', security: BEARER, params: IdParams, response: { 200: ApiClientWithKey } }
  }, async (request) => {
    const rotated = await rotateClient(db, request.params.id)
    app.forgetClientKeys()
    return rotated
  })

  app.delete('/v1/clients/:id', {
    ...admin,
    schema: { tags, summary: 'Revoke a client\'s key, at once', security: BEARER, params: IdParams, response: { 200: ApiClient } }
  }, async (request) => {
    const revoked = await revokeClient(db, request.params.id)
    app.forgetClientKeys()
    return revoked
  })
}
export default clients
