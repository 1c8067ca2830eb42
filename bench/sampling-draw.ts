/**
 * A province-sized draw: a 1,000,000-record frame over 1,000 units (the strata, as in "90 per commune"),
 * each record with one of 20 channels and a result date; a 20,000-person proportional allocation with at
 * least 5 per unit, drawn by stratified SRSWOR with 10% reserves, and the same allocation drawn
 * systematically over (channel, date). Unit sizes fall off like 1/rank^0.9 (a few large wards, many
 * small communes), so the minimum binds for the smallest units as it does in practice.
 *
 * Usage: node --import tsx bench/sampling-draw.ts [--runs=5] [--rows=1000000] [--units=1000]
 * Writes bench/results/sampling-draw.json.
 */
import { parseArgs } from 'node:util'
import { allocate, drawSample, streamFor, stratumSizes, type FrameRecord } from '../src/sampling/index.js'
import { machine, round, timeRuns, writeResult } from './lib.js'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    rows: { type: 'string', default: '1000000' },
    units: { type: 'string', default: '1000' }
  }
})
const RUNS = Math.max(3, Number(args.runs))
const ROWS = Number(args.rows)
const UNITS = Number(args.units)
const CHANNELS = 20
const TOTAL = 20_000
const MINIMUM = 5
const RESERVE_RATE = 0.1
const SEED = 'bench-2025-Q1'
const TARGET_MS = 5000

function syntheticFrame(): FrameRecord[] {
  const weights = Array.from({ length: UNITS }, (_, u) => (u + 1) ** -0.9)
  const weightSum = weights.reduce((a, b) => a + b, 0)
  const sizes = weights.map((w) => Math.floor((ROWS * w) / weightSum))
  sizes[0] += ROWS - sizes.reduce((a, b) => a + b, 0)
  const stream = streamFor('synthetic-frame', '')
  const frame: FrameRecord[] = []
  sizes.forEach((size, u) => {
    const stratum = `U${String(u).padStart(4, '0')}`
    for (let i = 0; i < size; i++) {
      // 7919 is prime to 10^6, so ids are unique and not in generation order.
      const id = `DVC-${String(((frame.length * 7919) % 1_000_000) + 1_000_000 * Math.floor(frame.length / 1_000_000)).padStart(8, '0')}`
      const channel = `C${String(stream.nextBelow(CHANNELS)).padStart(2, '0')}`
      const day = 1 + stream.nextBelow(90)
      frame.push({ id, stratum, sortKey: `${channel}|${String(day).padStart(2, '0')}` })
    }
  })
  return frame
}

console.log(
  `sampling-draw: ${ROWS.toLocaleString('en-US')} records, ${UNITS} units, ${CHANNELS} channels; n = ${TOTAL}, min ${MINIMUM}, reserves ${RESERVE_RATE * 100}%`
)
console.log(`machine: ${JSON.stringify(machine())}`)
const t0 = performance.now()
const frame = syntheticFrame()
const generateMs = performance.now() - t0

const allocationRuns = await timeRuns(
  () => allocate(stratumSizes(frame), { total: TOTAL, method: 'proportional', min: MINIMUM }),
  RUNS
)
const allocation = allocationRuns.last
const plan = { seed: SEED, allocation, reserveRate: RESERVE_RATE }
const srsworRuns = await timeRuns(() => drawSample(frame, { ...plan, method: 'srswor' }), RUNS)
const systematicRuns = await timeRuns(() => drawSample(frame, { ...plan, method: 'systematic' }), RUNS)
// The whole job as a user runs it: sizes from the frame, allocation, SRSWOR draw with reserves.
const pipelineRuns = await timeRuns(
  () =>
    drawSample(frame, {
      ...plan,
      method: 'srswor',
      allocation: allocate(stratumSizes(frame), { total: TOTAL, method: 'proportional', min: MINIMUM })
    }),
  RUNS
)

const draw = srsworRuns.last
const main = draw.units.filter((u) => u.role === 'main').length
const reserves = draw.units.length - main
const atMinimum = allocation.filter((a) => a.sampleSize === MINIMUM).length
const ms = (r: { median: number; min: number; times: number[] }) => ({
  medianMs: round(r.median),
  minMs: round(r.min),
  runsMs: r.times.map((x) => round(x))
})
const figures = {
  rows: frame.length,
  strata: allocation.length,
  total: TOTAL,
  minimum: MINIMUM,
  strataAtMinimum: atMinimum,
  sizeRange: [
    Math.min(...allocation.map((a) => a.populationSize)),
    Math.max(...allocation.map((a) => a.populationSize))
  ],
  mainUnits: main,
  reserveUnits: reserves,
  generateMs: round(generateMs),
  allocate: ms(allocationRuns),
  drawSrswor: ms(srsworRuns),
  drawSystematic: ms(systematicRuns),
  pipeline: ms(pipelineRuns)
}

console.log(
  `frame generated in ${figures.generateMs} ms; unit sizes ${figures.sizeRange.join('–')}; ${atMinimum} units at the minimum`
)
console.log(`drawn: ${main} main + ${reserves} reserves`)
console.log(`median of ${RUNS} runs (after 1 warm-up):`)
console.log(`  stratumSizes + allocate      ${figures.allocate.medianMs} ms`)
console.log(`  drawSample srswor            ${figures.drawSrswor.medianMs} ms`)
console.log(`  drawSample systematic        ${figures.drawSystematic.medianMs} ms`)
console.log(
  `  pipeline (sizes+alloc+draw)  ${figures.pipeline.medianMs} ms  (target < ${TARGET_MS} ms: ${figures.pipeline.medianMs < TARGET_MS ? 'met' : 'MISSED'})`
)

const path = writeResult('sampling-draw', figures, { target_ms: TARGET_MS }, [
  `Strata are the ${UNITS} units (communes/wards); channel and result date form the systematic sort key. ` +
    `${UNITS} units × ${CHANNELS} channels as strata would be ${UNITS * CHANNELS} strata, and a minimum of ${MINIMUM} in each ` +
    `(${UNITS * CHANNELS * MINIMUM}) cannot fit in a sample of ${TOTAL}.`,
  'The target applies to the pipeline figure: stratum sizes from the frame, allocation, and the SRSWOR draw with reserves.',
  'Timed with performance.now() in one process on a shared machine; other jobs may run at the same time (see machine.loadAverage).'
])
console.log(`wrote ${path}`)
