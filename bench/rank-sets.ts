/**
 * Rank sets of a province's units on their overall index (rankUnits: marginal sets, csranks' stepdown with
 * 1,000 parametric bootstrap draws, independent estimates as units in strata of their own have), for 100, 300
 * and 1,000 units: the step of a computation that grows fastest with the units (about as n², each unit's family
 * pairing it with every other). Estimates and SEs from a seeded generator, spread as a province's are (overall
 * 60–90%, SEs 1–4 points).
 *
 * Usage: npm run bench -- --only=rank-sets (compiled first, as the service runs). Writes bench/results/rank-sets.json.
 */
import { parseArgs } from 'node:util'
import { rankUnits } from '../src/scoring/rankings.js'
import { round, table, timeRuns, writeResult } from './lib.js'

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } })
const RUNS = Math.max(1, Number(args.runs))
const SIZES = [100, 300, 1000]

let state = 20240601
const uniform = () => (state = (state * 48271) % 2147483647) / 2147483647

const rows: Array<{ units: number; medianMs: number; minMs: number; runsMs: number[]; setWidthMean: number }> = []
for (const n of SIZES) {
  const figures = Array.from({ length: n }, (_, i) => ({
    id: `U${String(i).padStart(4, '0')}`,
    estimate: 0.6 + 0.3 * uniform(),
    se: 0.01 + 0.03 * uniform(),
    df: 60
  }))
  const runs = await timeRuns(() => rankUnits(figures, 0.95), RUNS, 1)
  const widths = runs.last.map((r) => r.rankInterval[1] - r.rankInterval[0])
  rows.push({
    units: n,
    medianMs: round(runs.median),
    minMs: round(runs.min),
    runsMs: runs.times.map((t) => round(t)),
    setWidthMean: round(widths.reduce((a, b) => a + b, 0) / n, 1)
  })
  console.log(`${n} units: ${runs.times.map((t) => round(t, 0)).join(', ')} ms`)
}
console.log(
  table([
    ['units', 'median ms', 'min ms', 'runs', 'mean set width (ranks)'],
    ...rows.map((r) => [r.units, r.medianMs, r.minMs, r.runsMs.length, r.setWidthMean])
  ])
)
const path = writeResult('rank-sets', { runs: RUNS, sizes: rows }, null, [
  'Medians of --runs timed calls after one untimed call, compiled by tsc as the service runs; a shared 2-core machine: compare figures of one run only.'
])
console.log(`wrote ${path}`)
