/**
 * Rank sets of a province's units on their overall index (rankUnits: marginal sets, csranks' stepdown with
 * 1,000 parametric bootstrap draws, independent estimates as units in strata of their own have), for 100, 300
 * and 1,000 units: the step of a computation that grows fastest with the units (about as n², each unit's family
 * pairing it with every other). Estimates and SEs from a seeded generator, spread as a province's are (overall
 * 60–90%, SEs 1–4 points). Beside each, the same sets on 2 threads (rankSetsOnThreads, share-pool.ts: the
 * units' families split between this thread and a helper, as a compute thread ranks a campaign's units),
 * timed alternating with the one-thread calls.
 *
 * Usage: npm run bench -- --only=rank-sets (compiled first, as the service runs). Writes bench/results/rank-sets.json.
 */
import { parseArgs } from 'node:util'
import { rankSetsOnThreads } from '../src/domain/share-pool.js'
import { pointRanks, rankUnits } from '../src/scoring/rankings.js'
import { median, round, table, timeRuns, writeResult } from './lib.js'

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } })
const RUNS = Math.max(1, Number(args.runs))
const SIZES = [100, 300, 1000]

let state = 20240601
const uniform = () => (state = (state * 48271) % 2147483647) / 2147483647

const THREADS = 2
const rows: Array<{
  units: number
  medianMs: number
  minMs: number
  runsMs: number[]
  setWidthMean: number
  onThreadsMedianMs: number
}> = []
for (const n of SIZES) {
  const figures = Array.from({ length: n }, (_, i) => ({
    id: `U${String(i).padStart(4, '0')}`,
    estimate: 0.6 + 0.3 * uniform(),
    se: 0.01 + 0.03 * uniform(),
    df: 60
  }))
  // As resultsDocumentOnThreads hands them over: pointRanks' order, the variances.
  const sorted = pointRanks(figures)
  const estimate = sorted.map((f) => f.estimate)
  const variance = sorted.map((f) => (f.se as number) ** 2)
  const onThreads = () => rankSetsOnThreads(estimate, variance, 0.95, THREADS, 1)
  await onThreads()
  const runs = await timeRuns(() => rankUnits(figures, 0.95), 1, 1)
  const threaded: number[] = []
  for (let i = 1; i < RUNS; i++) {
    threaded.push((await timeRuns(onThreads, 1, 0)).times[0])
    runs.times.push((await timeRuns(() => rankUnits(figures, 0.95), 1, 0)).times[0])
  }
  threaded.push((await timeRuns(onThreads, 1, 0)).times[0])
  const sets = await onThreads()
  if (sorted.some((f, i) => runs.last[i].id !== f.id || runs.last[i].rankSet.lower !== sets.lower[i]))
    throw new Error('the sets on threads differ from those of one thread')
  const widths = runs.last.map((r) => r.rankInterval[1] - r.rankInterval[0])
  rows.push({
    units: n,
    medianMs: round(median(runs.times)),
    minMs: round(Math.min(...runs.times)),
    runsMs: runs.times.map((t) => round(t)),
    setWidthMean: round(widths.reduce((a, b) => a + b, 0) / n, 1),
    onThreadsMedianMs: round(median(threaded))
  })
  console.log(
    `${n} units: ${runs.times.map((t) => round(t, 0)).join(', ')} ms; on ${THREADS} threads ${threaded.map((t) => round(t, 0)).join(', ')} ms`
  )
}
console.log(
  table([
    ['units', 'median ms', 'min ms', 'runs', 'mean set width (ranks)', `${THREADS} threads median ms`],
    ...rows.map((r) => [r.units, r.medianMs, r.minMs, r.runsMs.length, r.setWidthMean, r.onThreadsMedianMs])
  ])
)
const path = writeResult('rank-sets', { runs: RUNS, threads: THREADS, sizes: rows }, null, [
  'Medians of --runs timed calls after one untimed call, compiled by tsc as the service runs; a shared 2-core machine: compare figures of one run only.',
  `On ${THREADS} threads: rankSetsOnThreads (share-pool.ts) with every unit count split, alternating with the one-thread calls; its sets are checked against rankUnits'.`
])
console.log(`wrote ${path}`)
