/**
 * One province in one thread: 1,000,000 responses × 25 columns, 1,000 units, 20 strata; every index of the
 * province and of each unit (1,001 domains) with SE, df and 95% CI, by `computeIndices`.
 *
 * Beside it, on the same data and in the same run (the machine is shared: ratios are only meaningful
 * between figures measured together):
 *   (a) a plain-JavaScript tight loop counting satisfied answers per (unit, column): the floor for any
 *       pass over the answers in JS (target: computeIndices ≤ 3× it);
 *   (b) DuckDB in memory computing the same point estimates (weighted share satisfied per unit × item,
 *       excluding 0 and missing) with GROUP BY unit, load time reported separately.
 *
 * Usage: npm run bench:province [-- --runs=10 --rows=1000000 --units=1000 --strata=20 --seed=20240601 --no-duckdb]
 * (compiled first, as the service runs in production: see bench/run-all.ts). The first call in the fresh
 * process is timed on its own (cold: the JIT compiles the loops as they run), then one warm-up and --runs timed calls.
 * Writes bench/results/scoring-province.json.
 */
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import {
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  UINTEGER,
  UTINYINT,
  type DuckDBConnection,
  type DuckDBType
} from '@duckdb/node-api'
import { scoreOnThreads } from '../src/domain/share-pool.js'
import { MISSING, designOfBatch, type ResponseBatch } from '../src/scoring/batch.js'
import { cellsOf } from '../src/scoring/cells.js'
import { computeIndices, type DomainResult } from '../src/scoring/compute.js'
import { domainTotals } from '../src/scoring/estimate.js'
import { indexSpecs, scoringOptions, slotCount } from '../src/scoring/methods.js'
import { indexPlan } from '../src/scoring/plan.js'
import { rowScorePlan, rowScores } from '../src/scoring/rows.js'
import { inSharedMemory } from '../src/scoring/shares.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'
import { tallyRows } from '../src/scoring/tally.js'
import {
  COLUMNS,
  SCALE_COLUMNS,
  answerProfile,
  machine,
  median,
  mib,
  round,
  synthesize,
  table,
  timeRuns,
  writeResult
} from './lib.js'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    rows: { type: 'string', default: '1000000' },
    units: { type: 'string', default: '1000' },
    strata: { type: 'string', default: '20' },
    seed: { type: 'string', default: '20240601' },
    'no-duckdb': { type: 'boolean', default: false }
  }
})
const RUNS = Math.max(1, Number(args.runs))
const ROWS = Number(args.rows)
const UNITS = Number(args.units)
const STRATA = Number(args.strata)
const SEED = Number(args.seed)
const TARGET_MS = 150
const TARGET_TIGHT_RATIO = 3

const log = (...xs: unknown[]) => console.log(...xs)

// ---------------------------------------------------------------------------------------------------------
// Data

log(
  `scoring-province: ${ROWS.toLocaleString('en-US')} responses × ${COLUMNS.length} columns, ${UNITS} units, ${STRATA} strata, seed ${SEED}`
)
log(`machine: ${JSON.stringify(machine())}`)
let t0 = performance.now()
const synthetic = synthesize({ rows: ROWS, units: UNITS, strata: STRATA, seed: SEED })
const generateMs = performance.now() - t0
const { batch } = synthetic
const design = designOfBatch(batch, synthetic.strata, synthetic.population)
const options = scoringOptions()
const domains = [{ id: 'province', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
const profile = answerProfile(batch)
log(
  `generated in ${round(generateMs)} ms; scale answers: ${round(100 * profile.satisfied)}% 4–5, ${round(100 * profile.noAnswer)}% 0, ${round(100 * profile.missing)}% missing`
)

// ---------------------------------------------------------------------------------------------------------
// Ours: computeIndices, then its phases one by one (same calls as inside computeIndices)

log(`\ncomputeIndices: the first call, 1 warm-up + ${RUNS} timed runs ...`)
t0 = performance.now()
computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains)
const coldMs = performance.now() - t0
log(`  first call (cold): ${round(coldMs)} ms`)
const ours = await timeRuns(() => computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains), RUNS, 1)
const results: DomainResult[] = ours.last
const indicesPerDomain = results[0].indices.length
const published = results.reduce((n, d) => n + d.indices.filter((i) => i.estimate !== null).length, 0)
log(`  runs (ms): ${ours.times.map((t) => round(t, 0)).join(', ')}; median ${round(ours.median)} ms`)

// The phases, timed separately: fewer repetitions when one run is long, to stay within a few minutes.
const phaseRuns = ours.median > 2000 ? 1 : 3
const plan = indexPlan(
  indexSpecs(STANDARD_INSTRUMENT, options, batch.columns),
  batch.columns,
  slotCount(STANDARD_INSTRUMENT)
)
const mixed = plan.specs.filter((s) => !s.simple)
const phaseTimes = { tally: [] as number[], domainTotals: [] as number[], rowScores: [] as number[] }
for (let i = 0; i < phaseRuns; i++) {
  t0 = performance.now()
  const cells = cellsOf(batch, design)
  const { tallies, codes } = tallyRows(batch, cells, plan.groups)
  phaseTimes.tally.push(performance.now() - t0)
  t0 = performance.now()
  const totals = domainTotals(tallies, design, plan, domains)
  phaseTimes.domainTotals.push(performance.now() - t0)
  t0 = performance.now()
  rowScores({ units: batch.units, cells, codes }, rowScorePlan(plan, design, totals))
  phaseTimes.rowScores.push(performance.now() - t0)
}
const phases = {
  runs: phaseRuns,
  tallyMs: round(median(phaseTimes.tally)),
  domainTotalsMs: round(median(phaseTimes.domainTotals)),
  rowScoresMs: round(median(phaseTimes.rowScores)),
  restMs: 0
}
phases.restMs = round(ours.median - phases.tallyMs - phases.domainTotalsMs - phases.rowScoresMs)

// ---------------------------------------------------------------------------------------------------------
// Ours on several threads: scoreOnThreads (share-pool.ts), as a compute thread scores a campaign, the batch
// in shared memory as the service's loader reads it; one thread and THREADS threads alternating in one series.

const THREADS = Math.max(2, availableParallelism())
// Outside the timings: the service's loader reads the answers into shared memory.
const sharedBatch = inSharedMemory(batch)
log(`\nscoreOnThreads at ${THREADS} threads, alternating with computeIndices: 4 warm-ups + ${RUNS} timed runs each ...`)
const onThreads = () => scoreOnThreads(sharedBatch, design, STANDARD_INSTRUMENT, options, domains, THREADS)
const oneThread = () => computeIndices(sharedBatch, design, STANDARD_INSTRUMENT, options, domains)
const threadedFirst = await onThreads()
const sameAsOne = JSON.stringify(threadedFirst.results) === JSON.stringify(results)
const alternating = { one: [] as number[], threads: [] as number[] }
// More warm-up than one call: a helper runs one share per step, so its loops get hot later than this thread's.
for (let i = 0; i < 3; i++) {
  oneThread()
  await onThreads()
}
for (let i = 0; i < RUNS; i++) {
  t0 = performance.now()
  oneThread()
  alternating.one.push(performance.now() - t0)
  t0 = performance.now()
  await onThreads()
  alternating.threads.push(performance.now() - t0)
}
const threaded = { one: median(alternating.one), threads: median(alternating.threads) }
log(
  `  1 thread (ms): ${alternating.one.map((x) => round(x, 0)).join(', ')}; ${THREADS} threads: ${alternating.threads.map((x) => round(x, 0)).join(', ')}; figures ${sameAsOne ? 'identical' : 'DIFFERENT'}`
)

// ---------------------------------------------------------------------------------------------------------
// Reference (a): the tight loop

/** Satisfied answers (4 or 5) per (unit, column), nothing else: one byte read and one add per answer. */
function tightLoop(b: ResponseBatch): Uint32Array {
  const K = b.columns.length
  const counts = new Uint32Array(b.units.length * K)
  const satisfied = new Uint8Array(256)
  satisfied[4] = 1
  satisfied[5] = 1
  const { answers, unit } = b
  for (let r = 0; r < b.size; r++) {
    const base = unit[r] * K
    const row = r * K
    for (let c = 0; c < K; c++) counts[base + c] += satisfied[answers[row + c]]
  }
  return counts
}
log(`tight loop: 1 warm-up + ${Math.max(RUNS, 5)} timed runs ...`)
const tight = await timeRuns(() => tightLoop(batch), Math.max(RUNS, 5), 1)
log(`  runs (ms): ${tight.times.map((t) => round(t, 1)).join(', ')}; median ${round(tight.median)} ms`)

// ---------------------------------------------------------------------------------------------------------
// Reference (b): DuckDB

interface DuckFigures {
  version: string
  threadsDefault: number
  loadMs: number
  loadMethod: string
  queryMs: number
  queryRunsMs: number[]
  queryMs1Thread: number
  queryRunsMs1Thread: number[]
  check: {
    unitsCompared: number
    valuesCompared: number
    maxAbsDiff: number
    within1e9: boolean
    sample: Array<{ unit: string; item: string; ours: number | null; duckdb: number | null; diff: number }>
  }
}

const col = (c: number) => `c${String(c).padStart(2, '0')}`

/** Bulk load through the appender, one 2,048-row data chunk at a time (the vector size), MISSING as NULL. */
async function loadDuckDB(connection: DuckDBConnection, b: ResponseBatch): Promise<void> {
  const K = b.columns.length
  await connection.run(
    `CREATE OR REPLACE TABLE responses (unit UINTEGER, stratum UINTEGER, w DOUBLE, ${Array.from({ length: K }, (_, c) => `${col(c)} UTINYINT`).join(', ')})`
  )
  const appender = await connection.createAppender('responses')
  const types: DuckDBType[] = [UINTEGER, UINTEGER, DOUBLE, ...Array.from({ length: K }, () => UTINYINT)]
  const CHUNK = 2048
  const unitValues = new Array<number>(CHUNK)
  const stratumValues = new Array<number>(CHUNK)
  const weightValues = new Array<number>(CHUNK)
  const answerValues = Array.from({ length: K }, () => new Array<number | null>(CHUNK))
  for (let start = 0; start < b.size; start += CHUNK) {
    const n = Math.min(CHUNK, b.size - start)
    if (n < CHUNK) {
      unitValues.length = stratumValues.length = weightValues.length = n
      for (const a of answerValues) a.length = n
    }
    for (let i = 0; i < n; i++) {
      const r = start + i
      unitValues[i] = b.unit[r]
      stratumValues[i] = b.stratum ? b.stratum[r] : 0
      weightValues[i] = b.weight ? b.weight[r] : 1
      const row = r * K
      for (let c = 0; c < K; c++) {
        const a = b.answers[row + c]
        answerValues[c][i] = a === MISSING ? null : a
      }
    }
    const chunk = DuckDBDataChunk.create(types, n)
    chunk.setColumnValues(0, unitValues)
    chunk.setColumnValues(1, stratumValues)
    chunk.setColumnValues(2, weightValues)
    for (let c = 0; c < K; c++) chunk.setColumnValues(3 + c, answerValues[c])
    appender.appendDataChunk(chunk)
  }
  appender.flushSync()
  appender.closeSync()
}

/**
 * Weighted share satisfied (4–5 among 1–5; perception: 1 among 1–2) per unit × item, GROUP BY unit. MISSING
 * is NULL, which no CASE branch matches; codes are 0–5 (scale) and 1–2 (perception), so `>= 4` is 4–5 and
 * `>= 1` is every valid answer. Written with CASE inside sum(): of the forms tried on this data (FILTER (WHERE …),
 * CASE with >=, CASE with BETWEEN, w·(condition)::DOUBLE), CASE with >= was the fastest: about 10× faster than
 * FILTER and 3× faster than BETWEEN.
 */
function duckQuery(K: number): string {
  const shares = Array.from({ length: K }, (_, c) =>
    c < SCALE_COLUMNS
      ? `sum(CASE WHEN ${col(c)} >= 4 THEN w ELSE 0 END) / sum(CASE WHEN ${col(c)} >= 1 THEN w ELSE 0 END) AS p${c}`
      : `sum(CASE WHEN ${col(c)} = 1 THEN w ELSE 0 END) / sum(CASE WHEN ${col(c)} >= 1 THEN w ELSE 0 END) AS p${c}`
  )
  return `SELECT unit, ${shares.join(', ')} FROM responses GROUP BY unit`
}

async function runDuckDB(b: ResponseBatch, ourResults: DomainResult[]): Promise<DuckFigures> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const version = String((await connection.runAndReadAll('SELECT version()')).getRows()[0][0])
  const threadsDefault = Number((await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0])
  let start = performance.now()
  await loadDuckDB(connection, b)
  const loadMs = performance.now() - start
  const count = Number((await connection.runAndReadAll('SELECT count(*) FROM responses')).getRows()[0][0])
  if (count !== b.size) throw new Error(`DuckDB loaded ${count} rows, expected ${b.size}`)
  const sql = duckQuery(b.columns.length)
  const query = async () => (await connection.runAndReadAll(sql)).getRowsJS() as Array<Array<number | null>>
  const runs = Math.max(RUNS, 5)
  log(
    `DuckDB ${version}: loaded in ${round(loadMs)} ms; query: 1 warm-up + ${runs} timed runs at ${threadsDefault} threads, then at 1 thread ...`
  )
  const multi = await timeRuns(query, runs, 1)
  await connection.run('SET threads = 1')
  const single = await timeRuns(query, runs, 1)
  await connection.run(`SET threads = ${threadsDefault}`)
  log(
    `  ${threadsDefault} threads (ms): ${multi.times.map((t) => round(t, 0)).join(', ')}; 1 thread: ${single.times.map((t) => round(t, 0)).join(', ')}`
  )

  // Check: DuckDB's shares against our point estimates, for every unit and item.
  start = performance.now()
  const byUnit = new Map(ourResults.map((d) => [d.domain, new Map(d.indices.map((i) => [i.code, i.estimate]))]))
  let maxAbsDiff = 0
  let valuesCompared = 0
  const sample: DuckFigures['check']['sample'] = []
  const sampleUnits = new Set([0, 1, Math.floor(b.units.length / 2), b.units.length - 1])
  for (const row of multi.last) {
    const u = Number(row[0])
    const ourIndices = byUnit.get(b.units[u]) as Map<string, number | null>
    for (let c = 0; c < b.columns.length; c++) {
      const theirs = row[1 + c]
      const mine = ourIndices.get(b.columns[c]) ?? null
      const diff =
        mine === null || theirs === null ? (mine === theirs ? 0 : Number.POSITIVE_INFINITY) : Math.abs(mine - theirs)
      maxAbsDiff = Math.max(maxAbsDiff, diff)
      valuesCompared++
      if (sampleUnits.has(u) && (c === 0 || c === SCALE_COLUMNS - 1 || c === b.columns.length - 1)) {
        sample.push({ unit: b.units[u], item: b.columns[c], ours: mine, duckdb: theirs, diff })
      }
    }
  }
  connection.closeSync()
  instance.closeSync()
  return {
    version,
    threadsDefault,
    loadMs: round(loadMs),
    loadMethod: 'appender.appendDataChunk, 2,048-row chunks filled with DuckDBDataChunk.setColumnValues',
    queryMs: round(multi.median),
    queryRunsMs: multi.times.map((t) => round(t)),
    queryMs1Thread: round(single.median),
    queryRunsMs1Thread: single.times.map((t) => round(t)),
    check: { unitsCompared: multi.last.length, valuesCompared, maxAbsDiff, within1e9: maxAbsDiff <= 1e-9, sample }
  }
}

const duck = args['no-duckdb'] ? null : await runDuckDB(batch, results)

// ---------------------------------------------------------------------------------------------------------
// Report

const ratioTight = ours.median / tight.median
const ratioDuck = duck ? duck.queryMs / ours.median : null
const ratioDuck1 = duck ? duck.queryMs1Thread / ours.median : null
const rss = process.resourceUsage().maxRSS * 1024

log(
  '\n' +
    table([
      ['what', 'median ms', 'min ms', 'runs', 'note'],
      [
        `computeIndices (${domains.length.toLocaleString('en-US')} domains, all indices, SE/df/CI)`,
        round(ours.median),
        round(ours.min),
        ours.times.length,
        `${indicesPerDomain} indices/domain, ${published.toLocaleString('en-US')} with an estimate`
      ],
      ['  its first call in the process (cold JIT)', round(coldMs), '', 1, 'not in the median'],
      [
        '  of which cells + tallyRows (pass one)',
        phases.tallyMs,
        round(Math.min(...phaseTimes.tally)),
        phaseRuns,
        'timed separately'
      ],
      [
        '  of which domainTotals (totals, scores, df per domain)',
        phases.domainTotalsMs,
        round(Math.min(...phaseTimes.domainTotals)),
        phaseRuns,
        'timed separately'
      ],
      [
        '  of which rowScores (pass two, factor/overall)',
        phases.rowScoresMs,
        round(Math.min(...phaseTimes.rowScores)),
        phaseRuns,
        `${mixed.length} mixed indices × ${domains.length.toLocaleString('en-US')} domains`
      ],
      ['  of which the rest (variance, df, CI)', phases.restMs, '', '', 'median − the three above'],
      [
        '(a) tight loop: satisfied per (unit, column)',
        round(tight.median, 1),
        round(tight.min, 1),
        tight.times.length,
        'plain JS, one Uint8Array pass'
      ],
      ...(duck
        ? ([
            [
              `(b) DuckDB ${duck.version}, ${duck.threadsDefault} threads: shares per unit × item`,
              duck.queryMs,
              round(Math.min(...duck.queryRunsMs)),
              duck.queryRunsMs.length,
              'point estimates only'
            ],
            [
              '(b) DuckDB, 1 thread',
              duck.queryMs1Thread,
              round(Math.min(...duck.queryRunsMs1Thread)),
              duck.queryRunsMs1Thread.length,
              'point estimates only'
            ],
            ['(b) DuckDB load (appender, data chunks)', duck.loadMs, '', 1, 'excluded from the query times']
          ] as Array<Array<string | number>>)
        : [])
    ])
)
log('')
log(
  `target: computeIndices < ${TARGET_MS} ms → ${round(ours.median)} ms: ${ours.median < TARGET_MS ? 'MET' : 'NOT MET'} (${round(ours.median / TARGET_MS, 1)}× the target)`
)
log(
  `ratio ours / tight loop = ${round(ratioTight, 1)}× (target ≤ ${TARGET_TIGHT_RATIO}×): ${ratioTight <= TARGET_TIGHT_RATIO ? 'MET' : 'NOT MET'}`
)
log(
  `on ${THREADS} threads: ${round(threaded.threads)} ms against ${round(threaded.one)} ms on one (alternating): ${round(threaded.one / threaded.threads, 2)}×${duck ? `; DuckDB at ${duck.threadsDefault} threads / ours at ${THREADS} = ${round(duck.queryMs / threaded.threads, 3)}` : ''}`
)
if (duck) {
  log(
    `ratio DuckDB / ours = ${round(ratioDuck as number, 3)} at ${duck.threadsDefault} threads, ${round(ratioDuck1 as number, 3)} at 1 thread (> 1: we are faster)`
  )
  log(
    `check, DuckDB vs our point estimates: ${duck.check.valuesCompared.toLocaleString('en-US')} values over ${duck.check.unitsCompared} units, max |diff| = ${duck.check.maxAbsDiff.toExponential(2)} → ${duck.check.within1e9 ? 'equal within 1e-9' : 'DIFFERENT'}`
  )
  log(
    table([
      ['unit', 'item', 'ours', 'DuckDB', '|diff|'],
      ...duck.check.sample.map((s) => [s.unit, s.item, String(s.ours), String(s.duckdb), s.diff.toExponential(1)])
    ])
  )
}
log(`peak RSS (maxRSS): ${mib(rss)} MiB`)

const notes = [
  `Data: synthesize({ rows: ${ROWS}, units: ${UNITS}, strata: ${STRATA}, seed: ${SEED} }) from bench/lib.ts (mulberry32); every unit has rows in every stratum, weights N_h/n_h constant within a stratum, fpc N_h.`,
  `computeIndices returns ${indicesPerDomain} indices per domain: the instrument's items absent from the batch (SAT.F1–F5, P.TRIPS, P.APOLOGY, P.ONLINE, the 8 E.IMPROVE options) come back with a null estimate; ${published.toLocaleString('en-US')} figures have an estimate.`,
  `The phase times are the exported functions called one after the other, ${phaseRuns} time(s): tallyMs = cellsOf + tallyRows (pass one: cells, group codes, counts), domainTotalsMs = domainTotals (per domain: group sums, ratio totals, Σt and single-question Σt², df), rowScoresMs = rowScorePlan + rowScores (pass two: Σt² of the factor and overall indices); "rest" is the computeIndices median minus them (variances, intervals, result objects, allocation, GC).`,
  'The tight loop reads every answer once and adds a 0/1 from a 256-entry table into a per-(unit, column) Uint32Array; it does no weighting and no variance: a floor for a JS pass, not an equivalent computation.',
  `onThreads: scoreOnThreads (src/domain/share-pool.ts) at ${THREADS} threads, this one and helpers, the batch's arrays in SharedArrayBuffers as the service's loader reads them (copied there once, outside the timings); timed alternating with computeIndices on one thread, --runs times each, after four warm-ups of each (a helper runs one share per step: its loops get hot later); its figures are compared with computeIndices' (JSON, every number).`,
  'DuckDB computes point estimates only (no SE, df or CI); its query time includes reading 1,000 × 26 values back to JS. Load time is reported separately.',
  'Medians on a shared 2-core machine; compare ratios only between figures of the same run.',
  "Runs compiled by tsc (npm run bench:build), as the service runs in production; under tsx's loader the same scoring code ran about 25% slower on this machine while the tight loop did not change. The first call in the process is timed apart: the row loops are compiled by V8 as they run."
]
const path = writeResult(
  'scoring-province',
  {
    rows: ROWS,
    columns: COLUMNS.length,
    units: UNITS,
    strata: STRATA,
    domains: domains.length,
    indicesPerDomain,
    figuresWithEstimate: published,
    generateMs: round(generateMs),
    answerProfile: {
      satisfied: round(profile.satisfied, 4),
      noAnswer: round(profile.noAnswer, 4),
      missing: round(profile.missing, 4)
    },
    computeIndices: {
      medianMs: round(ours.median),
      minMs: round(ours.min),
      runsMs: ours.times.map((t) => round(t)),
      firstCallMs: round(coldMs)
    },
    phases,
    tightLoop: {
      medianMs: round(tight.median, 2),
      minMs: round(tight.min, 2),
      runsMs: tight.times.map((t) => round(t, 2))
    },
    duckdb: duck,
    onThreads: {
      threads: THREADS,
      figuresIdenticalToOneThread: sameAsOne,
      oneThreadMedianMs: round(threaded.one),
      oneThreadRunsMs: alternating.one.map((x) => round(x)),
      threadsMedianMs: round(threaded.threads),
      threadsRunsMs: alternating.threads.map((x) => round(x))
    },
    ratios: {
      oursOverTightLoop: round(ratioTight, 2),
      duckdbOverOurs: ratioDuck === null ? null : round(ratioDuck, 3),
      duckdb1ThreadOverOurs: ratioDuck1 === null ? null : round(ratioDuck1, 3),
      oneThreadOverThreads: round(threaded.one / threaded.threads, 2),
      duckdbOverOursOnThreads: duck ? round(duck.queryMs / threaded.threads, 3) : null
    },
    targets: {
      computeIndicesUnder150ms: ours.median < TARGET_MS,
      atMost3xTightLoop: ratioTight <= TARGET_TIGHT_RATIO,
      fasterThanDuckdbOnThreads: duck ? threaded.threads < duck.queryMs : null,
      duckdbEqualWithin1e9: duck ? duck.check.within1e9 : null
    },
    maxRssMiB: mib(rss)
  },
  {
    targets: { computeIndicesMs: TARGET_MS, oursOverTightLoop: TARGET_TIGHT_RATIO },
    ceilings: 'shared/reference/ceilings.md: tight loop 65 ms and DuckDB 159 ms for 1M × 25 items, 500 units'
  },
  notes
)
log(`wrote ${path}`)
