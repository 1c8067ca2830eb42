/**
 * Calibration on the province benchmark's data: 1,000,000 responses, 1,000 units, 20 strata, and two text
 * variables drawn per row (channel: 3 values; respondent type: 3 values), raked to margins unit + channel +
 * respondent type. Measured in the same run: the uncalibrated computeIndices of all 1,001 domains, the
 * calibrated weights (calibrateWeights), and the calibrated figures (calibratedIndices) of the province and
 * of the first --units-timed units, from which the time for all 1,001 domains is extrapolated (the calibrated
 * path takes one pass over all rows per index and domain, so its time grows linearly with the domains).
 *
 * Usage: node --import tsx bench/scoring-calibration.ts [-- --rows=1000000 --units=1000 --units-timed=3 --method=raking]
 * Writes bench/results/scoring-calibration.json.
 */
import { parseArgs } from 'node:util'
import { designOfBatch } from '../src/scoring/batch.js'
import { calibratedIndices } from '../src/scoring/calibrated-indices.js'
import { calibrateWeights, type CalibrationMethod, type Margin } from '../src/scoring/calibration.js'
import { computeIndices } from '../src/scoring/compute.js'
import { scoringOptions } from '../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'
import { machine, mulberry32, round, synthesize, writeResult } from './lib.js'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    units: { type: 'string', default: '1000' },
    strata: { type: 'string', default: '20' },
    'units-timed': { type: 'string', default: '3' },
    method: { type: 'string', default: 'raking' },
    seed: { type: 'string', default: '20240601' }
  }
})
const ROWS = Number(args.rows)
const UNITS = Number(args.units)
const TIMED = Number(args['units-timed'])
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
const pick = (values: string[], p: number[]) => {
  let u = random()
  for (let i = 0; i < values.length; i++) if ((u -= p[i]) < 0) return values[i]
  return values[values.length - 1]
}
const channel = Array.from({ length: batch.size }, () => pick(CHANNELS, [0.35, 0.5, 0.15]))
const subject = Array.from({ length: batch.size }, () => pick(SUBJECTS, [0.65, 0.25, 0.1]))
const frame = new Map<string, number>()
for (let r = 0; r < batch.size; r++) {
  const key = `${batch.units[batch.unit[r]]}\u0000${channel[r]}\u0000${subject[r]}`
  const tilt = (channel[r] === 'counter' ? 1.3 : 0.9) * (subject[r] === 'citizen' ? 1 : 1.2)
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

let t0 = performance.now()
computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains)
const uncalibratedMs = performance.now() - t0
log(`uncalibrated computeIndices, ${domains.length} domains: ${round(uncalibratedMs)} ms`)

t0 = performance.now()
const calibrated = calibrateWeights(batch, { channel, subject }, { method: METHOD, margins })
const weightsMs = performance.now() - t0
log(
  `calibrateWeights (${METHOD}, ${calibrated.model.totals.length} cells, ${calibrated.iterations} steps): ${round(weightsMs)} ms`
)

t0 = performance.now()
calibratedIndices(batch, design, STANDARD_INSTRUMENT, options, domains.slice(0, 1), calibrated)
const provinceMs = performance.now() - t0
t0 = performance.now()
calibratedIndices(batch, design, STANDARD_INSTRUMENT, options, domains.slice(1, 1 + TIMED), calibrated)
const perUnitMs = (performance.now() - t0) / TIMED
const extrapolatedMs = weightsMs + provinceMs + perUnitMs * UNITS
log(`calibratedIndices: province ${round(provinceMs)} ms, ${round(perUnitMs)} ms per unit (${TIMED} timed)`)
log(
  `all ${domains.length} domains, extrapolated: ${round(extrapolatedMs / 1000)} s = ${round(extrapolatedMs / uncalibratedMs)}× uncalibrated`
)

const path = writeResult(
  'scoring-calibration',
  {
    rows: ROWS,
    units: UNITS,
    method: METHOD,
    cells: calibrated.model.totals.length,
    rakingSteps: calibrated.iterations,
    uncalibratedMs: round(uncalibratedMs),
    weightsMs: round(weightsMs),
    provinceMs: round(provinceMs),
    perUnitMs: round(perUnitMs),
    extrapolatedAllDomainsMs: round(extrapolatedMs),
    ratioToUncalibrated: round(extrapolatedMs / uncalibratedMs)
  },
  { target: 'calibrated ≤ 2× uncalibrated (issue 16)' },
  [`units timed: ${TIMED} of ${UNITS}; the rest extrapolated linearly`]
)
log(`wrote ${path}`)
