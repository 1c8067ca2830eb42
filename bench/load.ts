/**
 * The long load run: ten minutes (LOAD_MINUTES) of mixed traffic against the service on PostgreSQL (a child
 * process): single response posts, batches of 1,000, and public reads of a published unit's index, at the
 * same time. First each kind alone gives its capacity here (LOAD_CALIBRATION_SECONDS); then each kind runs
 * at a third of 80% of its capacity, so the mix as a whole asks for 80% of what the machine can serve.
 * Checks: zero errors (every answer the expected 2xx, no timeouts, no socket errors), every accepted
 * response committed exactly once, and the service's memory stable (RSS of the last minute within 10% of
 * the second minute's). Not part of CI: `npm run bench:load`.
 */
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import pg from 'pg'
import {
  APPROVAL,
  BatchTemplate,
  collectingCampaign,
  createDatabase,
  databaseUrl,
  dropDatabase,
  responseRecord,
  startService,
  tagOf,
  type Service
} from './ingestion-setup.js'
import { machine, median, round, table, writeResult } from './lib.js'

const MINUTES = Number(process.env.LOAD_MINUTES ?? 10)
const CALIBRATION_SECONDS = Number(process.env.LOAD_CALIBRATION_SECONDS ?? 10)
const SHARE_OF_CAPACITY = 0.8
const BATCH = 1000
const RSS_EVERY_MS = 5000
const log = (line: string) => console.log(`[load ${new Date().toISOString().slice(11, 19)}] ${line}`)

async function call(service: Service, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${service.adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** The service's resident memory, from /proc (the child is ours). */
const rssMiB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024

interface Kind {
  name: string
  connections: number
  expect: number
  request: () => autocannon.Request
  check?: (body: string) => boolean
}

/** Runs one kind with autocannon (rate-limited when `rate` is given); counts what came back. */
async function run(service: Service, kind: Kind, seconds: number, rate?: number) {
  const tally = { answers: 0, unexpected: 0, firstUnexpected: null as string | null }
  const request = {
    ...kind.request(),
    onResponse: (status: number, body: string) => {
      tally.answers++
      if (status !== kind.expect || (kind.check && !kind.check(body))) {
        tally.unexpected++
        tally.firstUnexpected ??= `${status} ${body.slice(0, 300)}`
      }
    }
  }
  const result = await autocannon({
    url: service.url,
    connections: kind.connections,
    duration: seconds,
    timeout: 10,
    requests: [request],
    ...(rate ? { overallRate: rate } : {})
  })
  return {
    rps: round(result.requests.average, 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    ...tally
  }
}

const database = await createDatabase()
let service: Service | undefined
const pool = new pg.Pool({ connectionString: databaseUrl(database), max: 2 })
try {
  service = await startService(database)
  const pid = service.child.pid as number
  const campaign = await collectingCampaign(service)
  const key = `Bearer ${campaign.clientKey}`

  // A published campaign of the year before, for the portal reads.
  const province = (await call(service, 'GET', '/v1/units?code=25'))[0].id as string
  const agency = (await call(service, 'GET', '/v1/units?code=000.00.53.H48'))[0].id as string
  const last = await call(service, 'POST', '/v1/campaigns', {
    name: 'SIPAS Phú Thọ 2025',
    year: 2025,
    provinceId: province,
    instrument: { code: 'SIPAS-2017', version: 1 },
    units: [...campaign.communes, agency],
    periodStart: '2024-10-01',
    periodEnd: '2025-09-30',
    collectionStart: '2026-10-01',
    collectionEnd: '2026-11-30',
    sampled: false,
    channels: ['interview', 'kiosk']
  })
  await call(service, 'POST', `/v1/campaigns/${last.id}/transitions`, { to: 'collecting' })
  await call(
    service,
    'POST',
    '/v1/responses/batch',
    Array.from({ length: 3000 }, (_, k) => responseRecord(last.id, k, `last-${k}`))
  )
  await call(service, 'POST', `/v1/campaigns/${last.id}/transitions`, { to: 'closed' })
  const computation = await call(service, 'POST', `/v1/campaigns/${last.id}/computations`)
  const publication = await call(service, 'POST', `/v1/campaigns/${last.id}/publications`, {
    computationId: computation.id
  })
  await call(service, 'POST', `/v1/campaigns/${last.id}/publications/${publication.id}/approval`, APPROVAL)
  const unit = computation.results.units.find((u: { overall: unknown }) => u.overall).unitId as string

  let singles = 0
  let batches = 0
  const template = new BatchTemplate(campaign.campaignId, BATCH, 'json')
  const kinds: Kind[] = [
    {
      name: 'single POST /v1/responses',
      connections: 50,
      expect: 201,
      request: () => ({
        method: 'POST',
        path: '/v1/responses',
        headers: { 'content-type': 'application/json', authorization: key },
        setupRequest: (req: any) => {
          req.body = JSON.stringify(responseRecord(campaign.campaignId, singles, `S-${++singles}`))
          return req
        }
      })
    },
    {
      name: `batch of ${BATCH} POST /v1/responses/batch`,
      connections: 4,
      expect: 200,
      check: (body) => body.startsWith(`{"accepted":${BATCH},`),
      request: () => ({
        method: 'POST',
        path: '/v1/responses/batch',
        headers: { 'content-type': 'application/json', authorization: key },
        setupRequest: (req: any) => {
          req.body = template.body(tagOf(++batches))
          return req
        }
      })
    },
    {
      name: 'GET published unit index',
      connections: 50,
      expect: 200,
      request: () => ({ method: 'GET', path: `/v1/public/publications/${publication.id}/units/${unit}` })
    }
  ]

  log(`calibrating: each kind alone for ${CALIBRATION_SECONDS} s`)
  const capacity: number[] = []
  for (const kind of kinds) {
    const alone = await run(service, kind, CALIBRATION_SECONDS)
    capacity.push(alone.rps)
    log(`  ${kind.name}: ${alone.rps} req/s alone (p99 ${alone.p99} ms)`)
  }
  const rates = capacity.map((c) => Math.max(1, Math.round((SHARE_OF_CAPACITY * c) / kinds.length)))

  const countCommitted = async () =>
    Number(
      (await pool.query('select count(*)::bigint as n from responses where campaign_id = $1', [campaign.campaignId]))
        .rows[0].n
    )
  const before = await countCommitted()
  log(`mixed traffic for ${MINUTES} min at ${rates.join(' + ')} req/s`)
  const rss: Array<{ second: number; mib: number }> = []
  const t0 = performance.now()
  const sampler = setInterval(
    () => rss.push({ second: round((performance.now() - t0) / 1000, 0), mib: round(rssMiB(pid), 1) }),
    RSS_EVERY_MS
  )
  const mixed = await Promise.all(kinds.map((kind, i) => run(service!, kind, MINUTES * 60, rates[i])))
  clearInterval(sampler)

  // Requests still in flight when autocannon stops are committed without their answer being counted.
  await new Promise((resolve) => setTimeout(resolve, 2000))
  const committed = (await countCommitted()) - before
  const accepted = mixed[0].answers - mixed[0].unexpected + (mixed[1].answers - mixed[1].unexpected) * BATCH
  const inFlightAtMost = kinds[0].connections + kinds[1].connections * BATCH
  const minute = (from: number, to: number) =>
    median(rss.filter((s) => s.second > from && s.second <= to).map((s) => s.mib))
  const early = minute(60, 120)
  const late = minute(MINUTES * 60 - 60, MINUTES * 60)
  const growth = round((late / early - 1) * 100, 1)
  const errors = mixed.reduce((n, m) => n + m.errors + m.timeouts + m.unexpected, 0)
  const figures = {
    minutes: MINUTES,
    shareOfCapacity: SHARE_OF_CAPACITY,
    kinds: kinds.map((kind, i) => ({
      name: kind.name,
      connections: kind.connections,
      capacityAlone: capacity[i],
      rate: rates[i],
      ...mixed[i]
    })),
    responsesAccepted: accepted,
    responsesCommitted: committed,
    unansweredAtStopAtMost: inFlightAtMost,
    rssMiB: {
      secondMinute: early,
      lastMinute: late,
      growthPercent: growth,
      max: Math.max(...rss.map((s) => s.mib)),
      samples: rss
    },
    targets: {
      'zero errors': errors === 0,
      'every accepted response committed': committed >= accepted && committed - accepted <= inFlightAtMost,
      'memory growth ≤ 10%': growth <= 10
    }
  }
  console.log(
    table([
      ['kind', 'alone req/s', 'asked req/s', 'served req/s', 'p50 ms', 'p99 ms', 'errors', 'timeouts', 'unexpected'],
      ...figures.kinds.map((k) => [
        k.name,
        k.capacityAlone,
        k.rate,
        k.rps,
        k.p50,
        k.p99,
        k.errors,
        k.timeouts,
        k.unexpected
      ])
    ])
  )
  console.log(
    `responses accepted ${accepted}, committed ${committed} (at most ${inFlightAtMost} more in flight at the stop); service RSS ${early} MiB (2nd minute) → ${late} MiB (last minute): ${growth}%`
  )
  for (const [target, met] of Object.entries(figures.targets)) console.log(`${target}: ${met ? 'met' : 'NOT met'}`)
  writeResult(
    'load',
    figures,
    { target: { errors: 0, memoryGrowthPercent: 10, shareOfCapacity: SHARE_OF_CAPACITY }, machine: machine() },
    [
      'Capacity is measured in the same run, each kind alone; the mix asks each kind for a third of 80% of its capacity.',
      'Rate limits and load shedding are off in the service (as in the other HTTP benchmarks): one key sends all the traffic.',
      'autocannon runs in the benchmark process, the service in a child process, PostgreSQL on the same 2 shared cores.',
      ...mixed.flatMap((m, i) =>
        m.firstUnexpected ? [`first unexpected answer of ${kinds[i].name}: ${m.firstUnexpected}`] : []
      )
    ]
  )
} finally {
  await pool.end()
  await service?.stop()
  await dropDatabase(database)
}
