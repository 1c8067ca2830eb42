/**
 * HTTP ingestion benchmark: the service (src/server.ts) as a child process on a throw-away PostgreSQL
 * database, loaded with autocannon from this process, against what PostgreSQL itself does with the same
 * rows on the same machine in the same run.
 *
 *   1. Batches: POST /v1/responses/batch, JSON arrays and NDJSON of N responses, a few connections; every
 *      request carries external ids no other request carries. Responses/s are counted from the answers'
 *      `accepted` (said only after the commit) and checked against `select count(*) from responses`.
 *   2. Single responses: POST /v1/responses, 50 connections, a new external id per request.
 *   3. References: COPY FROM STDIN of the same rows (read back from what the service stored) into a plain
 *      table shaped like `responses` (same columns, defaults and indexes) and into
 *      `responses` itself; single-row autocommit INSERTs at 10 and 40 connections; the service's batch
 *      statement; and that statement for one response at a time (what a single POST cost PostgreSQL before
 *      concurrent posts were written together) at 10 connections, the service's pool size, without HTTP.
 *
 * CPU seconds of the service process, of this process and of the PostgreSQL backends serving the benchmark
 * database are sampled from /proc around each phase, to tell where the time goes on a shared machine.
 *
 * Usage: node --import tsx bench/ingestion.ts [--quick] [--cpu-prof] [--only=ref,single,batch]
 *   --cpu-prof   runs the service with `node --cpu-prof` (the profile goes to a folder in the OS temp dir)
 * Needs PostgreSQL at BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { machine, round, table, writeResult } from './lib.js'
import {
  BatchTemplate,
  collectingCampaign,
  createDatabase,
  databaseUrl,
  dropDatabase,
  responseRecord,
  startService,
  tagOf,
  type Campaign,
  type Service
} from './ingestion-setup.js'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    only: { type: 'string' }
  }
})
const only = new Set((args.only ?? 'ref,single,batch').split(','))
const QUICK = args.quick === true
const TARGETS = {
  batchResponsesPerSecond: 50_000,
  batchWithinCopyFactor: 3,
  singleRequestsPerSecond: 5_000,
  singleP99Ms: 50
}
const SETTINGS = {
  copyRows: QUICK ? 50_000 : 200_000,
  insertSeconds: QUICK ? 2 : 4,
  singleConnections: 50,
  singleSeconds: QUICK ? 5 : 12,
  batchSeconds: QUICK ? 3 : 7,
  batches: [
    { format: 'json', size: 1_000, connections: 4 },
    { format: 'json', size: 10_000, connections: 2 },
    { format: 'ndjson', size: 1_000, connections: 4 },
    { format: 'ndjson', size: 10_000, connections: 2 },
    { format: 'ndjson', size: 5_000, connections: 8 }
  ] as Array<{ format: 'json' | 'ndjson'; size: number; connections: number }>
}
/** The whole run is abandoned (service killed, database dropped) past this. */
const WATCHDOG_MS = 6 * 60_000

const log = (...parts: unknown[]) => console.log(`[${(performance.now() / 1000).toFixed(1)}s]`, ...parts)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// ---------------------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): the service process, this process, the backends of our database.

const TICK = 100 // USER_HZ
function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICK // utime, stime (all threads)
  } catch {
    return 0
  }
}
/** CPU seconds of each backend serving `database` (its command line names the database). */
function backendsCpuSeconds(database: string): Map<number, number> {
  const out = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (cmdline.startsWith('postgres:') && cmdline.includes(` ${database} `))
        out.set(Number(entry), procCpuSeconds(Number(entry)))
    } catch {
      /* gone */
    }
  }
  return out
}
interface CpuMark {
  at: number
  service: number
  bench: number
  backends: Map<number, number>
}
const cpuMark = (service: Service, database: string): CpuMark => {
  const u = process.cpuUsage()
  return {
    at: performance.now(),
    service: procCpuSeconds(service.child.pid!),
    bench: (u.user + u.system) / 1e6,
    backends: backendsCpuSeconds(database)
  }
}
/**
 * CPU seconds of our database's backends between two marks: backends alive at both count their difference,
 * new ones all of theirs; those that ended in between are lost (an underestimate: pools keep theirs open).
 */
const backendsBetween = (a: CpuMark, b: CpuMark): number => {
  let total = 0
  for (const [pid, cpu] of b.backends) total += cpu - (a.backends.get(pid) ?? 0)
  return total
}

/**
 * CPU used between two marks, in cores (CPU seconds per second of `activeSeconds`, the time requests were
 * being served: autocannon resolves up to one sample interval after its last answer).
 */
const cpuBetween = (a: CpuMark, b: CpuMark, activeSeconds?: number) => {
  const wall = activeSeconds ?? (b.at - a.at) / 1000
  const postgres = backendsBetween(a, b)
  return {
    activeSeconds: round(wall, 2),
    serviceCores: round((b.service - a.service) / wall, 2),
    postgresBackendsCores: round(postgres / wall, 2),
    benchCores: round((b.bench - a.bench) / wall, 2),
    serviceCpuSeconds: round(b.service - a.service, 2),
    postgresCpuSeconds: round(postgres, 2),
    benchCpuSeconds: round(b.bench - a.bench, 2)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Main

let service: Service | null = null
let database: string | null = null
let pool: pg.Pool | null = null
let cleaning: Promise<void> | null = null
/** CPU mark of the service, this process and our database's backends (set once the service runs). */
let mark: () => CpuMark = () => ({ at: performance.now(), service: 0, bench: 0, backends: new Map() })
/** The CPU fields of a reference: PostgreSQL backends' and this process's, per row. */
const referenceCpu = (a: CpuMark, b: CpuMark, rows: number) => {
  const seconds = (b.at - a.at) / 1000
  const postgres = backendsBetween(a, b)
  return {
    postgresCores: round(postgres / seconds, 2),
    benchCores: round((b.bench - a.bench) / seconds, 2),
    postgresCpuUsPerRow: round((postgres * 1e6) / Math.max(1, rows), 1),
    benchCpuUsPerRow: round(((b.bench - a.bench) * 1e6) / Math.max(1, rows), 1)
  }
}
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    try {
      await pool?.end()
    } catch {
      /* ignore */
    }
    try {
      await service?.stop()
    } catch (error) {
      console.error('stopping the service:', error)
    }
    if (database) {
      try {
        await dropDatabase(database)
        log(`dropped database ${database}`)
      } catch (error) {
        console.error(`could not drop database ${database}:`, error)
      }
    }
  })()
  return cleaning
}
const watchdog = setTimeout(() => {
  console.error(`watchdog: the benchmark ran past ${WATCHDOG_MS / 1000} s; stopping`)
  process.exitCode = 2
  void cleanup().then(() => process.exit(2))
}, WATCHDOG_MS)
watchdog.unref()
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    process.exitCode = 130
    void cleanup().then(() => process.exit(130))
  })

const countResponses = async (): Promise<number> =>
  Number((await pool!.query('select count(*)::bigint as n from responses')).rows[0].n)

interface Accepted {
  accepted: number
  duplicate: number
  conflict: number
  rejected: number
  badBodies: number
  firstError: string | null
}
const SUMMARY = /^\{"accepted":(\d+),"duplicate":(\d+),"conflict":(\d+),"rejected":(\d+)/

/** One autocannon run; resolves with its result, our own counts and the time of the last answer. */
async function cannon(options: autocannon.Options, onAnswer?: (status: number, body: string) => void, capMs = 120_000) {
  const t0 = performance.now()
  let last = t0
  const requests = (options.requests ?? [{}]).map((r) => ({
    ...r,
    onResponse: (status: number, body: string) => {
      last = performance.now()
      onAnswer?.(status, body)
    }
  }))
  const instance = autocannon({ ...options, requests }) as unknown as Promise<autocannon.Result> & { stop: () => void }
  const cap = setTimeout(() => {
    log('  (run capped)')
    instance.stop()
  }, capMs)
  const result = await instance
  clearTimeout(cap)
  return { result, seconds: (last - t0) / 1000 }
}

async function main() {
  const started = performance.now()
  const m0 = machine()
  log(
    `machine: ${m0.cpus} × ${m0.cpuModel}, node ${m0.node}, load average ${m0.loadAverage.join(' ')}; CPU pressure ${cpuPressure()}`
  )
  database = await createDatabase()
  log(`database ${database}`)
  const profileDir = join(tmpdir(), `sipas-ingestion-profiles-${process.pid}`)
  if (args['cpu-prof']) {
    mkdirSync(profileDir, { recursive: true })
    log(`the service's CPU profile goes to ${profileDir} when it exits`)
  }
  service = await startService(database, {
    nodeArgs: args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
  })
  log(`service up at ${service.url} (pid ${service.child.pid})`)
  const campaign = await collectingCampaign(service)
  log(`campaign ${campaign.campaignId} collecting; client ${campaign.clientId}`)
  pool = new pg.Pool({ connectionString: databaseUrl(database), max: 45, idleTimeoutMillis: 0 })
  pool.on('error', () => {})

  const key = `Bearer ${campaign.clientKey}`
  const url = service.url
  let totalAccepted = 0 // over every HTTP run after the table was emptied
  const figures: Record<string, any> = {}
  const reference: Record<string, any> = {}
  const notes: string[] = []

  // --- Warm-up: JIT of the service, the campaign and key caches; and the rows the references copy. ---
  const single = singleBody(campaign)
  let singleRate = 0 // req/s of a short run before the timed one, to size it
  {
    const { result } = await cannon({
      url: `${url}/v1/responses`,
      connections: SETTINGS.singleConnections,
      duration: QUICK ? 2 : 3,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          path: '/v1/responses',
          headers: { 'content-type': 'application/json', authorization: key },
          setupRequest: single.setup
        }
      ]
    })
    singleRate = result['2xx'] / result.duration
    const warm = new BatchTemplate(campaign.campaignId, 1_000, 'json')
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${url}/v1/responses/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: key },
        body: warm.body(`w${String(i).padStart(7, '0')}`)
      })
      if (res.status !== 200) throw new Error(`warm-up batch: ${res.status} ${(await res.text()).slice(0, 500)}`)
      await res.arrayBuffer()
    }
    log(
      `warm-up: ${result['2xx']} single posts at ${SETTINGS.singleConnections} connections (${fmt(singleRate)}/s, ${result.non2xx} non-2xx), 6 batches of 1,000`
    )
    if (result['2xx'] === 0)
      throw new Error(`warm-up: no single post succeeded; service output:\n${service.output().join('\n')}`)
  }

  // --- References ---
  if (only.has('ref')) {
    const copyRows = await copyRowsFromStored(campaign)
    const svc = service
    const db = database
    mark = () => cpuMark(svc, db)
    reference.copy = await copyReference(copyRows, SETTINGS.copyRows, 'copy_ref', true)
    log(
      `COPY into a plain table like responses: ${fmt(reference.copy.rowsPerSecond)} rows/s (${fmt(reference.copy.rows)} rows in ${reference.copy.seconds} s)`
    )
    reference.copyIntoResponses = await copyReference(copyRows, SETTINGS.copyRows, 'responses', false)
    log(`COPY into responses itself: ${fmt(reference.copyIntoResponses.rowsPerSecond)} rows/s`)
    reference.unnestInsert = await unnestReference(copyRows, 1_000, 2, SETTINGS.insertSeconds)
    log(
      `the service's INSERT … unnest … RETURNING in batches of 1,000, 2 connections, no HTTP: ${fmt(reference.unnestInsert.rowsPerSecond)} rows/s`
    )
    reference.insert10 = await insertReference(copyRows, 10, SETTINGS.insertSeconds)
    log(`single-row autocommit INSERT, 10 connections: ${fmt(reference.insert10.rowsPerSecond)} rows/s`)
    reference.insert40 = await insertReference(copyRows, 40, SETTINGS.insertSeconds)
    log(`single-row autocommit INSERT, 40 connections: ${fmt(reference.insert40.rowsPerSecond)} rows/s`)
    reference.servicePattern10 = await servicePatternReference(campaign, 10, SETTINGS.insertSeconds)
    log(
      `the service's statement for one response at a time, 10 connections, no HTTP: ${fmt(reference.servicePattern10.perSecond)} /s`
    )
  }
  if (only.has('single')) {
    // The rate of single posts once warm, to size the timed run (its rows go with the truncate below).
    const { result } = await cannon({
      url: `${url}/v1/responses`,
      connections: SETTINGS.singleConnections,
      duration: 2,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          path: '/v1/responses',
          headers: { 'content-type': 'application/json', authorization: key },
          setupRequest: single.setup
        }
      ]
    })
    singleRate = result['2xx'] / result.duration
    log(`single posts, calibration: ${fmt(singleRate)}/s`)
  }
  await sleep(500) // answers autocannon did not wait for are committed by now
  await pool.query('truncate responses')
  const m1 = machine()
  log(`responses emptied; load average now ${m1.loadAverage.join(' ')}`)

  // --- Single-response posts ---
  if (only.has('single')) {
    await sleep(500)
    const before = await countResponses()
    const c0 = cpuMark(service, database)
    // A fixed number of requests (sized from the warm-up's rate), so that every one is answered and
    // `select count(*)` can be compared with the 201s exactly; capped in time all the same.
    const amount = Math.max(1_000, Math.min(200_000, Math.round(singleRate * SETTINGS.singleSeconds)))
    const { result, seconds } = await cannon(
      {
        url: `${url}/v1/responses`,
        connections: SETTINGS.singleConnections,
        amount,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: '/v1/responses',
            headers: { 'content-type': 'application/json', authorization: key },
            setupRequest: single.setup
          }
        ]
      },
      undefined,
      (SETTINGS.singleSeconds * 2 + 10) * 1000
    )
    const c1 = cpuMark(service, database)
    const committed = (await countResponses()) - before
    const created = result.statusCodeStats?.['201']?.count ?? 0
    totalAccepted += created
    const rps = created / seconds
    figures.single = {
      connections: SETTINGS.singleConnections,
      requests: amount,
      seconds: round(seconds, 2),
      created201: created,
      requestsPerSecond: round(rps, 0),
      requestsPerSecondMeanOfSeconds: round(result.requests.average, 0),
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: round(result.latency.average, 2)
      },
      non2xx: result.non2xx,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
      errors: result.errors,
      timeouts: result.timeouts,
      committed,
      committedEqualsCreated: committed === created,
      cpu: cpuBetween(c0, c1, seconds),
      loadAverageAfter: machine().loadAverage
    }
    figures.single.cpu.serviceCpuMsPerRequest = round(
      (figures.single.cpu.serviceCpuSeconds * 1000) / Math.max(1, created),
      3
    )
    figures.single.cpu.postgresCpuMsPerRequest = round(
      (figures.single.cpu.postgresCpuSeconds * 1000) / Math.max(1, created),
      3
    )
    log(
      `single: ${fmt(rps)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}; committed ${committed} (201s read: ${created}); service ${figures.single.cpu.serviceCores} cores, postgres ${figures.single.cpu.postgresBackendsCores} cores`
    )
    if (committed !== created)
      notes.push(`single: committed rows (${committed}) differ from the 201 answers read (${created})`)
  }

  // --- Batches ---
  if (only.has('batch')) {
    figures.batches = []
    let tagCounter = 0
    for (const config of SETTINGS.batches) {
      const template = new BatchTemplate(campaign.campaignId, config.size, config.format)
      const contentType = config.format === 'json' ? 'application/json' : 'application/x-ndjson'
      const counts: Accepted = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0, badBodies: 0, firstError: null }
      const onAnswer = (status: number, body: string) => {
        const match = status === 200 ? SUMMARY.exec(body.slice(0, 200)) : null
        if (!match) {
          counts.badBodies++
          counts.firstError ??= `${status} ${body.slice(0, 300)}`
          return
        }
        counts.accepted += Number(match[1])
        counts.duplicate += Number(match[2])
        counts.conflict += Number(match[3])
        counts.rejected += Number(match[4])
      }
      const request = {
        method: 'POST' as const,
        path: '/v1/responses/batch',
        headers: { 'content-type': contentType, authorization: key },
        setupRequest: (req: any) => {
          req.body = template.body(tagOf(++tagCounter))
          return req
        }
      }
      // Calibration (and warm-up of this shape): one request per connection, to size the timed run.
      const before0 = await countResponses()
      const calibration = await cannon(
        { url, connections: config.connections, amount: config.connections, timeout: 120, requests: [request] },
        onAnswer
      )
      const perRequestSeconds = calibration.seconds / config.connections
      const amount = Math.max(
        config.connections * 2,
        Math.min(400, Math.round(SETTINGS.batchSeconds / perRequestSeconds))
      )
      const calibrationAccepted = counts.accepted
      Object.assign(counts, { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 })
      const before = await countResponses()
      const c0 = cpuMark(service, database)
      const { result, seconds } = await cannon(
        { url, connections: config.connections, amount, timeout: 120, requests: [request] },
        onAnswer,
        90_000
      )
      const c1 = cpuMark(service, database)
      const after = await countResponses()
      totalAccepted += calibrationAccepted + counts.accepted
      const perSecond = counts.accepted / seconds
      const figure = {
        ...config,
        requests: amount,
        seconds: round(seconds, 2),
        accepted: counts.accepted,
        responsesPerSecond: round(perSecond, 0),
        requestsPerSecond: round(amount / seconds, 2),
        latencyMs: {
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
          mean: round(result.latency.average, 1)
        },
        bodyMiB: round(template.bytes.length / 2 ** 20, 2),
        duplicate: counts.duplicate,
        conflict: counts.conflict,
        rejected: counts.rejected,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        badBodies: counts.badBodies,
        firstError: counts.firstError,
        committed: after - before,
        committedEqualsAccepted: after - before === counts.accepted && before - before0 === calibrationAccepted,
        cpu: cpuBetween(c0, c1, seconds),
        loadAverageAfter: machine().loadAverage
      }
      Object.assign(figure.cpu, {
        serviceCpuUsPerResponse: round((figure.cpu.serviceCpuSeconds * 1e6) / Math.max(1, counts.accepted), 1),
        postgresCpuUsPerResponse: round((figure.cpu.postgresCpuSeconds * 1e6) / Math.max(1, counts.accepted), 1)
      })
      figures.batches.push(figure)
      log(
        `batch ${config.format} × ${fmt(config.size)}, ${config.connections} conn: ${fmt(perSecond)} responses/s (${amount} requests in ${figure.seconds} s), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; committed ${figure.committed} = accepted ${counts.accepted}: ${figure.committedEqualsAccepted}; non-2xx ${result.non2xx}; service ${figure.cpu.serviceCores} cores, postgres ${figure.cpu.postgresBackendsCores} cores`
      )
      if (counts.firstError) log(`  first error: ${counts.firstError}`)
    }
  }

  const finalCount = await countResponses()
  figures.verification = {
    selectCountResponses: finalCount,
    acceptedAccordingToTheBenchmark: totalAccepted,
    equal: finalCount === totalAccepted
  }
  if (finalCount !== totalAccepted)
    notes.push(`count(*) from responses = ${finalCount} but the benchmark counted ${totalAccepted} accepted `)

  // --- Ratios, targets, report ---
  const best = figures.batches?.length
    ? figures.batches.reduce((a: any, b: any) => (b.responsesPerSecond > a.responsesPerSecond ? b : a))
    : null
  const copyRate = reference.copy?.rowsPerSecond ?? null
  figures.ratios = {
    bestBatchOverCopy: best && copyRate ? round(best.responsesPerSecond / copyRate, 3) : null,
    copyOverBestBatch: best && copyRate ? round(copyRate / best.responsesPerSecond, 2) : null,
    singleOverTarget: figures.single
      ? round(figures.single.requestsPerSecond / TARGETS.singleRequestsPerSecond, 3)
      : null,
    singleOverInsert40:
      figures.single && reference.insert40
        ? round(figures.single.requestsPerSecond / reference.insert40.rowsPerSecond, 3)
        : null,
    singleOverServicePattern10:
      figures.single && reference.servicePattern10
        ? round(figures.single.requestsPerSecond / reference.servicePattern10.perSecond, 3)
        : null
  }
  figures.targets = {
    ...TARGETS,
    batchAtLeast50k: best ? best.responsesPerSecond >= TARGETS.batchResponsesPerSecond : null,
    batchWithin3xCopy: best && copyRate ? best.responsesPerSecond * TARGETS.batchWithinCopyFactor >= copyRate : null,
    singleAtLeast5k: figures.single ? figures.single.requestsPerSecond >= TARGETS.singleRequestsPerSecond : null,
    singleP99Under50ms: figures.single ? figures.single.latencyMs.p99 < TARGETS.singleP99Ms : null
  }
  figures.settings = SETTINGS
  figures.wallSeconds = round((performance.now() - started) / 1000, 1)
  notes.push(`the service logged ${service.output()[0]} at LOG_LEVEL=warn`)
  notes.push(`CPU pressure (/proc/pressure/cpu) at the end: ${cpuPressure()}`)
  notes.push(
    `load average at start ${m0.loadAverage.join(' ')}, after the references ${m1.loadAverage.join(' ')}, at the end ${machine().loadAverage.join(' ')} (2 cores, shared with other work)`
  )
  notes.push(
    'autocannon runs in the benchmark process, the service in a child process, PostgreSQL on the same machine: all compete for the same cores; the cpu fields say how much each used'
  )
  notes.push(
    'the COPY reference table is `create table … (like responses including defaults including indexes)`: same columns, defaults and the three indexes; copyIntoResponses is COPY into responses itself (no foreign keys since migration 0007: triggers guard deletes instead)'
  )

  const yes = (b: boolean | null) => (b === null ? '—' : b ? 'yes' : 'NO')
  const rows: Array<Array<string | number>> = [['figure', 'measured', 'reference / target', 'ratio', 'met']]
  for (const b of figures.batches ?? []) {
    rows.push([
      `batch ${b.format} × ${b.size}, ${b.connections} conn (responses/s)`,
      b.responsesPerSecond,
      copyRate ? `COPY ${fmt(copyRate)}` : '—',
      copyRate ? `${round(b.responsesPerSecond / copyRate, 3)}× COPY` : '—',
      b.committedEqualsAccepted ? 'count ok' : 'COUNT MISMATCH'
    ])
    rows.push([
      '  latency p50 / p99 per request (ms)',
      `${b.latencyMs.p50} / ${b.latencyMs.p99}`,
      '',
      '',
      `non-2xx ${b.non2xx}, errors ${b.errors}`
    ])
  }
  if (best) {
    rows.push([
      'best batch vs 50,000 responses/s',
      best.responsesPerSecond,
      '50,000',
      `${round(best.responsesPerSecond / TARGETS.batchResponsesPerSecond, 3)}×`,
      yes(figures.targets.batchAtLeast50k)
    ])
    rows.push([
      'best batch within 3× of COPY',
      best.responsesPerSecond,
      copyRate ? `≥ ${fmt(copyRate / 3)}` : '—',
      figures.ratios.copyOverBestBatch ? `COPY is ${figures.ratios.copyOverBestBatch}×` : '—',
      yes(figures.targets.batchWithin3xCopy)
    ])
  }
  if (figures.single) {
    const s = figures.single
    rows.push([
      `single POST, ${s.connections} conn (req/s)`,
      s.requestsPerSecond,
      '5,000',
      `${figures.ratios.singleOverTarget}×`,
      yes(figures.targets.singleAtLeast5k)
    ])
    rows.push([
      '  latency p50 / p99 (ms)',
      `${s.latencyMs.p50} / ${s.latencyMs.p99}`,
      'p99 < 50',
      '',
      yes(figures.targets.singleP99Under50ms)
    ])
    rows.push(['  non-2xx / errors / timeouts', `${s.non2xx} / ${s.errors} / ${s.timeouts}`, '', '', ''])
  }
  if (reference.copy)
    rows.push([
      'COPY FROM STDIN, plain table (rows/s)',
      reference.copy.rowsPerSecond,
      `${fmt(reference.copy.rows)} rows`,
      '',
      ''
    ])
  if (reference.copyIntoResponses)
    rows.push([
      'COPY FROM STDIN into responses (rows/s)',
      reference.copyIntoResponses.rowsPerSecond,
      'the table itself',
      '',
      ''
    ])
  if (reference.unnestInsert)
    rows.push([
      'service INSERT … unnest, batches of 1,000, 2 conn, no HTTP (rows/s)',
      reference.unnestInsert.rowsPerSecond,
      `${round(reference.unnestInsert.rowsPerSecond / (copyRate ?? NaN), 3)}× COPY`,
      best ? `best batch = ${round(best.responsesPerSecond / reference.unnestInsert.rowsPerSecond, 3)}×` : '',
      ''
    ])
  if (reference.insert10)
    rows.push(['single-row autocommit INSERT, 10 conn (rows/s)', reference.insert10.rowsPerSecond, '', '', ''])
  if (reference.insert40)
    rows.push([
      'single-row autocommit INSERT, 40 conn (rows/s)',
      reference.insert40.rowsPerSecond,
      '',
      figures.ratios.singleOverInsert40 ? `single POST = ${figures.ratios.singleOverInsert40}×` : '',
      ''
    ])
  if (reference.servicePattern10)
    rows.push([
      "service's statement, one response each, 10 conn, no HTTP (/s)",
      reference.servicePattern10.perSecond,
      '',
      figures.ratios.singleOverServicePattern10 ? `single POST = ${figures.ratios.singleOverServicePattern10}×` : '',
      ''
    ])
  rows.push([
    'select count(*) from responses = accepted',
    `${finalCount} = ${totalAccepted}`,
    '',
    '',
    figures.verification.equal ? 'yes' : 'NO'
  ])
  console.log('\n' + table(rows) + '\n')
  // Where the CPU goes: per response (HTTP runs) or per row (references), on this machine.
  const cpuRows: Array<Array<string | number>> = [
    ['run', 'service µs', 'PostgreSQL backends µs', 'bench process µs', 'service / PG cores']
  ]
  for (const b of figures.batches ?? [])
    cpuRows.push([
      `batch ${b.format} × ${b.size}, ${b.connections} conn (per response)`,
      b.cpu.serviceCpuUsPerResponse,
      b.cpu.postgresCpuUsPerResponse,
      round((b.cpu.benchCpuSeconds * 1e6) / Math.max(1, b.accepted), 1),
      `${b.cpu.serviceCores} / ${b.cpu.postgresBackendsCores}`
    ])
  if (figures.single)
    cpuRows.push([
      'single POST (per request)',
      round(figures.single.cpu.serviceCpuMsPerRequest * 1000, 0),
      round(figures.single.cpu.postgresCpuMsPerRequest * 1000, 0),
      round((figures.single.cpu.benchCpuSeconds * 1e6) / Math.max(1, figures.single.created201), 1),
      `${figures.single.cpu.serviceCores} / ${figures.single.cpu.postgresBackendsCores}`
    ])
  for (const [name, r] of Object.entries(reference) as Array<[string, any]>)
    if (r?.cpu)
      cpuRows.push([
        `reference ${name} (per row)`,
        '—',
        r.cpu.postgresCpuUsPerRow,
        r.cpu.benchCpuUsPerRow,
        `— / ${r.cpu.postgresCores}`
      ])
  console.log(table(cpuRows) + '\n')
  const path = writeResult('ingestion', figures, reference, notes)
  log(`wrote ${path}`)
}

function cpuPressure(): string {
  try {
    return readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0]
  } catch {
    return 'unavailable'
  }
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US')

// ---------------------------------------------------------------------------------------------------------
// Bodies of single posts: the record serialised once, around its external id.

function singleBody(campaign: Campaign) {
  const marker = '@@EXTERNAL@@'
  const variants = Array.from({ length: 16 }, (_, k) =>
    JSON.stringify(responseRecord(campaign.campaignId, k, marker)).split(marker)
  )
  // The external id, and the dossier code made of it.
  if (variants.some((v) => v.length !== 3))
    throw new Error('single body template: the external id marker was not found twice')
  let n = 0
  const run = Date.now().toString(36)
  return {
    setup: (req: any) => {
      req.body = variants[n % variants.length].join(`S-${run}-${++n}`)
      return req
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// References

const COLUMNS = [
  'campaign_id',
  'unit_id',
  'client_id',
  'external_id',
  'content_hash',
  'channel',
  'procedure_code',
  'field_code',
  'dossier_code',
  'slot_id',
  'collected_at',
  'answers'
] as const
type StoredRow = Record<(typeof COLUMNS)[number], string | null>

/** Rows exactly as the service stored them for the warm-up batches (answers encoded, content hashed). */
async function copyRowsFromStored(campaign: Campaign): Promise<StoredRow[]> {
  const { rows } = await pool!.query(
    `select campaign_id::text, unit_id::text, client_id, external_id, content_hash, channel, procedure_code, field_code, dossier_code, slot_id::text,
    to_char(collected_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as collected_at, answers::text as answers
    from responses where client_id = $1 and external_id like 'B%' order by external_id limit 1000`,
    [campaign.clientId]
  )
  if (rows.length < 100) throw new Error(`expected the warm-up batches' rows, found ${rows.length}`)
  return rows as StoredRow[]
}

/** A stored row's dossier code made the copy's own (a dossier answers once per campaign). */
const ownDossier = (code: string | null, copy: string) => (code === null ? null : `${code}/${copy}`)

const copyField = (v: string | null) =>
  v === null ? '\\N' : v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')

/**
 * COPY FROM STDIN of `count` rows (the stored rows, cycled, each with a new external id and client id
 * `copy-reference`, and a dossier code of its own: one response per dossier): the text is made before the
 * clock starts; the clock stops when the COPY is committed.
 */
async function copyReference(stored: StoredRow[], count: number, target: string, create: boolean) {
  if (create) await pool!.query(`create table ${target} (like responses including defaults including indexes)`)
  const chunks: Buffer[] = []
  let lines: string[] = []
  for (let i = 0; i < count; i++) {
    const row = stored[i % stored.length]
    lines.push(
      COLUMNS.map((c) =>
        c === 'external_id'
          ? `C-${target}-${i}`
          : c === 'client_id'
            ? 'copy-reference'
            : c === 'dossier_code'
              ? copyField(ownDossier(row.dossier_code, `C-${target}-${i}`))
              : copyField(row[c])
      ).join('\t')
    )
    if (lines.length === 5_000) {
      chunks.push(Buffer.from(lines.join('\n') + '\n'))
      lines = []
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(lines.join('\n') + '\n'))
  const client = await pool!.connect()
  try {
    const m0 = mark()
    const t0 = performance.now()
    await pipeline(Readable.from(chunks), client.query(copyFrom(`copy ${target} (${COLUMNS.join(', ')}) from stdin`)))
    const seconds = (performance.now() - t0) / 1000
    const m1 = mark()
    const n = Number(
      (await client.query(`select count(*)::bigint as n from ${target} where client_id = 'copy-reference'`)).rows[0].n
    )
    if (n !== count) throw new Error(`COPY into ${target}: ${n} rows, expected ${count}`)
    return {
      table: target,
      rows: count,
      seconds: round(seconds, 3),
      rowsPerSecond: round(count / seconds, 0),
      megabytes: round(chunks.reduce((s, c) => s + c.length, 0) / 2 ** 20, 1),
      cpu: referenceCpu(m0, m1, count)
    }
  } finally {
    client.release()
  }
}

/**
 * Runs `statement` over and over on `connections` pooled connections for `seconds`: statement(client,
 * connection, iteration) resolves with the rows it wrote; a failing statement counts as an error.
 */
async function onConnections(
  connections: number,
  seconds: number,
  statement: (client: pg.PoolClient, c: number, i: number) => Promise<number>
) {
  const clients = await Promise.all(Array.from({ length: connections }, () => pool!.connect()))
  let rows = 0
  let errors = 0
  const m0 = mark()
  const t0 = performance.now()
  const end = t0 + seconds * 1000
  try {
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; performance.now() < end; i++) {
          let written: number
          try {
            written = await statement(client, c, i)
          } catch (error) {
            errors++
            if (errors === 1) console.error('reference statement:', error)
            continue
          }
          // Added after the await: `rows += await …` would read `rows` before it and lose the other connections' counts.
          rows += written
        }
      })
    )
  } finally {
    clients.forEach((c) => c.release())
  }
  const wall = (performance.now() - t0) / 1000
  return {
    rows,
    seconds: round(wall, 2),
    perSecond: round(rows / wall, 0),
    errors,
    cpu: referenceCpu(m0, mark(), rows)
  }
}

/** Single-row INSERTs in autocommit (one transaction each), prepared, from `connections` connections. */
async function insertReference(stored: StoredRow[], connections: number, seconds: number) {
  const target = `insert_ref_${connections}`
  await pool!.query(`create table ${target} (like responses including defaults including indexes)`)
  const text = `insert into ${target} (${COLUMNS.join(', ')}) values (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`
  const run = await onConnections(connections, seconds, async (client, c, i) => {
    const row = stored[(c + i) % stored.length]
    await client.query({
      name: `ins_${target}`,
      text,
      values: COLUMNS.map((col) => (col === 'external_id' ? `I-${c}-${i}` : row[col]))
    })
    return 1
  })
  return {
    connections,
    rows: run.rows,
    seconds: run.seconds,
    rowsPerSecond: run.perSecond,
    errors: run.errors,
    cpu: run.cpu
  }
}

/** The statement of storeResponses (src/db/queries/responses.ts), into `target`: ids made by the caller, those inserted returned. */
const unnestInsert = (
  target: string
) => `insert into ${target} (id, campaign_id, unit_id, client_id, external_id, content_hash, channel, procedure_code, field_code, dossier_code, slot_id, collected_at, answers)
    select i, c, u, cl, e, h, ch, p, f, d, s, t, decode(a, 'hex')
    from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[], $12::timestamptz[], $13::text[]) as x(i, c, u, cl, e, h, ch, p, f, d, s, t, a)
    where exists (select 1 from campaigns where id = x.c and status = 'collecting')
    on conflict (campaign_id, client_id, external_id) do nothing
    returning id`

/** The parameters of unnestInsert for `rows`, each under its own external id. */
const unnestValues = (rows: StoredRow[], client: string, externalId: (i: number) => string) => {
  const col = (name: (typeof COLUMNS)[number]) => rows.map((r) => r[name])
  return [
    rows.map(() => randomUUID()),
    col('campaign_id'),
    col('unit_id'),
    rows.map(() => client),
    rows.map((_, i) => externalId(i)),
    col('content_hash'),
    col('channel'),
    col('procedure_code'),
    col('field_code'),
    rows.map((r, i) => ownDossier(r.dossier_code, `${client}-${externalId(i)}`)),
    col('slot_id'),
    col('collected_at'),
    // The stored bytes as the service sends them: hex without bytea's \x prefix.
    rows.map((r) => (r.answers as string).slice(2))
  ]
}

/**
 * The service's batch statement without HTTP or validation: INSERT … unnest … ON CONFLICT DO NOTHING
 * RETURNING of `size` rows in autocommit, as a named prepared statement (as the service sends it on a pg
 * pool), from `connections` connections, into a table like responses.
 */
async function unnestReference(stored: StoredRow[], size: number, connections: number, seconds: number) {
  const target = 'unnest_ref'
  await pool!.query(`create table ${target} (like responses including defaults including indexes)`)
  const text = unnestInsert(target)
  const rows = Array.from({ length: size }, (_, i) => stored[i % stored.length])
  const run = await onConnections(
    connections,
    seconds,
    async (client, c, b) =>
      (
        await client.query({
          name: 'unnest_ref',
          text,
          values: unnestValues(rows, 'unnest-reference', (i) => `U-${c}-${b}-${i}`)
        })
      ).rowCount ?? 0
  )
  return {
    batchSize: size,
    connections,
    rows: run.rows,
    seconds: run.seconds,
    rowsPerSecond: run.perSecond,
    errors: run.errors,
    cpu: run.cpu
  }
}

/**
 * The service's statement for one response at a time, without HTTP or validation: what each POST
 * /v1/responses cost PostgreSQL before concurrent posts were written together (one named INSERT … unnest …
 * RETURNING of one row, autocommit: one commit each). At 10 connections, the size of the service's pool.
 */
async function servicePatternReference(campaign: Campaign, connections: number, seconds: number) {
  const [row] = (
    await pool!.query(
      `select campaign_id::text, unit_id::text, content_hash, channel, procedure_code, field_code, dossier_code, slot_id::text, collected_at, answers::text as answers from responses where client_id = $1 limit 1`,
      [campaign.clientId]
    )
  ).rows
  const insert = unnestInsert('responses')
  const run = await onConnections(connections, seconds, async (client, c, i) => {
    await client.query({
      name: 'pattern_ref',
      text: insert,
      values: unnestValues([row], 'pattern-reference', () => `P-${c}-${i}`)
    })
    return 1
  })
  return {
    connections,
    statementsPerResponse: 1,
    responses: run.rows,
    seconds: run.seconds,
    perSecond: run.perSecond,
    errors: run.errors,
    cpu: run.cpu,
    note: "one named INSERT … unnest … RETURNING per response, autocommit: the service's statement without coalescing"
  }
}

try {
  await main()
} catch (error) {
  process.exitCode = 1
  console.error('ingestion benchmark failed:', error)
  const running = service as Service | null // assigned inside main()
  if (running) console.error('service output (last lines):\n' + running.output().join('\n'))
} finally {
  await cleanup()
  clearTimeout(watchdog)
}
