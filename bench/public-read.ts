/**
 * Reads of a published unit's index by portals: autocannon at 50 connections against the service on
 * PostgreSQL (a child process), with the service's trivial /healthz route measured in the same run as the
 * reference of what fastify itself reaches here. Target: ≥ 10,000 req/s, p99 < 20 ms.
 */
import {
  createDatabase,
  dropDatabase,
  publishedUnitPath,
  readLoad,
  startService,
  type Service
} from './ingestion-setup.js'
import { machine, round, table, writeResult } from './lib.js'

const CONNECTIONS = 50
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)

const load = (url: string, headers: Record<string, string> = {}) =>
  readLoad(url, { connections: CONNECTIONS, seconds: SECONDS, headers })

const database = await createDatabase()
let service: Service | undefined
try {
  service = await startService(database)
  const url = `${service.url}${await publishedUnitPath(service)}`
  const etag = (await fetch(url)).headers.get('etag') as string

  const reference = await load(`${service.url}/healthz`)
  const unitIndex = await load(url)
  const notModified = await load(url, { 'if-none-match': etag })
  const figures = {
    connections: CONNECTIONS,
    seconds: SECONDS,
    healthz: reference,
    unitIndex,
    notModified,
    ratioToHealthz: round(unitIndex.rps / reference.rps, 2),
    targets: { '≥ 10,000 req/s': unitIndex.rps >= 10_000, 'p99 < 20 ms': unitIndex.p99 < 20 }
  }
  console.log(
    table([
      ['route', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'bytes'],
      [
        'GET /healthz (reference)',
        reference.rps,
        reference.p50,
        reference.p99,
        reference.non2xx,
        reference.bytesPerRequest
      ],
      [
        'GET published unit index',
        unitIndex.rps,
        unitIndex.p50,
        unitIndex.p99,
        unitIndex.non2xx,
        unitIndex.bytesPerRequest
      ],
      [
        '… with If-None-Match (304)',
        notModified.rps,
        notModified.p50,
        notModified.p99,
        notModified.non2xx,
        notModified.bytesPerRequest
      ]
    ])
  )
  console.log(
    `target ≥ 10,000 req/s with p99 < 20 ms: ${unitIndex.rps >= 10_000 && unitIndex.p99 < 20 ? 'met' : 'NOT met'}; ${figures.ratioToHealthz} of the trivial route`
  )
  writeResult(
    'public-read',
    figures,
    {
      target: { rps: 10_000, p99Ms: 20 },
      ceilings: 'fastify GET 2.4 KB JSON, 50–100 connections: 30,400 req/s (shared/reference/ceilings.md)',
      machine: machine()
    },
    [
      'autocannon runs in the benchmark process, the service in a child process: both share the 2 cores.',
      "A 304 counts as non-2xx in autocannon's tally; that is expected for the If-None-Match run."
    ]
  )
} finally {
  await service?.stop()
  await dropDatabase(database)
}
