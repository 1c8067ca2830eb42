import t from 'tap'
import fc from 'fast-check'
import { buildTestApp, TEST_ADMIN_KEY } from '../helpers/app.js'
import { fuzzWorld } from '../helpers/fuzz-world.js'
import { operationsOf, requestsFor, send, type Context } from '../helpers/openapi-fuzz.js'

// FUZZ_RUNS and FUZZ_SEED widen a local hunt; the defaults keep `npm test` fast and repeatable.
const RUNS = Number(process.env.FUZZ_RUNS ?? 15)
const SEED = Number(process.env.FUZZ_SEED ?? 2026)

t.test('every route, fuzzed with the administrator\'s key: no 5xx, the service stays up', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const world = await fuzzWorld(app)
  const doc = app.swagger() as Record<string, any>
  const ctx: Context = { doc, ids: world.ids, idsFor: world.idsFor, keys: { admin: TEST_ADMIN_KEY, client: world.client.key }, bodies: world.bodies }
  const prototype = Object.getOwnPropertyNames(Object.prototype)

  for (const [i, op] of operationsOf(doc).entries()) {
    const details = await fc.check(fc.asyncProperty(requestsFor(ctx, op, ['admin']), async (request) => { await send(app, request) }), { numRuns: RUNS, seed: SEED + 1000 + i })
    t.notOk(details.failed, `${op.method} ${op.path}`, { diagnostic: details.failed, error: String(details.errorInstance ?? ''), report: details.failed ? fc.defaultReportMessage(details) : undefined })
  }

  t.same(Object.getOwnPropertyNames(Object.prototype), prototype, 'Object.prototype is not polluted')
  t.equal(({} as Record<string, unknown>).polluted, undefined)
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the service is up')
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'and its database answers')
  t.same(logs().filter((l) => (l.level as number) >= 50), [], 'no error was logged')
})
