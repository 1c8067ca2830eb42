/**
 * Pieces of the ingestion benchmark (bench/ingestion.ts): a throw-away PostgreSQL database, the service as
 * a child process on it, a collecting campaign with a client key made through the API, and request bodies
 * whose external ids are unique without re-serialising anything.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import { SMALL_PROVINCE, SMALL_PROVINCE_COMMUNES } from '../test/helpers/small-province.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

// ---------------------------------------------------------------------------------------------------------
// Database

/** postgres://…/postgres, the maintenance database of the server the benchmark uses. */
export const SERVER_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL)
  url.pathname = `/${name}`
  return url.toString()
}

export async function serverQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

export async function createDatabase(): Promise<string> {
  const name = `sipas_bench_ingest_${process.pid}_${randomBytes(3).toString('hex')}`
  await serverQuery(`create database ${name}`)
  return name
}

export const dropDatabase = (name: string): Promise<void> => serverQuery(`drop database if exists ${name} with (force)`)

// ---------------------------------------------------------------------------------------------------------
// The service as a child process

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export interface Service {
  url: string
  child: ChildProcess
  adminKey: string
  /** The last lines the service wrote (warnings and errors only: LOG_LEVEL=warn). */
  output: () => string[]
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop: (graceMs?: number) => Promise<void>
}

export async function startService(
  database: string,
  options: { nodeArgs?: string[]; readyTimeoutMs?: number; env?: Record<string, string> } = {}
): Promise<Service> {
  const port = await freePort()
  const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl(database),
      PERSONAL_DATA_KEY: randomBytes(32).toString('hex'),
      ADMIN_API_KEY: adminKey,
      LOG_LEVEL: 'warn',
      // The benchmark measures throughput, not the abuse limits nor load shedding (on a shared machine a
      // start or a batch of 10,000 can delay the event loop past its threshold).
      RATE_LIMIT_PER_MINUTE: '0',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      NODE_ENV: 'production',
      ...options.env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const lines: string[] = []
  let lineCount = 0
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line === '') continue
      lineCount++
      lines.push(line.length > 500 ? line.slice(0, 500) + '…' : line)
      if (lines.length > 50) lines.shift()
    }
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
  const stop = async (graceMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }
  const service: Service = {
    url: `http://127.0.0.1:${port}`,
    child,
    adminKey,
    output: () => [`(${lineCount} lines in all)`, ...lines],
    stop
  }

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000)
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the service exited (${child.exitCode}) before it was ready:\n${lines.join('\n')}`)
    try {
      const res = await fetch(`${service.url}/readyz`)
      if (res.status === 200) return service
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the service was not ready within the timeout:\n${lines.join('\n')}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

// ---------------------------------------------------------------------------------------------------------
// A collecting campaign and a client key, through the API (as test/helpers/collecting.ts does in-process)

async function call(service: Service, method: string, path: string, body?: unknown, expect = [200, 201]): Promise<any> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${service.adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text === '' ? null : JSON.parse(text)
}

export interface Campaign {
  campaignId: string
  clientId: string
  clientKey: string
  communes: string[]
}

/** The approval that makes a benchmark's draft publication public: a made-up decision dated today in Vietnam. */
export const APPROVAL = {
  approverName: 'Người phê duyệt (đo hiệu năng)',
  approverPosition: 'Chủ tịch Ủy ban nhân dân tỉnh',
  decisionNumber: '1/QĐ-UBND',
  decisionDate: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' })
}

/** A collecting campaign of three communes and an agency (imported the first time), with a client key for it. */
export async function collectingCampaign(service: Service): Promise<Campaign> {
  const imported = (await call(service, 'GET', '/v1/units?code=25')).length > 0
  if (!imported) await call(service, 'POST', '/v1/units/import', SMALL_PROVINCE, [201])
  const id = async (code: string) => (await call(service, 'GET', `/v1/units?code=${code}`))[0].id as string
  const province = await id('25')
  const communes = await Promise.all(SMALL_PROVINCE_COMMUNES.map(id))
  const agency = await id('000.00.53.H48')
  const campaign = await call(
    service,
    'POST',
    '/v1/campaigns',
    {
      name: 'SIPAS Phú Thọ 2026 (benchmark)',
      year: 2026,
      provinceId: province,
      instrument: { code: 'SIPAS-2017', version: 1 },
      units: [...communes, agency],
      periodStart: '2025-10-01',
      periodEnd: '2026-09-30',
      // The window holds the responses' collectedAt (below, October 2026) in Vietnam time.
      collectionStart: '2026-10-01',
      collectionEnd: '2026-11-30',
      sampled: false,
      channels: ['interview', 'kiosk']
    },
    [201]
  )
  await call(service, 'POST', `/v1/campaigns/${campaign.id}/transitions`, { to: 'collecting' })
  const client = await call(
    service,
    'POST',
    '/v1/clients',
    { name: 'Một cửa tỉnh Phú Thọ (benchmark)', units: communes, campaigns: [campaign.id] },
    [201]
  )
  return { campaignId: campaign.id, clientId: client.id, clientKey: client.key, communes }
}

// ---------------------------------------------------------------------------------------------------------
// Responses

const CRITERIA: Array<[number, number]> = [
  [1, 4],
  [2, 5],
  [3, 6],
  [4, 3],
  [5, 4]
]

/**
 * The k-th of a small set of valid responses (as test/helpers/collecting.ts `response()`): all 22 criteria,
 * the overall satisfaction, two perceptions, a several-picks item and two profile items, a procedure and a
 * dossier code; answers, unit and channel vary with k. The external id is left to the caller.
 */
export function responseRecord(campaignId: string, k: number, externalId: string): Record<string, unknown> {
  const answers: Record<string, number | number[]> = {}
  let i = 0
  for (const [f, n] of CRITERIA)
    for (let c = 1; c <= n; c++) answers[`F${f}.${c}`] = [3, 4, 4, 5, 5, 0][(f * 7 + c * 3 + k + i++) % 6]
  answers.SAT = 4 + (k % 2)
  answers['P.ONTIME'] = 1 + (k % 2)
  answers['P.NOBRIBE'] = 1
  answers['E.IMPROVE'] = k % 3 === 0 ? [4, 5] : [1]
  answers.GENDER = 1 + (k % 2)
  answers.AGE = 1 + (k % 5)
  const day = String(1 + (k % 28)).padStart(2, '0')
  return {
    campaignId,
    unit: SMALL_PROVINCE_COMMUNES[k % SMALL_PROVINCE_COMMUNES.length],
    externalId,
    channel: k % 4 === 0 ? 'interview' : 'kiosk',
    collectedAt: `2026-10-${day}T09:45:00+07:00`,
    procedureCode: '1.001612.000.00.00.H48',
    // One dossier per response (a campaign takes one response per dossier): the code carries the external id.
    dossierCode: `H48.22-${externalId}`,
    answers
  }
}

/** Width of the per-request tag written into every external id of a batch body (base 36). */
export const TAG_WIDTH = 8
const PLACEHOLDER = '~'.repeat(TAG_WIDTH)
export const tagOf = (n: number): string => n.toString(36).padStart(TAG_WIDTH, '0')

/**
 * A batch body of `size` records (a JSON array or NDJSON) whose external ids are `B<tag>-<i>` (and dossier codes
 * `H48.22-B<tag>-<i>`): the body is
 * serialised once; each request copies it and writes its own tag at the remembered byte offsets, so every
 * request carries ids no other request carries, at the cost of one memcpy.
 */
export class BatchTemplate {
  readonly bytes: Buffer
  readonly offsets: Int32Array
  constructor(
    campaignId: string,
    readonly size: number,
    readonly format: 'json' | 'ndjson'
  ) {
    const records = Array.from({ length: size }, (_, i) =>
      JSON.stringify(responseRecord(campaignId, i, `B${PLACEHOLDER}-${i}`))
    )
    const text = format === 'json' ? `[${records.join(',')}]` : records.join('\n') + '\n'
    this.bytes = Buffer.from(text)
    // Twice per record: in its external id and in its dossier code.
    const marker = Buffer.from(`B${PLACEHOLDER}-`)
    const offsets: number[] = []
    for (let at = this.bytes.indexOf(marker); at !== -1; at = this.bytes.indexOf(marker, at + marker.length))
      offsets.push(at + 1)
    if (offsets.length !== 2 * size) throw new Error(`template: ${offsets.length} placeholders for ${size} records`)
    this.offsets = Int32Array.from(offsets)
  }

  /** A copy of the body with `tag` (TAG_WIDTH ASCII characters) in every external id and dossier code. */
  body(tag: string): Buffer {
    const out = Buffer.allocUnsafe(this.bytes.length)
    this.bytes.copy(out)
    const tagBytes = Buffer.from(tag, 'latin1')
    for (let i = 0; i < this.offsets.length; i++) tagBytes.copy(out, this.offsets[i])
    return out
  }
}

/**
 * A published unit index to read: 3,000 responses posted to a collecting campaign, computed, drafted and
 * approved; the path of one unit's published figures.
 */
export async function publishedUnitPath(service: Service): Promise<string> {
  const { campaignId } = await collectingCampaign(service)
  const responses = Array.from({ length: 3000 }, (_, k) => responseRecord(campaignId, k, `read-${k}`))
  await call(service, 'POST', '/v1/responses/batch', responses)
  await call(service, 'POST', `/v1/campaigns/${campaignId}/transitions`, { to: 'closed' })
  const computation = await call(service, 'POST', `/v1/campaigns/${campaignId}/computations`)
  const publication = await call(service, 'POST', `/v1/campaigns/${campaignId}/publications`, {
    computationId: computation.id
  })
  await call(service, 'POST', `/v1/campaigns/${campaignId}/publications/${publication.id}/approval`, APPROVAL)
  const unit = computation.results.units.find((u: { overall: unknown }) => u.overall).unitId
  return `/v1/public/publications/${publication.id}/units/${unit}`
}

/**
 * `rows` responses in one INSERT … SELECT (not over HTTP): answers from a pool of 8192 distinct rows of bytes
 * (picked per row by a hash of the row number), each with the first `criteria` columns 0–5 or missing (mostly
 * 4–5), each of `profiles` (a profile item's column, 0-based, and its options' values) one of its options or
 * missing (one in twenty), and missing elsewhere (255, as stored), spread over the campaign's communes.
 */
export async function insertSyntheticResponses(
  client: pg.Client,
  campaignId: string,
  communes: string[],
  rows: number,
  columns: number,
  criteria: number,
  profiles: ReadonlyArray<{ column: number; values: readonly number[] }> = []
): Promise<void> {
  const options = profiles.map(({ column, values }) => `(${column + 1}, array[${values.join(',')}])`)
  await client.query(`create temp table bench_pool as
    select k, (
      select decode(string_agg(lpad(to_hex(case
                   when p.options is not null then case when h < 5 then 255 else p.options[1 + h % cardinality(p.options)] end
                   when c > ${criteria} then 255
                   when h < 3 then 255 when h < 6 then 0 when h < 50 then 5 when h < 85 then 4
                   when h < 92 then 3 when h < 97 then 2 else 1 end), 2, '0'), '' order by c), 'hex')
      from generate_series(1, ${columns}) c
      left join (values ${options.length > 0 ? options.join(', ') : '(0, null::int[])'}) as p(col, options) on p.col = c,
      lateral (select (hashint4(k * 131 + c) & 2147483647) % 100 as h) x
      ) as answers
    from generate_series(0, 8191) k`)
  await client.query('create unique index on bench_pool (k)')
  await client.query(
    `insert into responses (campaign_id, unit_id, client_id, external_id, content_hash, channel, collected_at, answers)
    select $1::uuid, ($2::uuid[])[1 + g % ${communes.length}], 'bench', 'bench-' || g, 'x', 'kiosk', '2026-10-15T09:00:00+07', p.answers
    from generate_series(1, ${rows}) g join bench_pool p on p.k = (hashint4(g) & 8191)`,
    [campaignId, communes]
  )
  await client.query('drop table bench_pool')
}

/** autocannon against `url`: requests per second (mean), latency p50 and p99 (ms), failures, bytes per request. */
export async function readLoad(
  url: string,
  { connections, seconds, headers = {} }: { connections: number; seconds: number; headers?: Record<string, string> }
) {
  const result = await autocannon({ url, connections, duration: seconds, headers })
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    bytesPerRequest: Math.round(result.throughput.average / Math.max(result.requests.average, 1))
  }
}
