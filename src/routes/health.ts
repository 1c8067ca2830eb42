import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '../problems.js'

const Live = Type.Object({ status: Type.Literal('ok') }, { $id: 'Liveness' })
const Ready = Type.Object(
  {
    status: Type.Literal('ready'),
    database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
    migrations: Type.Object({ applied: Type.Integer(), expected: Type.Integer() })
  },
  { $id: 'Readiness', examples: [{ status: 'ready', database: 'postgres', migrations: { applied: 1, expected: 1 } }] }
)

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      schema: { tags: ['health'], summary: 'The process is up', response: { 200: Live } }
    },
    async () => ({ status: 'ok' as const })
  )

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'The database is reachable and every migration is applied',
        description:
          'Answers 503 (problem+json, with Retry-After) while the database cannot be reached or migrations are missing.',
        response: { 200: Ready }
      }
    },
    async () => {
      const { database } = app
      let migrations
      try {
        await database.ping()
        migrations = await database.migrationStatus()
      } catch {
        throw new Problem('service-unavailable', 'The database cannot be reached.', undefined, { 'retry-after': '5' })
      }
      if (migrations.applied < migrations.expected) {
        throw new Problem(
          'service-unavailable',
          `${migrations.applied} of ${migrations.expected} migrations are applied.`,
          undefined,
          { 'retry-after': '30' }
        )
      }
      if (!app.isDatabaseReady())
        throw new Problem('service-unavailable', 'The service is starting: the database is being set up.', undefined, {
          'retry-after': '5'
        })
      return { status: 'ready' as const, database: database.kind, migrations }
    }
  )
}
export default health
