import t from 'tap'
import { buildTestApp, adminQuery } from '../helpers/app.js'

t.test('healthz answers while the process is up', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

t.test('readyz reports the database and its migrations', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.status, 'ready')
  t.equal(body.database, process.env.DATABASE_URL ? 'postgres' : 'pglite')
  t.ok(body.migrations.expected >= 1)
  t.equal(body.migrations.applied, body.migrations.expected)
})

t.test('readyz is 503 while migrations are not applied', async (t) => {
  const { app } = await buildTestApp(t, { migrateOnStart: false })
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.equal(res.headers['retry-after'], '30')
  t.match(res.json(), { type: '/problems/service-unavailable', status: 503, detail: /0 of \d+ migrations/ })
})

t.test('readyz is 503 when the database is unreachable, and recovers', async (t) => {
  const { app, config } = await buildTestApp(t)
  if (config.databaseUrl) {
    // Cut the database off for real: refuse new connections and end the open ones.
    const name = new URL(config.databaseUrl).pathname.slice(1)
    const server = process.env.DATABASE_URL as string
    await adminQuery(server, `alter database ${name} allow_connections false`)
    await adminQuery(server, `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`)
    const down = await app.inject({ method: 'GET', url: '/readyz' })
    t.equal(down.statusCode, 503)
    t.equal(down.json().type, '/problems/service-unavailable')
    t.equal(down.headers['retry-after'], '5')
    await adminQuery(server, `alter database ${name} allow_connections true`)
    const up = await app.inject({ method: 'GET', url: '/readyz' })
    t.equal(up.statusCode, 200, 'ready again once the database is back')
  } else {
    await app.database.close()
    const down = await app.inject({ method: 'GET', url: '/readyz' })
    t.equal(down.statusCode, 503)
    t.equal(down.json().type, '/problems/service-unavailable')
  }
  const live = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(live.statusCode, 200, 'liveness does not depend on the database')
})
