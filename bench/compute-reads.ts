/**
 * Public reads while a large campaign is computed (issue 18): autocannon at 50 connections on a published unit
 * index for BENCH_SECONDS, first with the service idle, then while the service computes a campaign of
 * 1,000,000 responses over and over (POST …/computations?mode=wait, one after the other). Twice in one run:
 * with the document made on the event loop (COMPUTE_OFF_THREAD_FROM above the campaign: before the compute
 * pool), then on the pool (the default). Targets: on the pool, p99 < 20 ms and at least 70% of the idle
 * throughput. Last, the pool's service is read beside a busy loop at the lowest priority in another process,
 * which computes nothing: the share of the reads that any other work on the machine costs them.
 *
 * Usage: node --import tsx bench/compute-reads.ts   (BENCH_ROWS=…, BENCH_SECONDS=…)
 */
import { spawn } from 'node:child_process'
import pg from 'pg'
import {
  collectingCampaign,
  createDatabase,
  databaseUrl,
  dropDatabase,
  insertSyntheticResponses,
  publishedUnitPath,
  readLoad,
  startService,
  type Service
} from './ingestion-setup.js'
import { machine, round, table, writeResult } from './lib.js'
import { answerColumns } from '../src/scoring/instrument.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = 50
const COLUMNS = answerColumns(STANDARD_INSTRUMENT).length
const CRITERIA = STANDARD_INSTRUMENT.items.filter((i) => i.kind === 'criterion').length
const log = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`)

/** The reads at idle, then during back-to-back computations of `campaignId`; the computations' times. */
async function readsAround(service: Service, url: string, campaignId: string) {
  const idle = await readLoad(url, { connections: CONNECTIONS, seconds: SECONDS })
  const computations: number[] = []
  let reading = true
  const computing = (async () => {
    while (reading) {
      const started = performance.now()
      const res = await fetch(`${service.url}/v1/campaigns/${campaignId}/computations?mode=wait`, {
        method: 'POST',
        headers: { authorization: `Bearer ${service.adminKey}` }
      })
      if (res.status !== 201) throw new Error(`computation: ${res.status} ${await res.text()}`)
      await res.arrayBuffer()
      computations.push(round(performance.now() - started, 0))
    }
  })()
  // The first computation is under way (its rows streaming in) before the clock of the reads starts.
  await new Promise((resolve) => setTimeout(resolve, 300))
  const during = await readLoad(url, { connections: CONNECTIONS, seconds: SECONDS })
  reading = false
  await computing
  for (const run of [idle, during])
    if (run.rps === 0 || run.non2xx > 0 || run.errors > 0) throw new Error(`the reads failed: ${JSON.stringify(run)}`)
  return { idle, during, ratio: round(during.rps / idle.rps, 2), computations }
}

/**
 * For scale: the same reads beside a busy loop in another process at the lowest priority (nice 19), which
 * computes nothing and touches no memory. On this 2-core VM the reads lose throughput to it although the
 * scheduler gives it the least it can: whatever runs on the other core slows this one.
 */
async function readsBesideBusyLoop(url: string) {
  const loop = spawn('nice', ['-n', '19', process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' })
  try {
    await new Promise((resolve) => setTimeout(resolve, 300))
    return await readLoad(url, { connections: CONNECTIONS, seconds: SECONDS })
  } finally {
    loop.kill()
  }
}

const loadBefore = machine().loadAverage
const database = await createDatabase()
let service: Service | undefined
const client = new pg.Client({ connectionString: databaseUrl(database) })
try {
  service = await startService(database)
  const unitPath = await publishedUnitPath(service)
  const { campaignId, communes } = await collectingCampaign(service)
  await client.connect()
  log(`inserting ${ROWS.toLocaleString('en-US')} responses`)
  await insertSyntheticResponses(client, campaignId, communes, ROWS, COLUMNS, CRITERIA)
  await client.query('vacuum analyze responses')
  await service.stop()

  const modes: Array<[string, Record<string, string>]> = [
    ['on the event loop (before the pool)', { COMPUTE_OFF_THREAD_FROM: String(ROWS * 10) }],
    ['on the compute pool (default)', {}]
  ]
  const results: Record<string, Awaited<ReturnType<typeof readsAround>>> = {}
  let besideLoop: Awaited<ReturnType<typeof readLoad>> | undefined
  for (const [name, env] of modes) {
    service = await startService(database, { env })
    // One untimed computation: the pool's thread starts and compiles the scoring passes.
    await fetch(`${service.url}/v1/campaigns/${campaignId}/computations?mode=wait`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.adminKey}` }
    })
    log(`${name}: ${SECONDS} s of reads idle, then ${SECONDS} s during computations`)
    results[name] = await readsAround(service, `${service.url}${unitPath}`, campaignId)
    if (name === modes[1][0]) {
      log(`${SECONDS} s of reads beside a busy loop at nice 19 in another process (for scale)`)
      besideLoop = await readsBesideBusyLoop(`${service.url}${unitPath}`)
    }
    await service.stop()
    service = undefined
  }
  const [loop, pool] = modes.map(([name]) => results[name])
  const beside = besideLoop as Awaited<ReturnType<typeof readLoad>>
  const besideRatio = round(beside.rps / pool.idle.rps, 2)
  console.log(
    table([
      ['computations made', 'reads', 'req/s', 'p50 ms', 'p99 ms', 'of idle', 'computations ms'],
      ...modes.flatMap(([name]) => {
        const r = results[name]
        return [
          [name, 'idle', r.idle.rps, r.idle.p50, r.idle.p99, '100%', ''],
          [
            '',
            'during',
            r.during.rps,
            r.during.p50,
            r.during.p99,
            `${round(100 * r.ratio, 0)}%`,
            r.computations.join(', ')
          ]
        ]
      }),
      [
        'no computation: a busy loop at nice 19 beside',
        'beside',
        beside.rps,
        beside.p50,
        beside.p99,
        `${round(100 * besideRatio, 0)}%`,
        ''
      ]
    ])
  )
  const figures = {
    rows: ROWS,
    seconds: SECONDS,
    connections: CONNECTIONS,
    onTheEventLoop: loop,
    onThePool: pool,
    // The pool's service again, reading beside a lowest-priority busy loop: what any other work costs the reads.
    besideBusyLoop: { ...beside, ratio: besideRatio },
    targets: {
      'p99 < 20 ms during a computation': pool.during.p99 < 20,
      '≥ 70% of the idle throughput during a computation': pool.ratio >= 0.7
    }
  }
  const notes = [
    `Load average ${loadBefore.join(' / ')} before, ${machine().loadAverage.join(' / ')} after, on ${machine().cpus} cores shared by the service (its event loop and compute thread), PostgreSQL and autocannon.`,
    'Each mode runs in a fresh service process on the same database; the published unit index read is one of a small campaign, the computed campaign another.',
    `Beside a busy loop at nice 19 in another process (no computation): ${round(100 * besideRatio, 0)}% of the pool's idle throughput, p99 ${beside.p99} ms: what continuous work at the lowest priority costs the reads here.`
  ]
  const path = writeResult(
    'compute-reads',
    figures,
    { target: 'public reads during a 1M-response computation: p99 < 20 ms, ≥ 70% of the idle throughput' },
    notes
  )
  console.log(`\n${notes.join('\n')}\nwritten to ${path}`)
} catch (error) {
  if (service) console.error(`the service's last lines:\n${service.output().join('\n')}`)
  throw error
} finally {
  await client.end().catch(() => {})
  await service?.stop()
  await dropDatabase(database)
}
