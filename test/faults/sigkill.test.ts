import t from 'tap'
import pg from 'pg'
import { freshDatabaseConfig, TEST_ADMIN_KEY } from '../helpers/app.js'
import { collectingCampaign } from '../helpers/collecting.js'
import {
  checkAnswer,
  checkStored,
  deliveries,
  retryUnanswered,
  type Answer,
  type Delivery
} from '../helpers/deliveries.js'
import { freePort, httpSend, overHttp, startServer } from '../helpers/server-process.js'

const FAST = 4
const SLOW = 2
const SIZE = 2000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Posts a batch as NDJSON arriving slowly (a tenth every 500 ms); rejects when the connection is lost. */
async function trickle(base: string, key: Record<string, string>, delivery: Delivery): Promise<Answer> {
  const lines = delivery.records.map((r) => JSON.stringify(r) + '\n')
  const tenth = Math.ceil(lines.length / 10)
  let sent = 0
  const body = new ReadableStream({
    async pull(controller) {
      if (sent > 0) await sleep(500)
      controller.enqueue(new TextEncoder().encode(lines.slice(sent, sent + tenth).join('')))
      sent += tenth
      if (sent >= lines.length) controller.close()
    }
  })
  const res = await fetch(`${base}/v1/responses/batch`, {
    method: 'POST',
    headers: { ...key, 'content-type': 'application/x-ndjson' },
    body,
    duplex: 'half'
  } as RequestInit)
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() }
}

// The process killed (SIGKILL: no shutdown, no rollback from the app) while large batches are being written.
// A batch is one INSERT (storeResponses): the server commits all of it or none, whatever became of the app.
t.test(
  'the server killed mid-batch, then started again',
  { skip: !process.env.DATABASE_URL && 'needs a PostgreSQL server (DATABASE_URL)' },
  async (t) => {
    const config = await freshDatabaseConfig(t)
    const databaseUrl = config.databaseUrl as string
    const env = {
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      PERSONAL_DATA_KEY: config.personalDataKey as string,
      MIGRATE_ON_START: 'true',
      LOG_LEVEL: 'silent',
      MAX_EVENT_LOOP_DELAY_MS: '0'
    }
    const port = await freePort()
    const first = await startServer(port, env)
    t.teardown(() => {
      first.child.kill('SIGKILL')
    })
    const { campaign, key } = await collectingCampaign(overHttp(first.base))
    const admin = new pg.Client({ connectionString: databaseUrl })
    await admin.connect()
    t.teardown(() => admin.end())
    const sql = async (text: string, values: unknown[] = []) => (await admin.query(text, values)).rows

    // Fast batches are sent whole; slow ones trickle in, so that the kill finds some still arriving (nothing of
    // them stored), some being written (an INSERT running) and some answered.
    const posted = deliveries(campaign, [{ kind: 'batch', count: FAST + SLOW, size: SIZE }])
    const send = httpSend(first.base, key)
    const answers: Array<Answer | null> = posted.map(() => null)
    let fastPending = FAST
    const settled = Promise.all(
      posted.map((delivery, i) =>
        (i < FAST ? send(delivery) : trickle(first.base, key, delivery))
          .then(
            (answer) => {
              answers[i] = answer
            },
            () => {}
          )
          .finally(() => {
            if (i < FAST) fastPending--
          })
      )
    )
    for (;;) {
      const writing = (
        await sql(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'active' and query ilike '%insert into responses%'`
        )
      )[0].n
      if ((answers.some(Boolean) && writing > 0) || fastPending === 0) break
      await sleep(5)
    }
    first.child.kill('SIGKILL')
    await first.exited
    await settled
    const unanswered = posted.filter((_, i) => answers[i] === null)
    t.ok(
      unanswered.length < FAST + SLOW,
      `killed with ${FAST + SLOW - unanswered.length} of ${FAST + SLOW} batches answered`
    )
    posted.forEach((delivery, i) => checkAnswer(t, delivery, answers[i], `batch #${i}`))

    // The killed process's backends end on their own (one writing ends when its commit or its answer fails).
    for (
      const until = Date.now() + 30_000;
      (
        await sql(
          'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()'
        )
      )[0].n > 0;
    ) {
      if (Date.now() > until) {
        t.fail("the killed server's backends are still there")
        break
      }
      await sleep(50)
    }
    const storedOf = async (externalIds: string[]) =>
      (await sql('select count(*)::int as n from responses where external_id = any($1)', [externalIds]))[0].n as number
    for (const [i, delivery] of posted.entries()) {
      const stored = await storedOf(delivery.records.map((r) => r.externalId))
      if (answers[i]) t.equal(stored, SIZE, `batch #${i}, answered: all of it stored`)
      else t.ok(stored === 0 || stored === SIZE, `batch #${i}, unanswered: ${stored} of ${SIZE} stored, all or nothing`)
    }

    const second = await startServer(port, env)
    t.teardown(() => {
      second.child.kill('SIGKILL')
    })
    const told = await retryUnanswered(
      t,
      httpSend(second.base, key),
      posted.map((delivery, i) => ({ delivery, answer: answers[i] }))
    )
    await checkStored(t, databaseUrl, told)
    t.equal(told.size, (FAST + SLOW) * SIZE, 'every record of every batch')
  }
)
