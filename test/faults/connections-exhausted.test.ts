import t from 'tap'
import pg from 'pg'
import { buildTestApp } from '../helpers/app.js'
import { collectingCampaign } from '../helpers/collecting.js'
import { appThroughProxy } from '../helpers/pg-proxy.js'
import {
  checkAnswer,
  checkStored,
  deliveries,
  injectSend,
  retryUnanswered,
  type Answer,
  type Delivery
} from '../helpers/deliveries.js'

const skip = !process.env.DATABASE_URL && 'needs a PostgreSQL server (DATABASE_URL)'
// Long enough for a loaded machine to start a query, short enough for the test: the 503 must come from the
// wait for a connection, not from a hang.
const CONNECT_TIMEOUT_MS = 300
const QUICKLY_MS = 3000

/** Posts and times it; a 503 must come within QUICKLY_MS. */
async function timed(send: (d: Delivery) => Promise<Answer>, delivery: Delivery) {
  const started = Date.now()
  const answer = await send(delivery)
  return { delivery, answer, ms: Date.now() - started }
}

t.test(
  "the app's pool saturated: 503 with Retry-After at once, success once connections free up",
  { skip },
  async (t) => {
    const { app, config, logs } = await buildTestApp(t, {
      databasePoolSize: 2,
      databaseConnectTimeoutMs: CONNECT_TIMEOUT_MS,
      // The webhook dispatcher polls every 50 ms: several times while the pool is full.
      webhookRetryBaseMs: 100
    })
    const { campaign, key } = await collectingCampaign(app)
    const send = injectSend(app, key)
    const [first] = deliveries(campaign, [{ kind: 'single', count: 1 }])
    const warm = await send(first)
    t.equal(warm.status, 201, 'a post before the pool fills')

    const admin = new pg.Client({ connectionString: config.databaseUrl })
    await admin.connect()
    t.teardown(() => admin.end())
    // Both connections opened first: on a loaded machine opening one can take longer than the timeout.
    const backends = async () =>
      (
        await admin.query(
          'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()'
        )
      ).rows[0].n as number
    for (const until = Date.now() + 15_000; (await backends()) < 2 && Date.now() < until;) {
      await Promise.all([1, 2].map(() => app.inject({ method: 'GET', url: '/readyz' })))
    }
    // Two batches whose INSERTs wait on a lock hold the pool's two connections.
    await admin.query('begin')
    await admin.query('lock table responses in share mode')
    const holders = deliveries(campaign, [{ kind: 'batch', count: 2, size: 20 }])
    const held = holders.map((d) => send(d))
    let waiting = 0
    for (const until = Date.now() + 15_000; waiting < 2 && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      waiting = (
        await admin.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
        )
      ).rows[0].n
    }
    t.equal(waiting, 2, 'both connections busy')

    const probes = deliveries(campaign, [
      { kind: 'single', count: 2 },
      { kind: 'batch', count: 1, size: 20 },
      { kind: 'atomic', count: 1, size: 5 }
    ])
    const answered = await Promise.all(probes.map((d) => timed(send, d)))
    for (const [i, { delivery, answer, ms }] of answered.entries()) {
      t.equal(answer.status, 503, `${delivery.kind} #${i}: 503 while no connection is free`)
      checkAnswer(t, delivery, answer, `${delivery.kind} #${i}`)
      t.ok(ms < QUICKLY_MS, `${delivery.kind} #${i}: answered in ${ms} ms, not left hanging`)
    }
    const timeouts = logs().filter(
      (l) => l.level === 40 && /timeout exceeded when trying to connect/.test(String(l.reason))
    )
    t.ok(timeouts.length >= probes.length, 'each 503 is the wait for a connection timing out', {
      logged: logs()
        .filter((l) => l.level === 40)
        .map((l) => l.reason)
    })
    t.notOk(
      logs().some((l) => /Failed query|insert into|R-\d+/.test(JSON.stringify(l))),
      'the logged errors hold neither the statement nor its parameters'
    )

    // The dispatcher's polls wait for a connection too: one fails, then more while the pool stays full.
    const said = (msg: RegExp) => logs().filter((l) => msg.test(String(l.msg)))
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    for (const until = Date.now() + 5000; said(/webhook deliveries wait/).length === 0 && Date.now() < until;)
      await sleep(50)
    await sleep(2 * (CONNECT_TIMEOUT_MS + 100))
    t.same(said(/webhook dispatch failed/), [], 'a full pool is no webhook fault: no warning at every poll')
    t.equal(said(/webhook deliveries wait/).length, 1, 'the wait is said once')

    await admin.query('commit')
    for (const until = Date.now() + 5000; said(/webhook deliveries resume/).length === 0 && Date.now() < until;)
      await sleep(50)
    t.equal(said(/webhook deliveries resume/).length, 1, 'and the end of it')
    const holderAnswers = await Promise.all(held)
    holderAnswers.forEach((answer, i) =>
      t.equal(answer.status, 200, `held batch #${i} completes once the lock is gone`)
    )
    const told = await retryUnanswered(t, send, [
      { delivery: first, answer: warm },
      ...holders.map((delivery, i) => ({ delivery, answer: holderAnswers[i] })),
      ...answered.map(({ delivery, answer }) => ({ delivery, answer }))
    ])
    await checkStored(t, config.databaseUrl as string, told)
  }
)

t.test(
  'the server out of connection slots (53300): 503 with Retry-After at once, success once it has some again',
  { skip },
  async (t) => {
    const { app, proxy, direct, logs } = await appThroughProxy(t, { databaseConnectTimeoutMs: CONNECT_TIMEOUT_MS })
    const { campaign, key } = await collectingCampaign(app)
    const send = injectSend(app, key)
    // The pool's idle connections gone, every new one is refused as a full server refuses it.
    proxy.cut()
    proxy.refuse('53300')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const probes = deliveries(campaign, [
      { kind: 'single', count: 2 },
      { kind: 'batch', count: 1, size: 20 },
      { kind: 'atomic', count: 1, size: 5 }
    ])
    const answered = await Promise.all(probes.map((d) => timed(send, d)))
    for (const [i, { delivery, answer, ms }] of answered.entries()) {
      t.equal(answer.status, 503, `${delivery.kind} #${i}: 503 while the server has no slot`)
      checkAnswer(t, delivery, answer, `${delivery.kind} #${i}`)
      t.ok(ms < QUICKLY_MS, `${delivery.kind} #${i}: answered in ${ms} ms`)
    }
    t.ok(
      logs().some((l) => l.code === '53300'),
      "the 503s are the server's refusal (53300)"
    )
    t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503, '/readyz reports it')
    proxy.reopen()
    t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, '/readyz recovers')
    const told = await retryUnanswered(t, send, answered)
    await checkStored(t, direct, told)
  }
)
