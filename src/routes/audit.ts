import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACCESS } from '../plugins/auth.js'
import { AuditPage, AuditQuery } from '../schemas/audit.js'
import { listAudit } from '../domain/audit.js'

const audit: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database

  app.get(
    '/v1/audit',
    {
      config: { access: ACCESS.managers },
      schema: {
        tags: ['audit'],
        summary: 'The audit log: every change, who made it, when and from where',
        description:
          'Newest first, filtered by actor, action, entity or time, a page at a time (pass `next` as `cursor`). Entries are written in the transaction of the change and never change afterwards. A province administrator reads the entries of its province. Responses are not listed here: each stored response records the key that posted it and when, and never changes. Entries hold ids, statuses and counts, never personal data.',
        querystring: AuditQuery,
        response: { 200: AuditPage }
      }
    },
    async (request) => listAudit(db, request.query, request.client ? [...request.client.units] : null)
  )
}
export default audit
