import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
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

/** An app that sheds when the loop lagged 100 ms and more than two requests are in flight; `/busy` holds the
 * loop for a second and `/held` waits for the test to let it go. (At 20 ms, a machine at load 6–8 lagged past
 * the threshold by itself most of the time.) */
async function sheddingApp(t: Test) {
  let release = () => {}
  let arrivals = 0
  const held = new Promise<void>((resolve) => (release = resolve))
  const { app, logs } = await buildTestApp(t, { maxEventLoopDelayMs: 100, shedAboveInFlight: 2 }, (app) => {
    app.get('/busy', async () => {
      const until = Date.now() + 1000
      while (Date.now() < until) {
        /* hold the event loop */
      }
      return { ok: true }
    })
    app.get('/held', async () => {
      arrivals++
      await held
      return { ok: true }
    })
  })
  /** Puts `count` requests in flight on `/held`. The machine's own lag may already be reported (the threshold is
   * low), so one shed on its way in is sent again; null when the machine lags so much, for 30 s, that every one
   * is shed (seen in CI beside two other test suites): shedding cannot be told from that lag there. */
  const hold = async (count: number): Promise<Array<Promise<LightMyRequestResponse>> | null> => {
    const inFlight: Array<Promise<LightMyRequestResponse>> = []
    const giveUp = Date.now() + 30_000
    while (inFlight.length < count) {
      if (Date.now() > giveUp) return null
      const expected = arrivals + 1
      const answer = app.inject({ method: 'GET', url: '/held' })
      const shed = answer.then((r) => r.statusCode === 503)
      for (;;) {
        if (arrivals >= expected) {
          inFlight.push(answer)
          break
        }
        if (await Promise.race([shed, sleep(2, false)])) break
      }
    }
    return inFlight
  }
  /** Holds the loop, then waits until under-pressure reports it: its sampler reports the mean delay since its
   * previous run and may run before the block's delay is recorded, so the report comes one sample later. */
  const lag = async () => {
    await app.inject({ method: 'GET', url: '/busy' })
    for (let waited = 0; !app.isUnderPressure() && waited < 2000; waited += 2) await sleep(2)
  }
  /** The report lasts one sample: lag, request, and again (bounded) if the report had passed when it came. */
  const requestWhileLagging = async (url: string) => {
    for (let attempt = 1; ; attempt++) {
      await lag()
      const answer = await app.inject({ method: 'GET', url })
      if (answer.statusCode !== 200 || attempt === 10) return answer
    }
  }
  return { app, logs, lag, requestWhileLagging, hold, release }
}

t.test('load shedding never refuses a lone client, even right after a request that held the loop', async (t) => {
  const { app, lag } = await sheddingApp(t)
  for (let i = 0; i < 3; i++) {
    await lag()
    t.equal((await app.inject({ method: 'GET', url: '/problems' })).statusCode, 200, `request ${i + 1} after a lag`)
  }
})

t.test('load shedding: 503 with Retry-After while the loop lags and requests pile up', async (t) => {
  const { app, logs, requestWhileLagging, hold, release } = await sheddingApp(t)
  const waiting = await hold(3)
  if (waiting === null) {
    release()
    t.skip('the machine itself lags past the threshold without a break: every request is shed', () => {})
    return
  }
  const shed = await requestWhileLagging('/problems')
  t.equal(shed.statusCode, 503)
  t.equal(shed.json().type, '/problems/service-unavailable')
  t.equal(shed.headers['retry-after'], '5')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'probes are not shed')
  const logged = logs().filter((line) => line.msg === 'The service is overloaded; retry shortly.')
  t.ok(logged.length > 0 && logged.every((line) => line.level === 40 && line.err === undefined), 'a warning, no stack')
  release()
  t.same(
    (await Promise.all(waiting)).map((r) => r.statusCode),
    [200, 200, 200],
    'the requests in flight finish'
  )
  t.equal((await app.inject({ method: 'GET', url: '/problems' })).statusCode, 200, 'a lone request passes again')
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
  t.match(JSON.parse(received.split('\r\n\r\n')[1]), { type: '/problems/request-timeout', status: 408 })
  t.ok(Date.now() - started < 5000, 'cut off after the timeout, not left hanging')
})
