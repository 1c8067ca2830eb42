import t from 'tap'
import { buildTestApp, TEST_ADMIN_KEY } from '../helpers/app.js'

t.test('rate limits: per address for the anonymous, per key otherwise; 429 problem with Retry-After', async (t) => {
  const { app } = await buildTestApp(t, { rateLimitPerMinute: 3 })
  const get = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/problems', headers })
  for (let i = 0; i < 3; i++) t.equal((await get()).statusCode, 200)
  const limited = await get()
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().type, '/problems/too-many-requests')
  t.ok(Number(limited.headers['retry-after']) >= 1, 'Retry-After in seconds')
  t.match(limited.headers['content-type'], /problem\+json/)
  t.equal((await get({ authorization: `Bearer ${TEST_ADMIN_KEY}` })).statusCode, 200, 'a key has its own allowance')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'probes are not limited')
})

t.test('load shedding: 503 with Retry-After while the event loop lags', async (t) => {
  const { app } = await buildTestApp(t, { maxEventLoopDelayMs: 100 }, (app) => {
    app.get('/busy', async () => {
      const until = Date.now() + 800
      while (Date.now() < until) {
        /* hold the event loop */
      }
      return { ok: true }
    })
  })
  await app.inject({ method: 'GET', url: '/busy' })
  // One timers phase, for the sampler that was due during the block to record the lag.
  await new Promise((resolve) => setTimeout(resolve, 1))
  const shed = await app.inject({ method: 'GET', url: '/problems' })
  t.equal(shed.statusCode, 503)
  t.equal(shed.json().type, '/problems/service-unavailable')
  t.equal(shed.headers['retry-after'], '5')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'probes are not shed')
  let status = 0
  for (let i = 0; i < 40 && status !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    status = (await app.inject({ method: 'GET', url: '/problems' })).statusCode
  }
  t.equal(status, 200, 'answers again once the lag is gone')
})

t.test('a client too slow to send its request is cut off with 408', async (t) => {
  const { app } = await buildTestApp(t, { requestTimeoutMs: 300 })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = new URL(address)
  const { connect } = await import('node:net')
  const socket = connect(Number(port), '127.0.0.1')
  let received = ''
  socket.on('data', (chunk) => {
    received += chunk
  })
  const closed = new Promise((resolve) => socket.on('close', resolve))
  const started = Date.now()
  // Headers promise a body that never comes.
  socket.write(
    `POST /v1/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_ADMIN_KEY}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"camp`
  )
  await closed
  t.match(received, /^HTTP\/1\.1 408/)
  t.ok(Date.now() - started < 5000, 'cut off after the timeout, not left hanging')
})
