/**
 * The national run, streamed: 50,000,000 responses as 34 provinces of ≈ 1.47M rows, each generated,
 * processed and dropped in turn (one thread).
 *
 * Pass one, per province chunk:
 *   - scoreBatch (computeIndices returning its tallies) with the province and each of its units as domains
 *     (every index, SE, df, CI);
 *   - its tallies added into the national tallies, in place (addTallies);
 * then national point estimates with domainTotals() on the national tallies, and the SEs of the
 * single-question indices from those tallies alone (domainResult).
 *
 * Pass two (optional, on by default): the SEs of the national indices that mix questions (factors, overall)
 * need each row's linearised score given the *national* ratios, known only after pass one. Pass one keeps
 * each chunk's coded rows (scoreBatch returns them: one byte per row and column group, ≈ 15 MB a province,
 * 500 MB for the nation), and rowScores() sums Σt² per stratum from them, without reading the answers again.
 *
 * Strata are numbered nationally (34 × 20 = 680): every chunk's batch indexes the one national Design,
 * whose n_h and N_h are filled in as each province is generated (only its own strata are read for it).
 *
 * Merging: tallies keep one cell per (unit, stratum), so national tallies of 34 × 1,000 units × 20 strata
 * hold 680,000 cells (× 25 columns × 3 answer classes, ≈ 200 MB of counts). By default (--merge=rollup)
 * each province's tallies are first rolled up to one pseudo-unit per province (rollUpTallies: cells
 * (province, stratum), Σ over its units, which is exact for every national total, Σw·y, Σw·x, counts,
 * Σ t and Σ t² of single-question scores), then added. --merge=full adds the unit-level tallies as they are
 * (addTallies grows the national arrays by doubling), to measure that cost.
 *
 * The run is bounded: pass one does not start a province that would end past --budget seconds (default 100,
 * judged by the slowest province so far), pass two likewise with --budget2 (default 40); what was not reached
 * is reported, with a projection to all 34. Together under 3 minutes even on a slow run. The time compared
 * with the target is the processing (pass one without generating the chunks, which stands for reading them,
 * plus pass two); the wall time with generation is reported beside it.
 *
 * Usage: npm run bench:national [-- --rows=50000000 …] (compiled first, as in production: see bench/run-all.ts), or
 *        node --max-old-space-size=4096 .bench-build/bench/scoring-national.js
 *          [--rows=50000000] [--provinces=34] [--units=1000] [--strata=20] [--seed=20240601]
 *          [--merge=rollup|full] [--budget=100] [--budget2=40] [--no-pass2] [--verify]
 * --verify (small runs only: it holds every chunk at once) also concatenates the chunks into one batch and
 * checks the streamed national estimates and SEs against computeIndices on it with a national domain.
 * Writes bench/results/scoring-national.json (or scoring-national-<merge>-<provinces>p.json off defaults).
 */
import { parseArgs } from 'node:util'
import type { Design, ResponseBatch } from '../src/scoring/batch.js'
import { computeIndices, domainResult, scoreBatch } from '../src/scoring/compute.js'
import { domainTotals } from '../src/scoring/estimate.js'
import { indexSpecs, scoringOptions, slotCount } from '../src/scoring/methods.js'
import { indexPlan } from '../src/scoring/plan.js'
import { rowScorePlan, rowScores, withRowScores, type CodedRows } from '../src/scoring/rows.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'
import { addTallies, rollUpTallies, type Tallies } from '../src/scoring/tally.js'
import { COLUMNS, machine, mib, round, subSeed, synthesize, table, writeResult } from './lib.js'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000000' },
    provinces: { type: 'string', default: '34' },
    units: { type: 'string', default: '1000' },
    strata: { type: 'string', default: '20' },
    seed: { type: 'string', default: '20240601' },
    merge: { type: 'string', default: 'rollup' },
    budget: { type: 'string', default: '100' },
    budget2: { type: 'string', default: '40' },
    'no-pass2': { type: 'boolean', default: false },
    verify: { type: 'boolean', default: false }
  }
})
const ROWS = Number(args.rows)
const P = Number(args.provinces)
const UNITS = Number(args.units)
const H = Number(args.strata)
const SEED = Number(args.seed)
const MERGE = args.merge === 'full' ? 'full' : 'rollup'
const BUDGET_MS = Number(args.budget) * 1000
const BUDGET2_MS = Number(args.budget2) * 1000
const PASS2 = !args['no-pass2']
const TARGET_MS = 8000
const TARGET_RSS = 4 * 2 ** 30

const log = (...xs: unknown[]) => console.log(...xs)
const rowsOf = (p: number) => Math.floor(ROWS / P) + (p < ROWS % P ? 1 : 0)
const provinceName = (p: number) => `P${String(p).padStart(2, '0')}`
const chunkOf = (p: number) =>
  synthesize({
    rows: rowsOf(p),
    units: UNITS,
    strata: H,
    seed: subSeed(SEED, p),
    unitPrefix: `${provinceName(p)}-U`,
    strataPrefix: `${provinceName(p)}-S`,
    stratumOffset: p * H
  })

// Memory: rss sampled at every phase boundary (a timer cannot fire inside synchronous work), and the
// kernel's high-water mark at the end.
let peakSampledRss = 0
const samples: Array<{ at: string; rssMiB: number; heapUsedMiB: number; arrayBuffersMiB: number }> = []
function sample(at: string): void {
  const m = process.memoryUsage()
  peakSampledRss = Math.max(peakSampledRss, m.rss)
  samples.push({ at, rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), arrayBuffersMiB: mib(m.arrayBuffers) })
}

const talliesMiB = (t: Tallies): number =>
  mib(t.count.byteLength + (t.sumW?.byteLength ?? 0) + (t.sumW2?.byteLength ?? 0) + (t.cellWeight?.byteLength ?? 0))

// The national design: 680 strata, n_h and N_h filled in province by province.
const strataNames = Array.from(
  { length: P * H },
  (_, i) => `${provinceName(Math.floor(i / H))}-S${String(i % H).padStart(2, '0')}`
)
const fpc: Array<number | null> = new Array(P * H).fill(null)
const psuCount: number[] = new Array(P * H).fill(0)
const design: Design = { probability: true, strata: strataNames, fpc, psuCount, psus: null, psuStratum: null }
const options = scoringOptions()
const plan = indexPlan(indexSpecs(STANDARD_INSTRUMENT, options, COLUMNS), COLUMNS, slotCount(STANDARD_INSTRUMENT))
const mixed = plan.specs.filter((s) => !s.simple)

log(
  `scoring-national: ${ROWS.toLocaleString('en-US')} responses as ${P} provinces of ≈ ${rowsOf(0).toLocaleString('en-US')} rows, ${UNITS} units and ${H} strata each, merge=${MERGE}, budget ${BUDGET_MS / 1000} s + ${BUDGET2_MS / 1000} s`
)
log(`machine: ${JSON.stringify(machine())}`)
sample('start')

// ---------------------------------------------------------------------------------------------------------
// Pass one

interface ChunkFigures {
  province: string
  rows: number
  generateMs: number
  computeIndicesMs: number
  tallyMs: number
  mergeMs: number
  rssMiB: number
}
const chunks: ChunkFigures[] = []
/** Each chunk's coded rows, for pass two; without the rows' places (pass two reads codes already in cell order). */
const kept: CodedRows[] = []
let national: Tallies | null = null
let rowsDone = 0
let check: { province: string; maxRelDiff: number } | null = null
const start = performance.now()
for (let p = 0; p < P; p++) {
  // Stop before a province that would end past the budget (judged by the slowest one so far).
  const slowest = Math.max(0, ...chunks.map((c) => c.generateMs + c.computeIndicesMs + c.tallyMs + c.mergeMs))
  if (p > 0 && performance.now() - start + slowest > BUDGET_MS) break
  let t0 = performance.now()
  const synthetic = chunkOf(p)
  const { batch } = synthetic
  for (let h = 0; h < H; h++) {
    psuCount[p * H + h] = synthetic.sampled[h]
    fpc[p * H + h] = synthetic.population[h]
  }
  const generateMs = performance.now() - t0
  sample(`${provinceName(p)} generated`)

  t0 = performance.now()
  const domains = [{ id: provinceName(p), units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
  const { results, tallies, rows } = scoreBatch(batch, design, STANDARD_INSTRUMENT, options, domains)
  if (PASS2) kept.push({ ...rows, cells: { ...rows.cells, place: new Int32Array(0) } })
  const computeIndicesMs = performance.now() - t0
  if (results.length !== domains.length) throw new Error('missing domains')
  sample(`${provinceName(p)} computeIndices`)

  t0 = performance.now()
  const part = MERGE === 'rollup' ? rollUpTallies(tallies, provinceName(p)) : tallies
  national = national === null ? part : addTallies(national, part)
  const mergeMs = performance.now() - t0
  sample(`${provinceName(p)} merged`)

  if (p === 0 && MERGE === 'rollup') {
    // The roll-up changes nothing a national total reads: the province domain's totals agree both ways.
    const [a] = domainTotals(tallies, design, plan, [{ id: 'p', units: batch.units }])
    const [b] = domainTotals(part, design, plan, [{ id: 'p', units: [provinceName(p)] }])
    let maxRelDiff = Math.abs(a.rows - b.rows) / a.rows
    const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(x || 1)
    a.Y.forEach((_, q) => {
      maxRelDiff = Math.max(maxRelDiff, rel(a.Y[q], b.Y[q]), rel(a.X[q], b.X[q]), rel(a.n[q], b.n[q]))
    })
    check = { province: provinceName(p), maxRelDiff }
  }
  rowsDone += batch.size
  // No tally of its own: scoreBatch returns the tallies computeIndices made (tallyMs stays 0 for the summary).
  chunks.push({
    province: provinceName(p),
    rows: batch.size,
    generateMs: round(generateMs),
    computeIndicesMs: round(computeIndicesMs),
    tallyMs: 0,
    mergeMs: round(mergeMs),
    rssMiB: samples[samples.length - 1].rssMiB
  })
  log(
    `  ${provinceName(p)}: ${batch.size.toLocaleString('en-US')} rows; generate ${round(generateMs, 0)} ms, computeIndices ${round(computeIndicesMs, 0)} ms, merge ${round(mergeMs, 0)} ms; rss ${samples[samples.length - 1].rssMiB} MiB; elapsed ${round((performance.now() - start) / 1000)} s`
  )
}
if (national === null) throw new Error('no province processed')
const nationalTallies: Tallies = national

// National point estimates and the SEs that the tallies alone give (single-question indices).
const t0 = performance.now()
const nationalDomain = { id: 'national', units: [...nationalTallies.units] }
const [totals] = domainTotals(nationalTallies, design, plan, [nationalDomain])
const estimates = new Map(
  domainResult(plan, design, options, totals).indices.map((r, m) => [
    r.code,
    { estimate: r.estimate, se: plan.specs[m].simple ? r.se : null }
  ])
)
const nationalMs = performance.now() - t0
const pass1Ms = performance.now() - start
sample('national estimates')
const complete = chunks.length === P
log(
  `pass one: ${chunks.length}/${P} provinces, ${rowsDone.toLocaleString('en-US')} rows in ${round(pass1Ms / 1000, 2)} s${complete ? '' : ' (stopped by the time budget)'}; national estimates ${round(nationalMs)} ms`
)

// ---------------------------------------------------------------------------------------------------------
// Pass two: national SEs of factor and overall indices

interface Pass2 {
  provinces: number
  complete: boolean
  ms: number
  rowScoresMs: number
  perProvinceMs: number[]
}
let pass2: Pass2 | null = null
if (PASS2 && mixed.length > 0) {
  let squares: Float64Array | null = null
  const start2 = performance.now()
  const perProvinceMs: number[] = []
  for (let p = 0; p < kept.length; p++) {
    if (p > 0 && performance.now() - start2 + Math.max(...perProvinceMs) > BUDGET2_MS) break
    const t1 = performance.now()
    // The national totals, as a domain of this chunk's units (the national tallies know provinces, not units).
    const chunkPlan = rowScorePlan(plan, design, [{ ...totals, domain: { id: 'national', units: kept[p].units } }])
    const chunkSquares = rowScores(kept[p], chunkPlan)
    if (squares === null) squares = chunkSquares
    else
      chunkSquares.forEach((v, k) => {
        ;(squares as Float64Array)[k] += v
      })
    perProvinceMs.push(round(performance.now() - t1))
    sample(`${provinceName(p)} pass two`)
  }
  const done = perProvinceMs.length
  const ms = performance.now() - start2
  pass2 = { provinces: done, complete: done === chunks.length, ms: round(ms), rowScoresMs: round(ms), perProvinceMs }
  if (pass2.complete && squares !== null) {
    const [withSquares] = withRowScores([totals], rowScorePlan(plan, design, [totals]), squares)
    domainResult(plan, design, options, withSquares).indices.forEach((r, m) => {
      if (!plan.specs[m].simple) (estimates.get(r.code) as { se: number | null }).se = r.se
    })
  }
  log(
    `pass two: ${done}/${chunks.length} provinces in ${round(pass2.ms / 1000, 2)} s${pass2.complete ? '' : ' (stopped by the time budget: no national SE for the mixed indices)'}`
  )
}

// ---------------------------------------------------------------------------------------------------------
// Verification (small runs): the streamed national figures against computeIndices on all rows at once

let verification: { valuesCompared: number; maxAbsDiffEstimate: number; maxAbsDiffSe: number } | null = null
if (args.verify) {
  const parts = chunks.map((_, p) => chunkOf(p).batch)
  const size = parts.reduce((n, b) => n + b.size, 0)
  const K = COLUMNS.length
  const all: ResponseBatch = {
    columns: COLUMNS,
    size,
    answers: new Uint8Array(size * K),
    unit: new Uint32Array(size),
    units: parts.flatMap((b) => b.units),
    stratum: new Uint32Array(size),
    psu: null,
    weight: new Float64Array(size)
  }
  let at = 0
  let unitOffset = 0
  for (const b of parts) {
    all.answers.set(b.answers, at * K)
    for (let r = 0; r < b.size; r++) all.unit[at + r] = b.unit[r] + unitOffset
    ;(all.stratum as Uint32Array).set(b.stratum as Uint32Array, at)
    ;(all.weight as Float64Array).set(b.weight as Float64Array, at)
    at += b.size
    unitOffset += b.units.length
  }
  const [whole] = computeIndices(all, design, STANDARD_INSTRUMENT, options, [{ id: 'national', units: all.units }])
  let maxAbsDiffEstimate = 0
  let maxAbsDiffSe = 0
  let valuesCompared = 0
  for (const i of whole.indices) {
    const mine = estimates.get(i.code)!
    if (i.estimate === null) {
      if (mine.estimate !== null) maxAbsDiffEstimate = Infinity
      continue
    }
    maxAbsDiffEstimate = Math.max(maxAbsDiffEstimate, Math.abs(i.estimate - (mine.estimate ?? Infinity)))
    if (i.se !== null) maxAbsDiffSe = Math.max(maxAbsDiffSe, Math.abs(i.se - (mine.se ?? Infinity)))
    valuesCompared++
  }
  verification = { valuesCompared, maxAbsDiffEstimate, maxAbsDiffSe }
  log(
    `verify: ${valuesCompared} national indices against computeIndices on all ${size.toLocaleString('en-US')} rows at once: max |Δ estimate| ${maxAbsDiffEstimate.toExponential(2)}, max |Δ SE| ${maxAbsDiffSe.toExponential(2)}`
  )
}

// ---------------------------------------------------------------------------------------------------------
// Report

const maxRss = process.resourceUsage().maxRSS * 1024
const sum = (f: (c: ChunkFigures) => number) => chunks.reduce((s, c) => s + f(c), 0)
const projectedPass1Ms = (pass1Ms / rowsDone) * ROWS
const projectedPass2Ms = pass2 && pass2.provinces > 0 ? (pass2.ms / pass2.provinces) * P : null
// What the target is about: the work on the stream (pass one without making the chunks, and pass two).
const generatedMs = sum((c) => c.generateMs)
const processingMs = pass1Ms - generatedMs + (pass2?.ms ?? 0)
const finished = complete && (pass2 === null || pass2.complete)
const figures = {
  rows: ROWS,
  provinces: P,
  unitsPerProvince: UNITS,
  strataPerProvince: H,
  merge: MERGE,
  processedProvinces: chunks.length,
  processedRows: rowsDone,
  complete,
  pass1: {
    wallMs: round(pass1Ms),
    generateMs: round(sum((c) => c.generateMs)),
    computeIndicesMs: round(sum((c) => c.computeIndicesMs)),
    tallyMs: round(sum((c) => c.tallyMs)),
    mergeMs: round(sum((c) => c.mergeMs)),
    nationalEstimatesMs: round(nationalMs),
    processingMs: round(pass1Ms - sum((c) => c.generateMs)),
    projectedWallMsFor50M: round(projectedPass1Ms),
    projectedProcessingMsFor50M: round(((pass1Ms - sum((c) => c.generateMs)) / rowsDone) * ROWS)
  },
  pass2,
  projectedPass2MsFor50M: projectedPass2Ms === null ? null : round(projectedPass2Ms),
  processingMs: round(processingMs),
  wallWithGenerationMs: round(pass1Ms + (pass2?.ms ?? 0)),
  peakRssSampledMiB: mib(peakSampledRss),
  maxRssMiB: mib(maxRss),
  nationalTalliesCells: nationalTallies.cells,
  nationalTalliesMiB: talliesMiB(nationalTallies),
  rollupCheck: check,
  verification,
  targets: {
    processingUnder8s: finished ? processingMs < TARGET_MS : false,
    peakRssUnder4GiB: maxRss < TARGET_RSS
  },
  national: Object.fromEntries(
    [...estimates].filter(([, e]) => e.estimate !== null).map(([code, e]) => [code, { estimate: e.estimate, se: e.se }])
  ),
  chunks,
  memorySamples: samples
}

log(
  '\n' +
    table([
      ['what', 'value'],
      ['provinces processed (pass one)', `${chunks.length} / ${P}${complete ? '' : ' — stopped by the time budget'}`],
      ['rows processed', rowsDone.toLocaleString('en-US')],
      ['pass one wall time', `${round(pass1Ms / 1000, 2)} s`],
      ['  generating chunks', `${round(sum((c) => c.generateMs) / 1000, 2)} s`],
      [
        '  computeIndices (province + units, all indices with SE)',
        `${round(sum((c) => c.computeIndicesMs) / 1000, 2)} s (median per province ${round([...chunks].map((c) => c.computeIndicesMs).sort((a, b) => a - b)[chunks.length >> 1], 0)} ms)`
      ],
      [
        `  ${MERGE === 'rollup' ? 'rollUpTallies + ' : ''}addTallies (in place)`,
        `${round(sum((c) => c.mergeMs) / 1000, 2)} s`
      ],
      ['  national domainTotals + simple SEs', `${round(nationalMs)} ms`],
      [
        `pass one projected to ${ROWS.toLocaleString('en-US')} rows`,
        `${round(projectedPass1Ms / 1000, 1)} s (without generation ${round(figures.pass1.projectedProcessingMsFor50M / 1000, 1)} s)`
      ],
      [
        'pass two (rowScores on the kept coded rows, national mixed SEs)',
        pass2
          ? `${round(pass2.ms / 1000, 2)} s for ${pass2.provinces} provinces; projected to ${P}: ${round((projectedPass2Ms as number) / 1000, 1)} s`
          : 'not run'
      ],
      ['processing: pass one without generation + pass two', `${round(processingMs / 1000, 2)} s`],
      ['wall time with generation, both passes', `${round((pass1Ms + (pass2?.ms ?? 0)) / 1000, 2)} s`],
      ['peak RSS sampled (process.memoryUsage)', `${mib(peakSampledRss)} MiB`],
      ['peak RSS (resourceUsage().maxRSS)', `${mib(maxRss)} MiB`],
      [
        'national tallies held',
        `${nationalTallies.cells.toLocaleString('en-US')} cells, ${talliesMiB(nationalTallies)} MiB`
      ]
    ])
)
log('')
log(
  `target: processing < 8 s → ${finished ? `${round(processingMs / 1000, 2)} s` : 'not finished'}: ${figures.targets.processingUnder8s ? 'MET' : 'NOT MET'} (with generating the chunks: ${round((pass1Ms + (pass2?.ms ?? 0)) / 1000, 2)} s)`
)
log(`target: peak RSS < 4 GiB → ${mib(maxRss)} MiB: ${figures.targets.peakRssUnder4GiB ? 'MET' : 'NOT MET'}`)
if (check)
  log(
    `check, roll-up vs unit-level tallies (${check.province} totals): max relative difference ${check.maxRelDiff.toExponential(2)}`
  )
const show = ['F1.1', 'F1', 'overall', 'SAT', 'P.ONTIME']
log(
  table([
    ['national index', 'estimate', 'SE'],
    ...show.map((c) => [c, String(estimates.get(c)?.estimate), String(estimates.get(c)?.se)])
  ])
)

const notes = [
  `Chunks: province p is synthesize({ rows: ${rowsOf(0)}, units: ${UNITS}, strata: ${H}, seed: subSeed(${SEED}, p) }) from bench/lib.ts, strata numbered nationally (p·${H} + h); generated, processed and dropped one at a time.`,
  'Per chunk, scoreBatch is computeIndices also returning the tallies it made: they are added into the national tallies without tallying the chunk again (tallyMs is 0).',
  MERGE === 'rollup'
    ? "Merge: each province's tallies are rolled up to one pseudo-unit per province (rollUpTallies: cells = its 20 strata), then added in place into the national tallies (addTallies); exact for national point estimates and for single-question SEs (checked on the first province)."
    : "Merge: unit-level tallies added as they are (--merge=full): the national tallies grow by one province's cells at every addTallies (arrays doubled when full, so the total copying stays linear).",
  "National SEs of single-question indices come from the national tallies alone (domainTotals + domainResult). National SEs of factor and overall indices (mixed) need a second pass over the rows with the national ratios: pass two runs rowScores on each chunk's coded rows kept from pass one (group codes in cell order, 1 byte per row and group), with the national totals as a domain of the chunk's units, and adds the chunks' Σt² (withRowScores).",
  'Processing time = pass one wall time minus generating the chunks (synthesize, which stands for reading them from the database) + pass two; the target is compared with it. The wall time with generation is reported too.',
  'RSS is sampled with process.memoryUsage() at phase boundaries (a timer cannot fire inside synchronous work); maxRSS from process.resourceUsage() is the true high-water mark of the process (this benchmark does not load DuckDB).',
  `Time budget: pass one starts no province that would end after ${BUDGET_MS / 1000} s, pass two none after ${BUDGET2_MS / 1000} s; projections scale the time per row processed to all ${ROWS.toLocaleString('en-US')} rows.`
]
const name =
  MERGE === 'rollup' && P === 34 && ROWS === 50_000_000 ? 'scoring-national' : `scoring-national-${MERGE}-${P}p`
const path = writeResult(
  name,
  figures,
  {
    targets: { processingMs: TARGET_MS, peakRssBytes: TARGET_RSS },
    command:
      `node --max-old-space-size=4096 .bench-build/bench/scoring-national.js ${process.argv.slice(2).join(' ')}`.trim()
  },
  notes
)
log(`wrote ${path}`)
