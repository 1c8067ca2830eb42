/**
 * Calibration on the province benchmark's data: 1,000,000 responses, 1,000 units, 20 strata, and two
 * variables drawn per row (channel: 3 values; respondent type: 3 values; coded, as the service passes its
 * frame's), raked to margins unit + channel + respondent type. Measured in the same run, every index of all 1,001 domains (the province and each unit)
 * with SEs: uncalibrated (computeIndices), then calibrated (calibrateWeights, then computeIndices with the
 * calibration: the tallies' path of calibrated-tallies.ts): one untimed run of each, then --repeat rounds of the
 * three alternating, medians of each.
 *
 * Usage: npm run bench:build && node .bench-build/bench/scoring-calibration.js [-- --rows=1000000 --units=1000 --repeat=5 --method=raking]
 * Writes bench/results/scoring-calibration.json.
 */
import { parseArgs } from 'node:util'
import { designOfBatch } from '../src/scoring/batch.js'
import { calibrateWeights, type CalibrationMethod, type Margin } from '../src/scoring/calibration.js'
import { computeIndices } from '../src/scoring/compute.js'
import { scoringOptions } from '../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'
import { machine, median, round, synthesize, uniformDraws, writeResult } from './lib.js'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    units: { type: 'string', default: '1000' },
    strata: { type: 'string', default: '20' },
    repeat: { type: 'string', default: '5' },
    method: { type: 'string', default: 'raking' },
    seed: { type: 'string', default: '20240601' }
  }
})
const ROWS = Number(args.rows)
const UNITS = Number(args.units)
const REPEAT = Number(args.repeat)
const METHOD = args.method as CalibrationMethod
const SEED = Number(args.seed)
const log = (...xs: unknown[]) => console.log(...xs)

log(
  `scoring-calibration: ${ROWS.toLocaleString('en-US')} rows, ${UNITS} units, ${METHOD}; ${JSON.stringify(machine())}`
)
const synthetic = synthesize({ rows: ROWS, units: UNITS, strata: Number(args.strata), seed: SEED })
const { batch } = synthetic
const design = designOfBatch(batch, synthetic.strata, synthetic.population)
const options = scoringOptions()
const domains = [{ id: 'province', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]

// Channel and respondent type per row; the frame's totals: Σ w per unit × channel × type, tilted, as integers.
const random = uniformDraws(SEED + 1)
const CHANNELS = ['counter', 'online', 'post']
const SUBJECTS = ['citizen', 'business', 'organisation']
const pick = (p: number[]) => {
  let u = random()
  for (let i = 0; i < p.length; i++) if ((u -= p[i]) < 0) return i
  return p.length - 1
}
// Coded, as the service hands its frame records' values to calibrateWeights (frameVariables).
const channel = { codes: Uint32Array.from({ length: batch.size }, () => pick([0.35, 0.5, 0.15])), values: CHANNELS }
const subject = { codes: Uint32Array.from({ length: batch.size }, () => pick([0.65, 0.25, 0.1])), values: SUBJECTS }
// Every value drawn for some rows, or the margins would be the unit's alone (until 7 December 2026 they were:
// the draws were mulberry32's integers, not uniform on [0, 1), and every row had the last channel and type).
for (const variable of [channel, subject])
  variable.values.forEach((value, code) => {
    if (!variable.codes.includes(code)) throw new Error(`no row has ${value}: the margins would not cross the units`)
  })
const frame = new Map<string, number>()
for (let r = 0; r < batch.size; r++) {
  const [c, s] = [CHANNELS[channel.codes[r]], SUBJECTS[subject.codes[r]]]
  const key = `${batch.units[batch.unit[r]]}\u0000${c}\u0000${s}`
  const tilt = (c === 'counter' ? 1.3 : 0.9) * (s === 'citizen' ? 1 : 1.2)
  frame.set(key, (frame.get(key) ?? 0) + (batch.weight ? batch.weight[r] : 1) * tilt)
}
const margin = (by: string, position: number): Margin => {
  const sums = new Map<string, number>()
  for (const [key, N] of frame) {
    const value = key.split('\u0000')[position]
    sums.set(value, (sums.get(value) ?? 0) + N)
  }
  return { by: [by], totals: [...sums].map(([value, N]) => ({ values: [value], N })) }
}
const margins = [margin('unit', 0), margin('channel', 1), margin('subject', 2)]

// One untimed run of each (the compiled loops warm up on it), then REPEAT rounds of the three, alternating, so
// that the machine's load changes between rounds weigh on both sides alike: medians of each, and of each
// round's ratio.
const uncalibratedRun = () => computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains)
const weightsRun = () => calibrateWeights(batch, { channel, subject }, { method: METHOD, margins })
uncalibratedRun()
const calibrated = weightsRun()
const figuresRun = () =>
  computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains, { calibration: calibrated })
let calibratedFigures = figuresRun()
const times = { uncalibrated: [] as number[], weights: [] as number[], figures: [] as number[], ratio: [] as number[] }
const clock = <T>(f: () => T, into: number[]) => {
  const t0 = performance.now()
  const value = f()
  into.push(performance.now() - t0)
  return value
}
for (let r = 0; r < REPEAT; r++) {
  clock(uncalibratedRun, times.uncalibrated)
  clock(weightsRun, times.weights)
  calibratedFigures = clock(figuresRun, times.figures)
  times.ratio.push((times.weights[r] + times.figures[r]) / times.uncalibrated[r])
}
const uncalibrated = { ms: median(times.uncalibrated) }
const weights = { ms: median(times.weights) }
const figures = { ms: median(times.figures), value: calibratedFigures }
log(`uncalibrated computeIndices, ${domains.length} domains: ${round(uncalibrated.ms)} ms`)
log(
  `calibrateWeights (${METHOD}, ${calibrated.model.totals.length} cells, ${calibrated.model.classes} classes, ${calibrated.iterations} steps): ${round(weights.ms)} ms`
)
const calibratedMs = weights.ms + figures.ms
log(`calibrated computeIndices, ${domains.length} domains: ${round(figures.ms)} ms`)
log(
  `calibrated in all: ${round(calibratedMs)} ms = ${round(calibratedMs / uncalibrated.ms)}× uncalibrated (figures alone ${round(figures.ms / uncalibrated.ms)}×); each round's ratio: ${times.ratio.map((r) => round(r, 2)).join(', ')}`
)
const withSe = figures.value.every((d) => d.rows === 0 || d.indices.every((i) => i.estimate === null || i.se !== null))
if (!withSe) throw new Error('a calibrated figure came without its SE')

const path = writeResult(
  'scoring-calibration',
  {
    rows: ROWS,
    units: UNITS,
    method: METHOD,
    cells: calibrated.model.totals.length,
    classes: calibrated.model.classes,
    rakingSteps: calibrated.iterations,
    domains: domains.length,
    uncalibratedMs: round(uncalibrated.ms),
    weightsMs: round(weights.ms),
    calibratedFiguresMs: round(figures.ms),
    calibratedMs: round(calibratedMs),
    ratioToUncalibrated: round(calibratedMs / uncalibrated.ms),
    roundRatios: times.ratio.map((r) => round(r, 2)),
    roundRatioMedian: round(median(times.ratio), 2)
  },
  { target: 'calibrated (weights and figures) ≤ 2× uncalibrated (issue 16)' },
  [
    `one untimed run of each, then ${REPEAT} rounds of uncalibrated, weights, calibrated figures alternating, in one process: medians of each and of each round's ratio`
  ]
)
log(`wrote ${path}`)
