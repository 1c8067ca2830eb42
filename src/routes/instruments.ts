import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACCESS } from '../plugins/auth.js'
import { Instrument, InstrumentDraft, InstrumentParams, InstrumentSummary } from '../schemas/instruments.js'
import {
  createInstrument,
  ensureStandardInstrument,
  instrumentVersion,
  listInstruments,
  toSummary
} from '../domain/instruments.js'

const instruments: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  app.addSchema(Instrument)
  app.setUpDatabase(() => ensureStandardInstrument(db))

  app.get(
    '/v1/instruments',
    {
      schema: {
        tags: ['instruments'],
        summary: 'Every questionnaire version',
        response: { 200: Type.Array(InstrumentSummary) }
      }
    },
    async () => listInstruments(db)
  )

  app.get(
    '/v1/instruments/:code/versions/:version',
    {
      schema: {
        tags: ['instruments'],
        summary: 'One questionnaire version: factors, criteria, scale, perception, expectation and profile items',
        params: InstrumentParams,
        response: { 200: Type.Intersect([InstrumentSummary, Type.Object({ definition: Type.Ref('Instrument') })]) }
      }
    },
    async (request) => instrumentVersion(db, request.params.code, request.params.version)
  )

  app.post(
    '/v1/instruments',
    {
      config: { access: ACCESS.managers },
      schema: {
        tags: ['instruments'],
        summary: 'Create the next version of a questionnaire',
        description:
          'Versions are never changed once created; a province derives its variant (extra digital-service criteria, a sixth factor, reworded questions) as a new code or a new version. The definition is checked: codes unique, every criterion in a declared factor, every factor with a criterion, positive answers among the options.',
        body: InstrumentDraft,
        response: { 201: InstrumentSummary }
      }
    },
    async (request, reply) => {
      const row = await app.audited(
        request,
        'instrument.create',
        (tx) => createInstrument(tx, request.body),
        (r) => ({ entity: 'instrument', entityId: r.id, after: { code: r.code, version: r.version } })
      )
      return reply.code(201).send(toSummary(row))
    }
  )
}
export default instruments
