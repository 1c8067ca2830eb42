/**
 * Calibration on the province benchmark's data: 1,000,000 responses, 1,000 units, 20 strata, and two
 * variables drawn per row (channel: 3 values; respondent type: 3 values; coded, as the service passes its
 * frame's), raked to margins unit + channel + respondent type. Measured in the same run, every index of all 1,001 domains (the province and each unit)
 * with SEs: uncalibrated (computeIndices), then calibrated (calibrateWeights, then computeIndices with the
 * calibration: the tallies' path of calibrated-tallies.ts), each the median of --repeat runs after one untimed run.
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
import { machine, mulberry32, round, synthesize, timeRuns, writeResult } from './lib.js'

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
const random = mulberry32(SEED + 1)
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

// Medians of REPEAT runs after one untimed run (the compiled loops warm up on it).
const timed = async <T>(f: () => T) => {
  const runs = await timeRuns(f, REPEAT)
  return { ms: runs.median, value: runs.last }
}
const uncalibrated = await timed(() => computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains))
log(`uncalibrated computeIndices, ${domains.length} domains: ${round(uncalibrated.ms)} ms`)
const weights = await timed(() => calibrateWeights(batch, { channel, subject }, { method: METHOD, margins }))
const calibrated = weights.value
log(
  `calibrateWeights (${METHOD}, ${calibrated.model.totals.length} cells, ${calibrated.iterations} steps): ${round(weights.ms)} ms`
)
const figures = await timed(() =>
  computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains, { calibration: calibrated })
)
const calibratedMs = weights.ms + figures.ms
log(`calibrated computeIndices, ${domains.length} domains: ${round(figures.ms)} ms`)
log(
  `calibrated in all: ${round(calibratedMs)} ms = ${round(calibratedMs / uncalibrated.ms)}× uncalibrated (figures alone ${round(figures.ms / uncalibrated.ms)}×)`
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
    rakingSteps: calibrated.iterations,
    domains: domains.length,
    uncalibratedMs: round(uncalibrated.ms),
    weightsMs: round(weights.ms),
    calibratedFiguresMs: round(figures.ms),
    calibratedMs: round(calibratedMs),
    ratioToUncalibrated: round(calibratedMs / uncalibrated.ms)
  },
  { target: 'calibrated (weights and figures) ≤ 2× uncalibrated (issue 16)' },
  [`medians of ${REPEAT} runs each after one untimed run, in one process`]
)
log(`wrote ${path}`)
