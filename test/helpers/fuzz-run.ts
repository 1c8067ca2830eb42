import fc from 'fast-check'
import type { Test } from 'tap'
import { buildTestApp, TEST_ADMIN_KEY } from './app.js'
import { fuzzWorld } from './fuzz-world.js'
import { operationsOf, requestsFor, send, type Auth, type Context } from './openapi-fuzz.js'

// FUZZ_RUNS and FUZZ_SEED widen a local hunt; the defaults keep `npm test` fast and repeatable.
const RUNS = Number(process.env.FUZZ_RUNS ?? 15)
const SEED = Number(process.env.FUZZ_SEED ?? 2026)

/** An app on the fuzz world, with the fuzzer's context and the state to compare once the run is over. */
export async function fuzzSetup(t: Test) {
  const { app, logs } = await buildTestApp(t)
  const world = await fuzzWorld(app)
  const doc = app.swagger() as Record<string, any>
  const ctx: Context = {
    doc,
    ids: world.ids,
    idsFor: world.idsFor,
    keys: { admin: TEST_ADMIN_KEY, client: world.client.key },
    bodies: world.bodies
  }
  return { app, logs, world, ctx, prototype: Object.getOwnPropertyNames(Object.prototype) }
}

type Setup = Awaited<ReturnType<typeof fuzzSetup>>

/** Every operation of the document, fuzzed with the given callers; `seedBase` keeps the files' streams apart. */
export async function fuzzEveryOperation(t: Test, { app, ctx }: Setup, auths: Auth[], seedBase: number): Promise<void> {
  for (const [i, op] of operationsOf(ctx.doc).entries()) {
    const details = await fc.check(
      fc.asyncProperty(requestsFor(ctx, op, auths), async (request) => {
        await send(app, request)
      }),
      { numRuns: RUNS, seed: SEED + seedBase + i }
    )
    t.notOk(details.failed, `${op.method} ${op.path}`, {
      diagnostic: details.failed,
      error: String(details.errorInstance ?? ''),
      report: details.failed ? fc.defaultReportMessage(details) : undefined
    })
  }
}

/** After a run: Object.prototype untouched, the service and its database up, no error logged. */
export async function assertServiceIntact(t: Test, { app, logs, prototype }: Setup): Promise<void> {
  t.same(Object.getOwnPropertyNames(Object.prototype), prototype, 'Object.prototype is not polluted')
  t.equal(({} as Record<string, unknown>).polluted, undefined)
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the service is up')
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'and its database answers')
  t.same(
    logs().filter((l) => (l.level as number) >= 50),
    [],
    'no error was logged'
  )
}
