/**
 * Design-based variance of a total of linearised scores, as R's survey package computes it
 * (svyrecvar → onestage → onestrat, one-stage designs): stratum by stratum, from the PSU totals t_hi.
 */
import type { Design } from './batch.js'

export type LonelyPsuRule = 'fail' | 'adjust' | 'average'

/** What one stratum contributes: n_h and N_h of the full design, and Σ t_hi, Σ t_hi² over its PSUs. */
export interface StratumScores {
  stratum: string
  psuCount: number
  fpc: number | null
  sumT: number
  sumT2: number
}

export class LonelyPsuError extends Error {
  constructor(readonly stratum: string) {
    super(`Stratum ${stratum} has only one PSU: choose the lonely-PSU rule "adjust" or "average", or merge strata`)
    this.name = 'LonelyPsuError'
  }
}

/** f_h = 1 − n_h/N_h with an fpc, else 1. */
export const samplingFraction = (psuCount: number, fpc: number | null): number =>
  fpc === null ? 1 : (fpc - psuCount) / fpc

/**
 * V_h = (1 − f_h) · n_h/(n_h − 1) · Σ_i (t_hi − t̄_h)², t̄_h over all n_h PSUs (absent ones are 0).
 * A lonely PSU (n_h = 1): "adjust" centres it at 0, the grand mean of scores that sum to 0, without the
 * n/(n−1) factor; "average" leaves it out here (null) for `designVariance` to rescale.
 */
export function stratumVariance(s: StratumScores, lonely: LonelyPsuRule): number | null {
  return varianceOf(s.stratum, s.psuCount, s.fpc, s.sumT, s.sumT2, lonely)
}

/** stratumVariance of plain numbers: called for every stratum of every figure, without an object each time. */
function varianceOf(
  stratum: string,
  n: number,
  fpc: number | null,
  sumT: number,
  sumT2: number,
  lonely: LonelyPsuRule
): number | null {
  const f = samplingFraction(n, fpc)
  if (f < 1e-7) return 0
  if (n < 2) {
    if (lonely === 'fail') throw new LonelyPsuError(stratum)
    if (lonely === 'average') return null
    return f * sumT2
  }
  return ((f * n) / (n - 1)) * (sumT2 - (sumT * sumT) / n)
}

/**
 * The variance as a quadratic form in the PSU totals: V = scale · Σ_h (c_h Σ_i t_hi² − d_h t_h²), with
 * c_h = f_h n_h/(n_h − 1) and d_h = c_h/n_h; a lonely PSU under "adjust": c_h = f_h, d_h = 0; under "average"
 * its stratum drops out and `scale` = H/H_ok. For sums of several statistics' totals (covariances) at once.
 */
export function stratumFactors(
  design: Design,
  lonely: LonelyPsuRule
): { c: Float64Array; d: Float64Array; scale: number } {
  const H = design.strata.length
  const c = new Float64Array(H)
  const d = new Float64Array(H)
  let present = 0
  let ok = 0
  design.strata.forEach((stratum, h) => {
    const n = design.psuCount[h]
    if (n === 0) return
    present++
    const f = samplingFraction(n, design.fpc[h])
    if (f < 1e-7) return void ok++
    if (n < 2) {
      if (lonely === 'fail') throw new LonelyPsuError(stratum)
      if (lonely === 'average') return
      c[h] = f
    } else {
      c[h] = (f * n) / (n - 1)
      d[h] = c[h] / n
    }
    ok++
  })
  return { c, d, scale: ok === 0 ? Number.NaN : present / ok }
}

/**
 * An index's SE on its published scale from the variance of its θ: scores that are all equal give a variance
 * of rounding noise (Σt² − (Σt)²/n ≈ 1e-35), which is a zero.
 */
export function publishedSe(variance: number, scale: number): number {
  const raw = Math.sqrt(Math.max(variance, 0))
  return raw < 1e-12 ? 0 : Math.abs(scale) * raw
}

/** R's degf of the full design: PSUs (rows, unclustered) minus strata, over the strata with PSUs. */
export function designDegreesOfFreedom(design: Design): number {
  let df = 0
  for (const n of design.psuCount) if (n > 0) df += n - 1
  return df
}

/** V = Σ_h V_h over the strata present; "average" scales by H/H_ok for strata with a lonely PSU. */
export function designVariance(strata: readonly StratumScores[], lonely: LonelyPsuRule): number {
  let total = 0
  let ok = 0
  for (const s of strata) {
    const v = stratumVariance(s, lonely)
    if (v !== null) {
      total += v
      ok++
    }
  }
  return averaged(total, ok, strata.length)
}

/** The sum over the strata with a variance, scaled up for the others ("average"); NaN when none has one. */
function averaged(total: number, ok: number, count: number): number {
  if (ok === 0) return count === 0 ? 0 : Number.NaN
  return ok < count ? (total * count) / ok : total
}

/**
 * The variance of a total of linearised scores from its sums per group (strata, or PSUs when clustered), over
 * the given strata of the design, whose groups are consecutive: those of strata[i] are the groups
 * stratumStart[i] ≤ g < stratumStart[i + 1], with sums sumT[from + g] and sumT2[from + g]. With clusters, a
 * PSU's total is Σ t over its rows and the row-level Σ t² is not used; without, each row is a PSU and Σ t² is
 * already over PSUs.
 */
export function groupedVariance(
  design: Design,
  clustered: boolean,
  strata: ArrayLike<number>,
  stratumStart: ArrayLike<number>,
  sumT: ArrayLike<number>,
  sumT2: ArrayLike<number>,
  from: number,
  lonely: LonelyPsuRule
): number {
  let total = 0
  let ok = 0
  for (let i = 0; i < strata.length; i++) {
    const h = strata[i]
    let t = 0
    let t2 = 0
    for (let g = from + stratumStart[i]; g < from + stratumStart[i + 1]; g++) {
      t += sumT[g]
      t2 += clustered ? sumT[g] * sumT[g] : sumT2[g]
    }
    const v = varianceOf(design.strata[h], design.psuCount[h], design.fpc[h], t, t2, lonely)
    if (v !== null) {
      total += v
      ok++
    }
  }
  return averaged(total, ok, strata.length)
}
