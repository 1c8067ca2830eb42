/**
 * Responses linked to their dossiers (issue 16), through the service (src/server.ts, a child process) on a
 * throw-away PostgreSQL database:
 *
 *   1. Ingestion with and without dossier codes, in the same run: batches of 5,000 responses, alternately with
 *      a dossier code each (looked up in the frame, held to one response per dossier) and without, 200,000 of
 *      each; the median time of a batch of each kind, and their ratio.
 *   2. A frame of 1,000,000 dossiers uploaded after them (NDJSON, in parts of 125,000, as a one-stop shop
 *      exports), 200,000 of which the posted responses name.
 *   3. The link: responses are linked by their dossier codes when read (nothing is rewritten at upload), so
 *      "linked" is the classing join every computation runs (db/queries/response-counts.ts): its time, and
 *      that it finds all 200,000 after service. A replay of posted responses then says `after-service`.
 *
 * Usage: node --import tsx bench/linking.ts [--responses=200000] [--frame=1000000]
 * Writes bench/results/linking.json. Needs PostgreSQL at BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { parseArgs } from 'node:util'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { responseCounts } from '../src/db/queries/response-counts.js'
import {
  collectingCampaign,
  createDatabase,
  databaseUrl,
  dropDatabase,
  responseRecord,
  startService
} from './ingestion-setup.js'
import { median, round, table, writeResult } from './lib.js'

const { values: args } = parseArgs({
  options: { responses: { type: 'string', default: '200000' }, frame: { type: 'string', default: '1000000' } }
})
const RESPONSES = Number(args.responses)
const FRAME = Number(args.frame)
const BATCH = 5_000
const PART = 125_000
const TARGETS = { linkSeconds: 10, withCodesWithin: 1.1 }
const COMMUNES = ['08500', '08501', '08502']

const log = (...parts: unknown[]) => console.log(`[${(performance.now() / 1000).toFixed(1)}s]`, ...parts)

/** The external id of the k-th response with a dossier code; its code is `H48.22-<external id>` (responseRecord). */
const linkedId = (k: number) => `L-${k}`

const database = await createDatabase()
const service = await startService(database)
const client = new pg.Pool({ connectionString: databaseUrl(database), max: 2 })
try {
  const campaign = await collectingCampaign(service)
  const post = async (records: unknown[], accepted = records.length) => {
    const t0 = performance.now()
    const res = await fetch(`${service.url}/v1/responses/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(records)
    })
    const body = (await res.json()) as { accepted: number; results: Array<{ countsAs?: string }> }
    if (res.status !== 200 || body.accepted !== accepted)
      throw new Error(`batch: ${res.status} ${JSON.stringify(body).slice(0, 500)}`)
    return { ms: performance.now() - t0, body }
  }

  log(`1. ${RESPONSES.toLocaleString('en-US')} responses with dossier codes and as many without, alternately`)
  const withCodes: number[] = []
  const withoutCodes: number[] = []
  for (let start = 0; start < RESPONSES; start += BATCH) {
    const ks = Array.from({ length: Math.min(BATCH, RESPONSES - start) }, (_, i) => start + i)
    withCodes.push((await post(ks.map((k) => responseRecord(campaign.campaignId, k, linkedId(k))))).ms)
    withoutCodes.push(
      (
        await post(
          ks.map((k) => {
            const { dossierCode: _, ...record } = responseRecord(campaign.campaignId, k, `N-${k}`)
            return record
          })
        )
      ).ms
    )
  }
  const ingestion = {
    batch: BATCH,
    batchesOfEach: withCodes.length,
    medianMsWithCodes: round(median(withCodes)),
    medianMsWithoutCodes: round(median(withoutCodes)),
    withOverWithout: round(median(withCodes) / median(withoutCodes), 3)
  }
  log('ingestion', ingestion)

  log(`2. a frame of ${FRAME.toLocaleString('en-US')} dossiers, in parts of ${PART.toLocaleString('en-US')}`)
  const frameRecord = (i: number) =>
    JSON.stringify({
      // The first RESPONSES are the posted responses' dossiers, handled by their units.
      dossierCode: i < RESPONSES ? `H48.22-${linkedId(i)}` : `H48.22-F-${i}`,
      procedureCode: '1.001612.000.00.00.H48',
      unitCode: COMMUNES[i % COMMUNES.length],
      channel: i % 3 === 0 ? 'online' : 'in-person',
      subjectType: i % 7 === 0 ? 'business' : 'citizen',
      completedAt: `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+07:00`
    })
  const uploadStart = performance.now()
  for (let start = 0; start < FRAME; start += PART) {
    const lines: string[] = []
    for (let i = start; i < Math.min(FRAME, start + PART); i++) lines.push(frameRecord(i))
    const res = await fetch(`${service.url}/v1/campaigns/${campaign.campaignId}/frame`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.adminKey}`, 'content-type': 'application/x-ndjson' },
      body: lines.join('\n') + '\n'
    })
    if (res.status !== 201) throw new Error(`frame part at ${start}: ${res.status} ${(await res.text()).slice(0, 500)}`)
    await res.arrayBuffer()
  }
  const uploadSeconds = (performance.now() - uploadStart) / 1000
  log(`frame uploaded in ${round(uploadSeconds)} s`)

  log('3. the link: every response classed by the join a computation runs')
  const db = drizzle(client)
  const linkRuns: number[] = []
  let counts: Awaited<ReturnType<typeof responseCounts>> = []
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now()
    counts = await responseCounts(db as never, campaign.campaignId)
    linkRuns.push(performance.now() - t0)
  }
  const total = counts.find((c) => c.unitId === null)!
  if (total.afterService !== RESPONSES || total.posted !== 2 * RESPONSES)
    throw new Error(`linked ${total.afterService} of ${RESPONSES} (posted ${total.posted})`)
  const replay = await post(
    Array.from({ length: 1000 }, (_, k) => responseRecord(campaign.campaignId, k, linkedId(k))),
    0
  )
  if (replay.body.results.some((r) => r.countsAs !== 'after-service'))
    throw new Error('a replayed response does not count after service')
  const linkSeconds = median(linkRuns) / 1000

  const figures = {
    responses: RESPONSES,
    frameRecords: FRAME,
    ingestion,
    frameUploadSeconds: round(uploadSeconds, 1),
    frameRecordsPerSecond: Math.round(FRAME / uploadSeconds),
    linkSecondsMedianOf3: round(linkSeconds, 3),
    linked: total.afterService,
    targets: {
      linkSeconds: {
        target: TARGETS.linkSeconds,
        measured: round(linkSeconds, 3),
        met: linkSeconds < TARGETS.linkSeconds
      },
      withCodesOverWithout: {
        target: TARGETS.withCodesWithin,
        measured: ingestion.withOverWithout,
        met: ingestion.withOverWithout <= TARGETS.withCodesWithin
      }
    }
  }
  console.log(
    table([
      ['figure', 'measured', 'target'],
      [
        'batch of 5,000 with codes / without (median ms)',
        `${ingestion.medianMsWithCodes} / ${ingestion.medianMsWithoutCodes}`,
        ''
      ],
      ['  ratio', ingestion.withOverWithout, `≤ ${TARGETS.withCodesWithin}`],
      ['frame upload (s)', round(uploadSeconds, 1), ''],
      ['link: classing join (s, median of 3)', round(linkSeconds, 3), `< ${TARGETS.linkSeconds}`]
    ])
  )
  log('wrote', writeResult('linking', figures, null))
} finally {
  await client.end()
  await service.stop()
  await dropDatabase(database)
}
