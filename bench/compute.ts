/**
 * Computing a large campaign on PostgreSQL: 1,000,000 responses inserted straight into `responses` with SQL
 * (not over HTTP), then `POST /v1/campaigns/{id}/computations?mode=wait` against the service in a child
 * process, timed by wall clock (median of 3 after a warm-up), and the job mode once (POST ?mode=job, poll
 * every 200 ms). Target (the issue): a campaign of 1,000,000 responses computes in under 1.5 s here.
 *
 * Breakdown, in this process: the same rows read through `pg` alone (one query; answers parsed by pg, and
 * answers left as text), the loader's own keyset-paged query through `pg`, the server-side scan alone, the
 * service's `loadResponses` and the scoring core (`campaignResults`) called in-process, and a prototype of a binary-COPY reader
 * (what a faster loader could reach).
 *
 * Usage: node --import tsx bench/compute.ts   (BENCH_ROWS=… for a smaller run)
 */
import pg from 'pg'
import copyStreams from 'pg-copy-streams'
import { collectingCampaign, createDatabase, databaseUrl, dropDatabase, startService, type Service } from './ingestion-setup.js'
import { machine, median, round, table, writeResult } from './lib.js'
import { answerColumns } from '../src/scoring/instrument.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'
import { MISSING } from '../src/scoring/batch.js'
import { openDatabase, type Database } from '../src/db/client.js'
import { loadResponses } from '../src/db/queries/results.js'
import { campaignResults } from '../src/domain/results.js'
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
if (criterionPositions.some((p, i) => p !== i)) throw new Error(`expected the criteria as the first ${CRITERIA.length} answer columns, got ${criterionPositions.join(',')}`)

const ms = (t0: number) => performance.now() - t0
const log = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`)

/** `runs` timed calls after `warmup` untimed ones; times in ms. */
async function timed<T> (fn: () => Promise<T>, runs: number, warmup: number, check: (value: T) => void = () => {}) {
  for (let i = 0; i < warmup; i++) check(await fn())
  const times: number[] = []
  let last: T | undefined
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    last = await fn()
    times.push(ms(t0))
    check(last)
  }
  return { times: times.map((t) => round(t, 0)), median: round(median(times), 0), min: round(Math.min(...times), 0), last: last as T }
}

async function admin (service: Service, method: string, path: string, expect: number[]): Promise<{ status: number, body: any, bytes: number }> {
  const res = await fetch(`${service.url}${path}`, { method, headers: { authorization: `Bearer ${service.adminKey}` } })
  const text = await res.text()
  if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`)
  return { status: res.status, body: text === '' ? null : JSON.parse(text), bytes: Buffer.byteLength(text) }
}

/** Peak and current resident memory of a process (Linux), MiB. */
async function memoryOf (pid: number | undefined): Promise<{ peakMiB: number, rssMiB: number } | null> {
  if (pid === undefined) return null
  try {
    const { readFile } = await import('node:fs/promises')
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN)
    return { peakMiB: round(kb('VmHWM') / 1024, 0), rssMiB: round(kb('VmRSS') / 1024, 0) }
  } catch { return null }
}

// ---------------------------------------------------------------------------------------------------------
// Loading the rows

/**
 * 1,000,000 rows in one INSERT … SELECT: answers come from a pool of 8192 distinct arrays (picked per row by
 * a hash of the row number), each with the 22 criteria 0–5 or NULL (mostly 4–5) and NULL elsewhere.
 */
async function insertResponses (client: pg.Client, campaignId: string, communes: string[]): Promise<void> {
  await client.query(`create temp table bench_pool as
    select k, array(
      select (case when c > ${CRITERIA.length} then null
                   when h < 3 then null when h < 6 then 0 when h < 50 then 5 when h < 85 then 4
                   when h < 92 then 3 when h < 97 then 2 else 1 end)::smallint
      from generate_series(1, ${K}) c, lateral (select (hashint4(k * 131 + c) & 2147483647) % 100 as h) x
      order by c) as answers
    from generate_series(0, 8191) k`)
  await client.query('create unique index on bench_pool (k)')
  await client.query(`insert into responses (campaign_id, unit_id, client_id, external_id, content_hash, channel, collected_at, answers)
    select $1::uuid, ($2::uuid[])[1 + g % 3], 'bench', 'bench-' || g, 'x', 'kiosk', '2026-10-15T09:00:00+07', p.answers
    from generate_series(1, ${ROWS}) g join bench_pool p on p.k = (hashint4(g) & 8191)`, [campaignId, communes])
}

// ---------------------------------------------------------------------------------------------------------
// A prototype binary-COPY reader: the same batch the loader builds, without JS arrays per row

interface Packed { size: number, answers: Uint8Array, unit: Uint32Array, units: string[] }

/**
 * COPY (select unit_id, answers …) TO STDOUT (FORMAT binary), parsed as it streams straight into the
 * columnar arrays: per row a 16-byte uuid and a smallint[] (header, then per element a length, -1 for NULL,
 * and two bytes).
 */
async function copyBinary (client: pg.Client, campaignId: string, expected: number): Promise<Packed> {
  const answers = new Uint8Array(expected * K).fill(MISSING)
  const unit = new Uint32Array(expected)
  const units: string[] = []
  const unitIndex = new Map<string, number>()
  let r = 0
  let headerDone = false
  let rest: Buffer = Buffer.alloc(0)
  const stream = client.query(copyStreams.to(`copy (select unit_id, answers from responses where campaign_id = '${campaignId}') to stdout (format binary)`))
  const parse = (buf: Buffer): number => {
    let at = 0
    if (!headerDone) {
      if (buf.length < 19) return 0
      at = 19 + buf.readInt32BE(15)
      headerDone = true
    }
    for (;;) {
      if (buf.length - at < 2) return at
      const fields = buf.readInt16BE(at)
      if (fields === -1) return buf.length // trailer
      // uuid field: 4 + 16, then the array's length word
      if (buf.length - at < 2 + 20 + 4) return at
      const arrayLength = buf.readInt32BE(at + 22)
      const end = at + 26 + arrayLength
      if (end > buf.length) return at
      const key = buf.toString('latin1', at + 6, at + 22)
      let u = unitIndex.get(key)
      if (u === undefined) { u = units.length; unitIndex.set(key, u); units.push(buf.toString('hex', at + 6, at + 22)) }
      unit[r] = u
      let p = at + 26
      const ndim = buf.readInt32BE(p)
      const n = ndim === 0 ? 0 : buf.readInt32BE(p + 12)
      p += 12 + 8 * ndim
      const row = r * K
      for (let c = 0; c < n; c++) {
        const len = buf.readInt32BE(p)
        if (len === -1) { p += 4; continue }
        if (c < K) answers[row + c] = buf.readInt16BE(p + 4)
        p += 4 + len
      }
      r++
      at = end
    }
  }
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = rest.length === 0 ? chunk : Buffer.concat([rest, chunk])
    const used = parse(buf)
    rest = used === buf.length ? Buffer.alloc(0) : buf.subarray(used)
  }
  return { size: r, answers, unit, units }
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

  log(`inserting ${ROWS.toLocaleString('en-US')} responses (${K} answer columns, ${CRITERIA.length} criteria) with INSERT … SELECT`)
  let t0 = performance.now()
  await insertResponses(client, campaignId, communes)
  const insertMs = ms(t0)
  t0 = performance.now()
  await client.query('vacuum analyze responses')
  const vacuumMs = ms(t0)
  const sizes = (await client.query(`select pg_relation_size('responses') as heap, pg_indexes_size('responses') as indexes,
    (select avg(pg_column_size(answers))::int from (select answers from responses limit 10000) s) as answer_bytes`)).rows[0]
  log(`inserted in ${round(insertMs / 1000)} s, vacuum analyze ${round(vacuumMs / 1000)} s; heap ${round(sizes.heap / 2 ** 20, 0)} MiB, indexes ${round(sizes.indexes / 2 ** 20, 0)} MiB`)

  // --- The route, waiting for the result
  let province: any
  const checkWait = ({ body }: { body: any }) => {
    if (body.responses !== ROWS || body.results?.responses !== ROWS) throw new Error(`the computation counted ${body.responses} / ${body.results?.responses} responses, not ${ROWS}`)
    if (typeof body.results.province?.overall?.estimate !== 'number') throw new Error(`no province overall estimate: ${JSON.stringify(body.results.province?.overall)}`)
    province = body.results.province
  }
  log(`POST …/computations?mode=wait: 1 warm-up + ${RUNS} timed`)
  const wait = await timed(() => admin(service!, 'POST', `/v1/campaigns/${campaignId}/computations?mode=wait`, [201]), RUNS, 1, checkWait)
  const serviceMemory = await memoryOf(service.child.pid)
  log(`wait mode: median ${wait.median} ms (${wait.times.join(', ')}); the service's peak RSS ${serviceMemory?.peakMiB} MiB`)

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
    if (res.status === 503) { shed++; continue }
    if (progressSeen.at(-1) !== round(res.body.progress, 2)) progressSeen.push(round(res.body.progress, 2))
    if (res.body.status === 'failed') throw new Error(`the job failed: ${res.body.error}`)
    if (res.body.status === 'done') { done = res.body; break }
    if (ms(t0) > 120_000) throw new Error('the job did not finish within 2 minutes')
  }
  const jobMs = ms(t0)
  if (done.responses !== ROWS || typeof done.results?.province?.overall?.estimate !== 'number') throw new Error('the job\'s result is incomplete')
  log(`job mode: ${round(jobMs, 0)} ms to done (202 after ${round(acceptedMs, 0)} ms, ${polls} polls, ${shed} shed with 503)`)

  // --- Breakdown, in this process (the service is idle)
  log('breakdown: pg alone, the loader in-process, a binary COPY prototype')
  // The slow reads (≈ the route's time each) run once, the faster ones twice: the whole run stays within a few minutes.
  const serverScan = await timed(() => client!.query('select count(*) as n, sum(cardinality(answers)) as cells from responses where campaign_id = $1', [campaignId]), RUNS, 1)
  const pgParsed = await timed(async () => (await client!.query('select answers from responses where campaign_id = $1', [campaignId])).rowCount, 1, 0, (n) => { if (n !== ROWS) throw new Error(`pg read ${n} rows`) })
  const asText = { types: { getTypeParser: () => (value: string) => value } }
  const pgText = await timed(async () => (await client!.query({ text: 'select unit_id, answers from responses where campaign_id = $1', values: [campaignId], types: asText.types as never })).rowCount, 2, 0)
  // The loader's own query: keyset pages of 50,000 on id, answers parsed by pg (as drizzle over node-postgres does).
  const pagedQuery = async (parse: boolean) => {
    let after = '00000000-0000-0000-0000-000000000000'
    let n = 0
    for (;;) {
      const page = await client!.query({
        text: 'select r.id, r.unit_id, null as stratum, r.answers from responses r where r.campaign_id = $1 and r.id > $2 order by r.id limit 50000',
        values: [campaignId, after],
        ...(parse ? {} : { types: asText.types as never })
      })
      n += page.rows.length
      if (page.rows.length < 50_000) return n
      after = page.rows[page.rows.length - 1].id
    }
  }
  const paged = await timed(() => pagedQuery(true), 1, 0)
  const pagedText = await timed(() => pagedQuery(false), 2, 0)
  const firstPagePlan = (await client.query(`explain (analyze, buffers, format json) select r.id, r.unit_id, null as stratum, r.answers from responses r
    where r.campaign_id = $1 and r.id > '00000000-0000-0000-0000-000000000000' order by r.id limit 50000`, [campaignId])).rows[0]['QUERY PLAN'][0]
  const planNodes: string[] = []
  const walk = (node: any) => { planNodes.push(`${node['Node Type']}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`); for (const child of node.Plans ?? []) walk(child) }
  walk(firstPagePlan.Plan)
  const firstPageMs = round(firstPagePlan['Execution Time'], 0)

  inProcess = await openDatabase({ databaseUrl: databaseUrl(database), dataDir: 'memory://' })
  const db = inProcess.db
  let loaded: Awaited<ReturnType<typeof loadResponses>> | undefined
  const loader = await timed(async () => { loaded = await loadResponses(db, campaignId, COLUMNS, null); return loaded.batch.size }, 1, 0, (n) => { if (n !== ROWS) throw new Error(`the loader read ${n} rows`) })
  // The scoring core on the loaded batch, as computeCampaign calls it (metadata read once, outside the timing).
  const campaign = await findCampaign(db, campaignId)
  const provinceUnit = (await getUnit(db, campaign.provinceId))!
  const campaignUnits = await unitsByIds(db, await campaignUnitIds(db, campaignId))
  const scoreOnce = async () => campaignResults({
    batch: loaded!.batch,
    design: loaded!.design,
    instrument: STANDARD_INSTRUMENT,
    options: campaign.scoring as ScoringOptions,
    province: { id: provinceUnit.id, code: provinceUnit.code, name: provinceUnit.name, level: provinceUnit.level },
    units: campaignUnits.map((u) => ({ id: u.id, code: u.code ?? u.agencyCode, name: u.name, level: u.level })),
    responseRate: () => null,
    parRule: campaign.parRule as never
  })
  const scoring = await timed(scoreOnce, RUNS, 1, (r) => { if (r.responses !== ROWS) throw new Error('the scoring core saw another batch') })
  const copy = await timed(() => copyBinary(client!, campaignId, ROWS), RUNS, 1, (p) => { if (p.size !== ROWS) throw new Error(`COPY read ${p.size} rows`) })
  // The prototype must build the same batch as the loader: same number of rows and units, same answer checksum.
  const reference = loaded!.batch
  const sum = (a: Uint8Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s }
  const copyMatches = reference.size === copy.last.size && sum(reference.answers) === sum(copy.last.answers) && reference.units.length === copy.last.units.length
  const scoringMs = scoring.median
  // The loader runs once here (cold, ≈ the route's own time): the remainder is only meaningful when positive.
  const remainder = round(wait.median - loader.median - scoringMs, 0)
  const restMs = remainder > 0 ? remainder : null

  const loadAfter = machine().loadAverage
  const met = wait.median < TARGET_MS
  const share = (x: number) => `${round(100 * x / wait.median, 0)}%`
  console.log()
  console.log(table([
    ['what', 'median ms', 'runs ms', 'of the route'],
    ['POST …/computations?mode=wait (HTTP, child process)', wait.median, wait.times.join(', '), '100%'],
    ['POST …?mode=job + poll every 200 ms (once)', round(jobMs, 0), String(round(jobMs, 0)), share(jobMs)],
    ['in-process loadResponses (the loader, once)', loader.median, loader.times.join(', '), share(loader.median)],
    ['in-process campaignResults (scoring core)', scoringMs, scoring.times.join(', '), share(scoringMs)],
    ['  → remainder (HTTP, metadata, save, JSON; approximate)', restMs ?? 'within noise', '', restMs === null ? '' : share(restMs)],
    ['pg: loader\'s paged query, answers parsed (drizzle does this)', paged.median, paged.times.join(', '), share(paged.median)],
    ['pg: loader\'s paged query, answers left as text', pagedText.median, pagedText.times.join(', '), share(pagedText.median)],
    ['pg: select answers … (one query, parsed)', pgParsed.median, pgParsed.times.join(', '), share(pgParsed.median)],
    ['pg: select unit_id, answers … (one query, text)', pgText.median, pgText.times.join(', '), share(pgText.median)],
    ['server only: count + cardinality scan', serverScan.median, serverScan.times.join(', '), share(serverScan.median)],
    ['prototype: binary COPY → columnar batch', copy.median, copy.times.join(', '), share(copy.median)]
  ]))
  console.log(`\ntarget 1,000,000 responses in < 1.5 s: ${met ? 'met' : 'NOT met'} (median ${wait.median} ms); province overall ${round(province.overall.estimate, 2)}%`)
  console.log(`first page of the loader's query: ${planNodes.join(' → ')}, ${firstPageMs} ms server-side; binary COPY batch matches the loader's: ${copyMatches}`)

  const notes = [
    `Load average ${loadBefore.join(' / ')} before, ${loadAfter.join(' / ')} after (1/5/15 min) on ${machine().cpus} cores; the service, PostgreSQL and this process share them.`,
    `Rows: one INSERT … SELECT over generate_series (${round(insertMs / 1000)} s) then VACUUM ANALYZE (${round(vacuumMs / 1000)} s); answers from a pool of 8192 arrays of ${K} smallints (22 criteria 0–5/NULL, mostly 4–5; NULL elsewhere), ${sizes.answer_bytes} bytes per answers value; heap ${round(sizes.heap / 2 ** 20, 0)} MiB, indexes ${round(sizes.indexes / 2 ** 20, 0)} MiB.`,
    `The loader (loadResponses) is ${share(loader.median)} of the route; the scoring core (campaignResults on the loaded batch) ${share(scoringMs)}; the remainder (HTTP, metadata queries, saving the computation, JSON, and the difference between the one cold in-process loader run and the service's warm ones) ${restMs === null ? `is within the noise (route − loader − scoring = ${remainder} ms)` : `≈ ${share(restMs)}`}. Of the loader, the paged query with pg's array parsing takes ${paged.median} ms; with answers left as text ${pagedText.median} ms, so parsing smallint[] text into JS arrays costs ≈ ${round(paged.median - pagedText.median, 0)} ms and per-row Uint8Array/push work the remaining ≈ ${round(loader.median - paged.median, 0)} ms.`,
    `The server side alone (a scan counting the answers) takes ${serverScan.median} ms; the first keyset page (${planNodes.join(' → ')}) ${firstPageMs} ms server-side.`,
    `A binary COPY of (unit_id, answers) parsed straight into the columnar Uint8Array takes ${copy.median} ms for the same batch (checksum match: ${copyMatches}): ${round(loader.median / copy.median, 1)}× faster than the loader.`,
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
      pgPagedQueryParsed: paged.median,
      pgPagedQueryText: pagedText.median,
      pgOneQueryParsed: pgParsed.median,
      pgOneQueryText: pgText.median,
      serverScanOnly: serverScan.median,
      firstPageServerSide: firstPageMs,
      binaryCopyPrototype: copy.median
    },
    firstPagePlan: planNodes,
    binaryCopyMatchesLoader: copyMatches,
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
