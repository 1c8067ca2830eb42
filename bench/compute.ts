/**
 * Computing a large campaign on PostgreSQL: 1,000,000 responses inserted straight into `responses` with SQL
 * (not over HTTP), then `POST /v1/campaigns/{id}/computations?mode=wait` against the service in a child
 * process, timed by wall clock (median of 3 after a warm-up), and the job mode once (POST ?mode=job, poll
 * every 200 ms). Target (the issue): a campaign of 1,000,000 responses computes in under 1.5 s here.
 *
 * Breakdown, in this process: the service's `loadResponses` (one binary COPY, the answers' conversion in
 * parallel workers) and the scoring core (`campaignResults`) called in-process; the same loader with parallel
 * workers turned off for the database; the same rows through `pg` alone (one query, answers left as text);
 * and the server's side alone: the scan, and the scan plus `array_send` of every answers value (serial and
 * parallel) without sending anything.
 *
 * Usage: node --import tsx bench/compute.ts   (BENCH_ROWS=… for a smaller run)
 */
import pg from 'pg'
import {
  collectingCampaign,
  createDatabase,
  databaseUrl,
  dropDatabase,
  startService,
  type Service
} from './ingestion-setup.js'
import { machine, median, round, table, writeResult } from './lib.js'
import { answerColumns } from '../src/scoring/instrument.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'
import { openDatabase, type Database } from '../src/db/client.js'
import { loadResponses } from '../src/db/queries/results.js'
import { campaignResults, NATIONAL_TARGETS } from '../src/domain/results.js'
import { campaignUnitIds, findCampaign, unitsByIds } from '../src/db/queries/campaigns.js'
import { getUnit } from '../src/db/queries/units.js'
import type { ScoringOptions } from '../src/scoring/methods.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const RUNS = 3
const TARGET_MS = 1500
const COLUMNS = answerColumns(STANDARD_INSTRUMENT)
const K = COLUMNS.length
const CRITERIA = STANDARD_INSTRUMENT.items.filter((i) => i.kind === 'criterion').map((i) => i.code)
const criterionPositions = CRITERIA.map((c) => COLUMNS.indexOf(c))
if (criterionPositions.some((p, i) => p !== i))
  throw new Error(
    `expected the criteria as the first ${CRITERIA.length} answer columns, got ${criterionPositions.join(',')}`
  )

const ms = (t0: number) => performance.now() - t0
const log = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`)

/** `runs` timed calls after `warmup` untimed ones; times in ms. */
async function timed<T>(fn: () => Promise<T>, runs: number, warmup: number, check: (value: T) => void = () => {}) {
  for (let i = 0; i < warmup; i++) check(await fn())
  const times: number[] = []
  let last: T | undefined
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    last = await fn()
    times.push(ms(t0))
    check(last)
  }
  return {
    times: times.map((t) => round(t, 0)),
    median: round(median(times), 0),
    min: round(Math.min(...times), 0),
    last: last as T
  }
}

async function admin(
  service: Service,
  method: string,
  path: string,
  expect: number[]
): Promise<{ status: number; body: any; bytes: number }> {
  const res = await fetch(`${service.url}${path}`, { method, headers: { authorization: `Bearer ${service.adminKey}` } })
  const text = await res.text()
  if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`)
  return { status: res.status, body: text === '' ? null : JSON.parse(text), bytes: Buffer.byteLength(text) }
}

/** Peak and current resident memory of a process (Linux), MiB. */
async function memoryOf(pid: number | undefined): Promise<{ peakMiB: number; rssMiB: number } | null> {
  if (pid === undefined) return null
  try {
    const { readFile } = await import('node:fs/promises')
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN)
    return { peakMiB: round(kb('VmHWM') / 1024, 0), rssMiB: round(kb('VmRSS') / 1024, 0) }
  } catch {
    return null
  }
}

// ---------------------------------------------------------------------------------------------------------
// Loading the rows

/**
 * 1,000,000 rows in one INSERT … SELECT: answers come from a pool of 8192 distinct arrays (picked per row by
 * a hash of the row number), each with the 22 criteria 0–5 or NULL (mostly 4–5) and NULL elsewhere.
 */
async function insertResponses(client: pg.Client, campaignId: string, communes: string[]): Promise<void> {
  await client.query(`create temp table bench_pool as
    select k, array(
      select (case when c > ${CRITERIA.length} then null
                   when h < 3 then null when h < 6 then 0 when h < 50 then 5 when h < 85 then 4
                   when h < 92 then 3 when h < 97 then 2 else 1 end)::smallint
      from generate_series(1, ${K}) c, lateral (select (hashint4(k * 131 + c) & 2147483647) % 100 as h) x
      order by c) as answers
    from generate_series(0, 8191) k`)
  await client.query('create unique index on bench_pool (k)')
  await client.query(
    `insert into responses (campaign_id, unit_id, client_id, external_id, content_hash, channel, collected_at, answers)
    select $1::uuid, ($2::uuid[])[1 + g % 3], 'bench', 'bench-' || g, 'x', 'kiosk', '2026-10-15T09:00:00+07', p.answers
    from generate_series(1, ${ROWS}) g join bench_pool p on p.k = (hashint4(g) & 8191)`,
    [campaignId, communes]
  )
}

// ---------------------------------------------------------------------------------------------------------

const loadBefore = machine().loadAverage
const database = await createDatabase()
let service: Service | undefined
let client: pg.Client | undefined
let inProcess: Database | undefined
const benchStart = performance.now()
try {
  service = await startService(database)
  const { campaignId, communes } = await collectingCampaign(service)
  client = new pg.Client({ connectionString: databaseUrl(database) })
  await client.connect()

  log(
    `inserting ${ROWS.toLocaleString('en-US')} responses (${K} answer columns, ${CRITERIA.length} criteria) with INSERT … SELECT`
  )
  let t0 = performance.now()
  await insertResponses(client, campaignId, communes)
  const insertMs = ms(t0)
  t0 = performance.now()
  await client.query('vacuum analyze responses')
  const vacuumMs = ms(t0)
  const sizes = (
    await client.query(`select pg_relation_size('responses') as heap, pg_indexes_size('responses') as indexes,
    (select avg(pg_column_size(answers))::int from (select answers from responses limit 10000) s) as answer_bytes`)
  ).rows[0]
  log(
    `inserted in ${round(insertMs / 1000)} s, vacuum analyze ${round(vacuumMs / 1000)} s; heap ${round(sizes.heap / 2 ** 20, 0)} MiB, indexes ${round(sizes.indexes / 2 ** 20, 0)} MiB`
  )

  // --- The route, waiting for the result
  let province: any
  const checkWait = ({ body }: { body: any }) => {
    if (body.responses !== ROWS || body.results?.responses !== ROWS)
      throw new Error(`the computation counted ${body.responses} / ${body.results?.responses} responses, not ${ROWS}`)
    if (typeof body.results.province?.overall?.estimate !== 'number')
      throw new Error(`no province overall estimate: ${JSON.stringify(body.results.province?.overall)}`)
    province = body.results.province
  }
  log(`POST …/computations?mode=wait: 1 warm-up + ${RUNS} timed`)
  const wait = await timed(
    () => admin(service!, 'POST', `/v1/campaigns/${campaignId}/computations?mode=wait`, [201]),
    RUNS,
    1,
    checkWait
  )
  const serviceMemory = await memoryOf(service.child.pid)
  log(
    `wait mode: median ${wait.median} ms (${wait.times.join(', ')}); the service's peak RSS ${serviceMemory?.peakMiB} MiB`
  )

  // --- The route as a job, polled every 200 ms
  log('POST …/computations?mode=job, polling every 200 ms')
  t0 = performance.now()
  const started = await admin(service, 'POST', `/v1/campaigns/${campaignId}/computations?mode=job`, [202])
  const acceptedMs = ms(t0)
  let polls = 0
  let shed = 0
  const progressSeen: number[] = []
  let done: any
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    const res = await admin(service, 'GET', `/v1/campaigns/${campaignId}/computations/${started.body.id}`, [200, 503])
    polls++
    if (res.status === 503) {
      shed++
      continue
    }
    if (progressSeen.at(-1) !== round(res.body.progress, 2)) progressSeen.push(round(res.body.progress, 2))
    if (res.body.status === 'failed') throw new Error(`the job failed: ${res.body.error}`)
    if (res.body.status === 'done') {
      done = res.body
      break
    }
    if (ms(t0) > 120_000) throw new Error('the job did not finish within 2 minutes')
  }
  const jobMs = ms(t0)
  if (done.responses !== ROWS || typeof done.results?.province?.overall?.estimate !== 'number')
    throw new Error("the job's result is incomplete")
  log(
    `job mode: ${round(jobMs, 0)} ms to done (202 after ${round(acceptedMs, 0)} ms, ${polls} polls, ${shed} shed with 503)`
  )

  // --- Breakdown, in this process (the service is idle)
  log('breakdown: the loader in-process (parallel workers on, then off), scoring, pg alone, the server alone')
  const serverScan = await timed(
    () =>
      client!.query('select count(*) as n, sum(cardinality(answers)) as cells from responses where campaign_id = $1', [
        campaignId
      ]),
    RUNS,
    1
  )
  // array_send is what the loader asks of the server per row; summing its lengths costs it without sending anything.
  const sendQuery = 'select sum(length(array_send(answers))) from responses where campaign_id = $1'
  await client.query('set max_parallel_workers_per_gather = 0')
  const serverSendSerial = await timed(() => client!.query(sendQuery, [campaignId]), RUNS, 1)
  await client.query('reset max_parallel_workers_per_gather; set parallel_tuple_cost = 0')
  const serverSendParallel = await timed(() => client!.query(sendQuery, [campaignId]), RUNS, 1)
  const sendPlan = (await client.query(`explain (format json) ${sendQuery}`, [campaignId])).rows[0]['QUERY PLAN'][0]
    .Plan
  const workersPlanned = sendPlan.Plans?.[0]?.['Workers Planned'] ?? sendPlan['Workers Planned'] ?? 0
  await client.query('reset parallel_tuple_cost')
  const asText = { types: { getTypeParser: () => (value: string) => value } }
  const pgText = await timed(
    async () =>
      (
        await client!.query({
          text: 'select unit_id, answers from responses where campaign_id = $1',
          values: [campaignId],
          types: asText.types as never
        })
      ).rowCount,
    RUNS,
    0
  )

  const sum = (a: Uint8Array) => {
    let s = 0
    for (let i = 0; i < a.length; i++) s += a[i]
    return s
  }
  const loadWith = async (url: string) => {
    const database = await openDatabase({ databaseUrl: url, dataDir: 'memory://' })
    try {
      let loaded: Awaited<ReturnType<typeof loadResponses>> | undefined
      const time = await timed(
        async () => {
          loaded = await loadResponses(database.db, campaignId, COLUMNS, null, () => {}, ROWS)
          return loaded.batch.size
        },
        RUNS,
        1,
        (n) => {
          if (n !== ROWS) throw new Error(`the loader read ${n} rows`)
        }
      )
      return { ...time, loaded: loaded!, checksum: sum(loaded!.batch.answers) }
    } finally {
      await database.close()
    }
  }
  const loader = await loadWith(databaseUrl(database))
  // New connections to the database inherit the setting: the loader as it is, without parallel workers.
  await client.query(`alter database ${database} set max_parallel_workers_per_gather = 0`)
  const serialLoader = await loadWith(databaseUrl(database))
  await client.query(`alter database ${database} reset max_parallel_workers_per_gather`)
  const serialMatches =
    serialLoader.checksum === loader.checksum &&
    serialLoader.loaded.batch.units.length === loader.loaded.batch.units.length

  // The scoring core on the loaded batch, as computeCampaign calls it (metadata read once, outside the timing).
  inProcess = await openDatabase({ databaseUrl: databaseUrl(database), dataDir: 'memory://' })
  const db = inProcess.db
  const campaign = await findCampaign(db, campaignId)
  const provinceUnit = (await getUnit(db, campaign.provinceId))!
  const campaignUnits = await unitsByIds(db, await campaignUnitIds(db, campaignId))
  const scoreOnce = async () =>
    campaignResults({
      batch: loader.loaded.batch,
      design: loader.loaded.design,
      instrument: STANDARD_INSTRUMENT,
      options: campaign.scoring as ScoringOptions,
      province: { id: provinceUnit.id, code: provinceUnit.code, name: provinceUnit.name, level: provinceUnit.level },
      units: campaignUnits.map((u) => ({ id: u.id, code: u.code ?? u.agencyCode, name: u.name, level: u.level })),
      responseRate: () => null,
      parRule: campaign.parRule as never,
      targets: NATIONAL_TARGETS
    })
  const scoring = await timed(scoreOnce, RUNS, 1, (r) => {
    if (r.responses !== ROWS) throw new Error('the scoring core saw another batch')
  })
  const scoringMs = scoring.median
  const remainder = round(wait.median - loader.median - scoringMs, 0)
  const restMs = remainder > 0 ? remainder : null

  const loadAfter = machine().loadAverage
  const met = wait.median < TARGET_MS
  const share = (x: number) => `${round((100 * x) / wait.median, 0)}%`
  console.log()
  console.log(
    table([
      ['what', 'median ms', 'runs ms', 'of the route'],
      ['POST …/computations?mode=wait (HTTP, child process)', wait.median, wait.times.join(', '), '100%'],
      ['POST …?mode=job + poll every 200 ms (once)', round(jobMs, 0), String(round(jobMs, 0)), share(jobMs)],
      [
        'in-process loadResponses (binary COPY, parallel workers)',
        loader.median,
        loader.times.join(', '),
        share(loader.median)
      ],
      ['in-process campaignResults (scoring core)', scoringMs, scoring.times.join(', '), share(scoringMs)],
      [
        '  → remainder (HTTP, metadata, count, save, JSON; approximate)',
        restMs ?? 'within noise',
        '',
        restMs === null ? '' : share(restMs)
      ],
      [
        'in-process loadResponses, parallel workers off',
        serialLoader.median,
        serialLoader.times.join(', '),
        share(serialLoader.median)
      ],
      [
        'pg: select unit_id, answers … (one query, answers as text)',
        pgText.median,
        pgText.times.join(', '),
        share(pgText.median)
      ],
      [
        'server only: count + cardinality scan',
        serverScan.median,
        serverScan.times.join(', '),
        share(serverScan.median)
      ],
      [
        'server only: scan + array_send of every row, serial',
        serverSendSerial.median,
        serverSendSerial.times.join(', '),
        share(serverSendSerial.median)
      ],
      [
        `server only: scan + array_send, ${workersPlanned} parallel workers`,
        serverSendParallel.median,
        serverSendParallel.times.join(', '),
        share(serverSendParallel.median)
      ]
    ])
  )
  console.log(
    `\ntarget 1,000,000 responses in < 1.5 s: ${met ? 'met' : 'NOT met'} (median ${wait.median} ms); province overall ${round(province.overall.estimate, 2)}%`
  )
  console.log(`the loader without parallel workers builds the same batch: ${serialMatches}`)

  const notes = [
    `Load average ${loadBefore.join(' / ')} before, ${loadAfter.join(' / ')} after (1/5/15 min) on ${machine().cpus} cores; the service, PostgreSQL (with its parallel workers) and this process share them.`,
    `Rows: one INSERT … SELECT over generate_series (${round(insertMs / 1000)} s) then VACUUM ANALYZE (${round(vacuumMs / 1000)} s); answers from a pool of 8192 arrays of ${K} smallints (22 criteria 0–5/NULL, mostly 4–5; NULL elsewhere), ${sizes.answer_bytes} bytes per answers value; heap ${round(sizes.heap / 2 ** 20, 0)} MiB, indexes ${round(sizes.indexes / 2 ** 20, 0)} MiB.`,
    `The loader (loadResponses: COPY (select unit_id, null, array_send(answers) …) TO STDOUT (FORMAT binary), parsed as it streams) is ${share(loader.median)} of the route; the scoring core (campaignResults on the loaded batch) ${share(scoringMs)}; the remainder (HTTP, the count and metadata queries, saving the computation, JSON) ${restMs === null ? `is within the noise (route − loader − scoring = ${remainder} ms)` : `≈ ${share(restMs)}`}.`,
    `Where the loader's time goes: the server's scan alone takes ${serverScan.median} ms; with array_send of every answers value (the per-element conversion the wire needs) ${serverSendSerial.median} ms serially and ${serverSendParallel.median} ms with ${workersPlanned} parallel workers, nothing sent. The loader takes ${loader.median} ms with parallel workers and ${serialLoader.median} ms without (same batch: ${serialMatches}), so the client's parsing overlaps the server's work; one plain query of the answers as text through pg takes ${pgText.median} ms before any parsing into the batch.`,
    `Job mode: 202 after ${round(acceptedMs, 0)} ms, done after ${round(jobMs, 0)} ms with ${polls} polls (${shed} shed with 503 by under-pressure while the event loop was busy); progress seen: ${progressSeen.join(', ')}.`,
    `The service's peak RSS after the wait-mode runs: ${serviceMemory?.peakMiB ?? '?'} MiB.`
  ]
  const figures = {
    rows: ROWS,
    answerColumns: K,
    insertSeconds: round(insertMs / 1000),
    vacuumAnalyzeSeconds: round(vacuumMs / 1000),
    heapMiB: round(sizes.heap / 2 ** 20, 0),
    indexesMiB: round(sizes.indexes / 2 ** 20, 0),
    waitMs: { median: wait.median, runs: wait.times, responseBytes: wait.last.bytes },
    job: { wallMs: round(jobMs, 0), acceptedMs: round(acceptedMs, 0), polls, shed503: shed, progressSeen },
    breakdownMs: {
      loadResponsesInProcess: loader.median,
      scoringCore: scoringMs,
      rest: restMs,
      loadResponsesWithoutParallelWorkers: serialLoader.median,
      pgOneQueryText: pgText.median,
      serverScanOnly: serverScan.median,
      serverArraySendSerial: serverSendSerial.median,
      serverArraySendParallel: serverSendParallel.median
    },
    parallelWorkersPlanned: workersPlanned,
    serialLoaderMatches: serialMatches,
    serviceMemory,
    provinceOverall: round(province.overall.estimate, 3),
    targets: { '1,000,000 responses in < 1.5 s': met }
  }
  const path = writeResult('compute', figures, { target: '1,000,000 responses in < 1.5 s', targetMs: TARGET_MS }, notes)
  console.log(`\n${notes.join('\n')}\n\nwritten to ${path} (${round(ms(benchStart) / 1000, 0)} s in all)`)
} catch (error) {
  if (service) console.error(`the service's last lines:\n${service.output().join('\n')}`)
  throw error
} finally {
  await inProcess?.close().catch(() => {})
  await client?.end().catch(() => {})
  await service?.stop()
  await dropDatabase(database)
}
