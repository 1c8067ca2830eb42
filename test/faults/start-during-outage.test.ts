import t from 'tap'
import { freshDatabaseConfig, TEST_ADMIN_KEY } from '../helpers/app.js'
import { startPgProxy } from '../helpers/pg-proxy.js'
import { freePort, startServer } from '../helpers/server-process.js'

// A service started while PostgreSQL is away (a host rebooting, compose starting both at once) listens at once,
// says it is not ready, and becomes ready by itself when the database comes.
t.test(
  'the server starts while PostgreSQL is unreachable, and becomes ready when it comes back',
  { skip: !process.env.DATABASE_URL && 'needs a PostgreSQL server (DATABASE_URL)' },
  async (t) => {
    const config = await freshDatabaseConfig(t)
    const proxy = await startPgProxy(config.databaseUrl as string)
    t.teardown(() => proxy.close())
    proxy.refuse()
    const server = await startServer(
      await freePort(),
      {
        DATABASE_URL: proxy.url,
        ADMIN_API_KEY: TEST_ADMIN_KEY,
        PERSONAL_DATA_KEY: config.personalDataKey as string,
        DATABASE_CONNECT_TIMEOUT_MS: '1000'
      },
      '/healthz'
    )
    t.teardown(() => {
      server.child.kill('SIGKILL')
    })
    const get = (path: string) => fetch(server.base + path, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } })

    t.equal((await get('/healthz')).status, 200, 'alive although the database is away')
    const notReady = await get('/readyz')
    t.equal(notReady.status, 503)
    t.ok(Number(notReady.headers.get('retry-after')) > 0, 'Retry-After on readiness')
    const refused = await get('/v1/units')
    t.equal(refused.status, 503)
    t.equal(((await refused.json()) as { type: string }).type, '/problems/service-unavailable')
    t.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After on the API')
    t.equal(server.child.exitCode, null, 'still running')

    proxy.reopen()
    let status = 0
    for (const until = Date.now() + 60_000; status !== 200 && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      status = (await get('/readyz')).status
    }
    t.equal(status, 200, 'ready once the database is reachable, migrations applied')
    t.equal((await get('/v1/units')).status, 200, 'the API answers')
  }
)
