import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACCESS, assertUnit } from '../plugins/auth.js'
import { HistoryImport, HistoryReport } from '../schemas/history.js'
import { importHistory } from '../domain/history.js'

/** Published figures of the years before the service, for units' series. */
const history: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/history',
    {
      config: { access: ACCESS.managers },
      schema: {
        tags: ['results'],
        summary: 'Import the published figures of a year before the service',
        description:
          "One year of one province, as its decision published them: a point figure per unit and index (`overall`, a factor or a criterion), with the document's name. All or nothing. They join each unit's series (`GET /v1/public/units/{unitId}/series`) marked `imported`, without SEs, and never a year the service has published itself.",
        body: HistoryImport,
        response: { 201: HistoryReport }
      }
    },
    async (request, reply) => {
      assertUnit(request, request.body.provinceId, { in: 'body', pointer: '/provinceId' })
      const report = await app.audited(
        request,
        'history.import',
        (db) => importHistory(db, request.body, request.actor ?? 'anonymous'),
        (r) => ({
          entity: 'history',
          entityId: `${r.provinceId}/${r.year}`,
          provinceId: r.provinceId,
          after: { ...r, source: request.body.source }
        })
      )
      return reply.code(201).send(report)
    }
  )
}
export default history
