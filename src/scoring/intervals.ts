import qt from '@stdlib/stats-base-dists-t-quantile'
import qbeta from '@stdlib/stats-base-dists-beta-quantile'

export type IntervalMethod = 'logit' | 'beta' | 'wilson'
/** Every method an interval says it used. */
export const INTERVAL_METHODS: ReadonlyArray<Interval['method']> = ['logit', 'beta', 'wilson', 'wald']

export interface Interval {
  lower: number
  upper: number
  /** The method actually used: "beta" replaces "logit" at p̂ = 0 or 1, where the logit is undefined. */
  method: IntervalMethod | 'wald'
  note?: string
}

/**
 * t quantiles, memoised: stdlib's qt takes ≈ 3 µs, and a campaign asks for the same (level, df) pairs
 * thousands of times (every index of every unit). Forgotten past a bound, for long-running servers.
 */
const quantiles = new Map<number, Map<number, number>>()
const tQuantile = (p: number, df: number): number => {
  if (!(df > 0)) return Number.NaN
  let byDf = quantiles.get(p)
  if (byDf === undefined) {
    if (quantiles.size >= 64) quantiles.clear()
    byDf = new Map()
    quantiles.set(p, byDf)
  }
  let q = byDf.get(df)
  if (q === undefined) {
    if (byDf.size >= 100_000) byDf.clear()
    q = qt(p, df) as number
    byDf.set(df, q)
  }
  return q
}
const expit = (x: number): number => 1 / (1 + Math.exp(-x))

/** R svyciprop(method = "logit"): logit(p̂) ± t_df · SE/(p̂(1 − p̂)), back-transformed. */
export function logitInterval(p: number, se: number, df: number, level: number): Interval {
  const eta = Math.log(p / (1 - p))
  const half = (tQuantile(1 - (1 - level) / 2, df) * se) / (p * (1 - p))
  return { lower: expit(eta - half), upper: expit(eta + half), method: 'logit' }
}

/**
 * R svyciprop(method = "beta"), Korn & Graubard (1998): a Clopper–Pearson interval on the effective sample
 * size n_eff = p̂(1 − p̂)/V̂ · (t_{n−1}/t_df)², n the rows with a valid answer. With V̂ = 0 (p̂ = 0 or 1),
 * n_eff is n.
 */
export function betaInterval(p: number, se: number, df: number, n: number, level: number): Interval {
  const alpha = 1 - level
  const v = se * se
  const nEff = v > 0 ? ((p * (1 - p)) / v) * (tQuantile(alpha / 2, n - 1) / tQuantile(alpha / 2, df)) ** 2 : n
  const lower = p <= 0 ? 0 : qbeta(alpha / 2, nEff * p, nEff * (1 - p) + 1)
  const upper = p >= 1 ? 1 : qbeta(1 - alpha / 2, nEff * p + 1, nEff * (1 - p))
  return { lower, upper, method: 'beta' }
}

/** Wilson's score interval on the effective sample size p̂(1 − p̂)/V̂, with the t_df quantile. */
export function wilsonInterval(p: number, se: number, df: number, n: number, level: number): Interval {
  const v = se * se
  const nEff = v > 0 ? (p * (1 - p)) / v : n
  const z = tQuantile(1 - (1 - level) / 2, df)
  const denom = 1 + (z * z) / nEff
  const centre = (p + (z * z) / (2 * nEff)) / denom
  const half = (z * Math.sqrt((p * (1 - p)) / nEff + (z * z) / (4 * nEff * nEff))) / denom
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half), method: 'wilson' }
}

/** A symmetric t interval, for quantities that are not proportions (mean scores, differences). */
export function waldInterval(estimate: number, se: number, df: number, level: number): Interval {
  const half = tQuantile(1 - (1 - level) / 2, df) * se
  return { lower: estimate - half, upper: estimate + half, method: 'wald' }
}

/** The note of a logit interval replaced by a beta interval. */
export const BETA_FOR_LOGIT = 'logit interval undefined at p = 0 or 1; beta used'

/** The interval of a proportion by the campaign's method, falling back to beta where the logit is undefined. */
export function proportionInterval(
  method: IntervalMethod,
  p: number,
  se: number,
  df: number,
  n: number,
  level: number
): Interval {
  if (method === 'beta') return betaInterval(p, se, df, n, level)
  if (method === 'wilson') return wilsonInterval(p, se, df, n, level)
  if (p <= 0 || p >= 1 || se === 0) return { ...betaInterval(p, se, df, n, level), note: BETA_FOR_LOGIT }
  return logitInterval(p, se, df, level)
}
