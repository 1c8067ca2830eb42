import t from 'tap'
import { RANK_SET_DRAWS, RANK_SET_SEED, rankSets } from '../../src/scoring/rank-sets.js'
import { normalDraws } from '../../src/scoring/normal-draws.js'

/**
 * Marginal rank sets of independent estimates as their definition reads (rank-sets.ts): for each unit j, the
 * stepdown over the pairs (j, k), every draw's largest statistic taken over every open pair. The core finds the
 * same maxima by branch and bound over buckets of variances; the sets must be the same, unit for unit.
 */
function definitionSets(estimate: number[], variance: number[], level: number) {
  const n = estimate.length
  const draws = RANK_SET_DRAWS
  const normal = normalDraws(RANK_SET_SEED)
  const e = Float64Array.from({ length: draws * n }, () => normal())
  const known = variance.map(Number.isFinite)
  const z = Float64Array.from(e, (x, i) => (known[i % n] ? Math.sqrt(variance[i % n]) * x : 0))
  const quantile = (x: number[]) => {
    const sorted = [...x].sort((a, b) => a - b)
    const h = (sorted.length - 1) * level
    const lo = Math.floor(h)
    return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo]
  }
  const lower: number[] = []
  const upper: number[] = []
  for (let j = 0; j < n; j++) {
    let above = 0
    let below = 0
    const open = new Map<number, number>()
    for (let k = 0; k < n; k++) {
      if (k === j || !known[j] || !known[k]) continue
      if (variance[j] + variance[k] > 0) open.set(k, 3)
      else if (estimate[k] > estimate[j]) above++
      else if (estimate[k] < estimate[j]) below++
    }
    for (;;) {
      const largest = Array.from({ length: draws }, (_, r) => {
        let max = -Infinity
        for (const [k, o] of open) {
          const d = (z[r * n + j] - z[r * n + k]) / Math.sqrt(variance[j] + variance[k])
          if (o & 1) max = Math.max(max, d)
          if (o & 2) max = Math.max(max, -d)
        }
        return max
      })
      const c = open.size === 0 ? Infinity : quantile(largest)
      let rejected = 0
      for (const [k, o] of open) {
        const sd = Math.sqrt(variance[j] + variance[k])
        if (o & 1 && estimate[j] - estimate[k] - sd * c > 0) {
          open.set(k, o & 2)
          below++
          rejected++
        }
        if (o & 2 && estimate[k] - estimate[j] - sd * c > 0) {
          open.set(k, o & 1)
          above++
          rejected++
        }
      }
      if (rejected === 0) break
    }
    lower.push(1 + above)
    upper.push(n - below)
  }
  return { lower, upper }
}

t.test('marginal rank sets by branch and bound are those of the definition, unit for unit', async (t) => {
  let state = 7
  const uniform = () => ((state = (state * 16807) % 2147483647) - 1) / 2147483646
  for (const [n, spread] of [
    [64, 0.02],
    [130, 0.05],
    [200, 0.01]
  ]) {
    // Estimates close and far, some equal; SEs over a tenfold range, a few without sampling error, a few unknown.
    const estimate = Array.from({ length: n }, () => 0.85 + spread * (uniform() - 0.5))
    for (let i = 0; i < 5; i++) estimate[Math.floor(uniform() * n)] = estimate[0]
    const variance = estimate.map((_, i) =>
      i % 29 === 3 ? 0 : i % 31 === 5 ? Number.NaN : (0.002 + 0.02 * uniform()) ** 2
    )
    const core = rankSets(estimate, (a, b) => (a === b ? variance[a] : 0), 0.95)
    const reference = definitionSets(estimate, variance, 0.95)
    t.same(core.lower, reference.lower, `${n} units: lower ends`)
    t.same(core.upper, reference.upper, `${n} units: upper ends`)
    t.ok(
      core.lower.some((l, i) => core.upper[i] - l < n - 1),
      `${n} units: the sets say something (not all [1, n])`
    )
  }
})
