import { requireInRange, requireInteger, SamplingError } from './errors.js'
import { compareCodePoints } from './frame.js'

export type AllocationMethod = 'proportional' | 'equal' | 'neyman'

export interface StratumSpec {
  stratum: string
  /** N_h. */
  populationSize: number
  /** S_h, Neyman only; default √(p(1 − p)). */
  sd?: number
  /** Overrides the options' min for this stratum. */
  min?: number
  /** Overrides the options' max for this stratum. */
  max?: number
}

export interface AllocationOptions {
  /** n, the sample size to share out. */
  total: number
  method: AllocationMethod
  /** Minimum n_h for every stratum (default 0); a stratum smaller than it is taken whole. */
  min?: number
  /** Maximum n_h for every stratum (default none). */
  max?: number
  /** The proportion behind Neyman's default S_h = √(p(1 − p)); default 0.5. */
  p?: number
}

export interface StratumAllocation {
  stratum: string
  populationSize: number
  /** The real-valued share before rounding, clamp(λ·w_h, lo_h, hi_h). */
  quota: number
  /** n_h, an integer in [lo_h, hi_h]. */
  sampleSize: number
}

// Fractional parts this close are a tie, so float noise does not decide who gets the extra unit.
const TIE = 1e-9

/**
 * Shares `total` across strata, result in input order. Σ n_h = total exactly, lo_h ≤ n_h ≤ hi_h with
 * lo_h = min(min_h, N_h) and hi_h = min(max_h, N_h).
 *
 * 1. Weights w_h: proportional N_h, equal 1, Neyman N_h·S_h.
 * 2. Bounds: the real quota is x_h = clamp(λ·w_h, lo_h, hi_h), with λ ≥ 0 such that Σ x_h = total. This is
 *    where "give each stratum its share; fix those outside their bounds at the bound; re-share the rest
 *    among the others; repeat" ends; λ is found exactly from the breakpoints lo_h/w_h, hi_h/w_h.
 * 3. Rounding (largest remainder, Hamilton): n_h = ⌊x_h⌋, then the total − Σ⌊x_h⌋ units left go one each to
 *    the strata with the largest fractional parts (ties within 1e-9 to the stratum key first in code-point
 *    order), skipping strata already at hi_h.
 */
export function allocate(strata: readonly StratumSpec[], options: AllocationOptions): StratumAllocation[] {
  const { total, method, p = 0.5 } = options
  requireInteger('total', total, 0)
  if (!['proportional', 'equal', 'neyman'].includes(method))
    throw new SamplingError(
      'INVALID_PARAMETER',
      'method',
      `must be proportional, equal or neyman, got ${String(method)}`
    )
  requireInRange('p', p, 0, 1, '()')
  const defaultSd = Math.sqrt(p * (1 - p))
  const seen = new Set<string>()
  const lo: number[] = []
  const hi: number[] = []
  const weight: number[] = []
  strata.forEach((s, h) => {
    if (seen.has(s.stratum))
      throw new SamplingError('DUPLICATE_STRATUM', `strata[${h}].stratum`, `"${s.stratum}" appears more than once`)
    seen.add(s.stratum)
    requireInteger(`strata[${h}].populationSize`, s.populationSize, 0)
    const min = s.min ?? options.min ?? 0
    const max = s.max ?? options.max ?? Infinity
    requireInteger(s.min !== undefined ? `strata[${h}].min` : 'min', min, 0)
    if (max !== Infinity) requireInteger(s.max !== undefined ? `strata[${h}].max` : 'max', max, 0)
    if (min > max)
      throw new SamplingError(
        'INVALID_PARAMETER',
        `strata[${h}].min`,
        `minimum ${min} exceeds maximum ${max} in stratum "${s.stratum}"`
      )
    const sd = s.sd ?? defaultSd
    if (method === 'neyman' && !(sd > 0 && Number.isFinite(sd)))
      throw new SamplingError('INVALID_PARAMETER', `strata[${h}].sd`, `must be a positive number, got ${sd}`)
    lo.push(Math.min(min, s.populationSize))
    hi.push(Math.min(max, s.populationSize))
    weight.push(method === 'proportional' ? s.populationSize : method === 'equal' ? 1 : s.populationSize * sd)
  })
  const sumLo = lo.reduce((a, b) => a + b, 0)
  const sumHi = hi.reduce((a, b) => a + b, 0)
  if (sumLo > total)
    throw new SamplingError(
      'INFEASIBLE_ALLOCATION',
      'min',
      `the stratum minimums add up to ${sumLo}, more than the total ${total}`
    )
  if (sumHi < total)
    throw new SamplingError(
      'INFEASIBLE_ALLOCATION',
      'total',
      `${total} is more than the strata can take (Σ min(max_h, N_h) = ${sumHi})`
    )

  const quota = boundedQuotas(total, weight, lo, hi)
  const sampleSize = quota.map(Math.floor)
  let left = total - sampleSize.reduce((a, b) => a + b, 0)
  const byRemainder = quota
    .map((_, h) => h)
    .filter((h) => sampleSize[h] < hi[h])
    .sort((a, b) => {
      const gap = quota[b] - sampleSize[b] - (quota[a] - sampleSize[a])
      return Math.abs(gap) > TIE ? gap : compareCodePoints(strata[a].stratum, strata[b].stratum)
    })
  for (const h of byRemainder) {
    if (left === 0) break
    sampleSize[h]++
    left--
  }
  return strata.map((s, h) => ({
    stratum: s.stratum,
    populationSize: s.populationSize,
    quota: quota[h],
    sampleSize: sampleSize[h]
  }))
}

const clamp = (x: number, low: number, high: number): number => Math.min(high, Math.max(low, x))

/** x_h = clamp(λ·w_h, lo_h, hi_h) with Σ x_h = total; needs Σ lo ≤ total ≤ Σ hi, and w_h = 0 only where lo_h = hi_h. */
function boundedQuotas(total: number, weight: number[], lo: number[], hi: number[]): number[] {
  const at = (lambda: number): number[] => weight.map((w, h) => clamp(lambda * w, lo[h], hi[h]))
  const sumAt = (lambda: number): number => at(lambda).reduce((a, b) => a + b, 0)
  // Σ x_h is piecewise linear and non-decreasing in λ, bending only where a stratum meets a bound.
  const breakpoints = [0, ...weight.flatMap((w, h) => (w > 0 ? [lo[h] / w, hi[h] / w] : []))].sort((a, b) => a - b)
  if (sumAt(0) >= total) return at(0)
  let below = 0
  let above = breakpoints.length - 1
  while (above - below > 1) {
    const middle = (below + above) >>> 1
    if (sumAt(breakpoints[middle]) >= total) above = middle
    else below = middle
  }
  // Between the two breakpoints the same strata are free (strictly inside their bounds): solve for λ.
  const inside = (breakpoints[below] + breakpoints[above]) / 2
  let fixed = 0
  let freeWeight = 0
  weight.forEach((w, h) => {
    const x = inside * w
    if (x > lo[h] && x < hi[h]) freeWeight += w
    else fixed += clamp(x, lo[h], hi[h])
  })
  return at((total - fixed) / freeWeight)
}
