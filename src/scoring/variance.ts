/**
 * Design-based variance of a total of linearised scores, as R's survey package computes it
 * (svyrecvar → onestage → onestrat, one-stage designs): stratum by stratum, from the PSU totals t_hi.
 */

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
  constructor (readonly stratum: string) {
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
export function stratumVariance (s: StratumScores, lonely: LonelyPsuRule): number | null {
  const f = samplingFraction(s.psuCount, s.fpc)
  if (f < 1e-7) return 0
  if (s.psuCount < 2) {
    if (lonely === 'fail') throw new LonelyPsuError(s.stratum)
    if (lonely === 'average') return null
    return f * s.sumT2
  }
  const n = s.psuCount
  return f * n / (n - 1) * (s.sumT2 - s.sumT * s.sumT / n)
}

/** V = Σ_h V_h over the strata present; "average" scales by H/H_ok for strata with a lonely PSU. */
export function designVariance (strata: readonly StratumScores[], lonely: LonelyPsuRule): number {
  let total = 0
  let ok = 0
  for (const s of strata) {
    const v = stratumVariance(s, lonely)
    if (v !== null) { total += v; ok++ }
  }
  if (ok === 0) return strata.length === 0 ? 0 : Number.NaN
  return ok < strata.length ? total * strata.length / ok : total
}
