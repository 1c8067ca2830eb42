import normalQuantile from '@stdlib/stats-base-dists-normal-quantile'
import { requireInRange, requireInteger } from './errors.js'

/**
 * Sample sizes are rounded up. Float arithmetic can leave an exact integer a hair above itself
 * (114/0.57 = 200.00000000000003), so anything within 1e-9 of an integer is taken as that integer first.
 */
export function roundUp(x: number): number {
  const nearest = Math.round(x)
  return Math.abs(x - nearest) < 1e-9 ? nearest : Math.ceil(x)
}

/** z with P(|Z| ≤ z) = confidence, i.e. Φ⁻¹(1 − (1 − confidence)/2); 1.959964 for 0.95. */
export function zForConfidence(confidence: number): number {
  requireInRange('confidence', confidence, 0, 1, '()')
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1)
}

/** Yamane (1967): n = N / (1 + N·e²), rounded up — the national method uses e = 0.05. */
export function yamaneSampleSize(populationSize: number, marginOfError: number): number {
  requireInteger('populationSize', populationSize, 1)
  requireInRange('marginOfError', marginOfError, 0, 0.5, '(]')
  return roundUp(populationSize / (1 + populationSize * marginOfError * marginOfError))
}

export interface CochranOptions {
  marginOfError: number
  /** Default 0.95. */
  confidence?: number
  /** The anticipated proportion; default 0.5, the most conservative. */
  p?: number
}

/**
 * Cochran: n₀ = z²·p(1 − p)/e², then with the finite-population correction n = n₀ / (1 + (n₀ − 1)/N),
 * rounded up once at the end (n₀ is not rounded first). Without a population size, n₀ rounded up.
 */
export function cochranSampleSize(populationSize: number | null, options: CochranOptions): number {
  const { marginOfError, confidence = 0.95, p = 0.5 } = options
  requireInRange('marginOfError', marginOfError, 0, 0.5, '(]')
  requireInRange('p', p, 0, 1, '()')
  const z = zForConfidence(confidence)
  const n0 = (z * z * p * (1 - p)) / (marginOfError * marginOfError)
  if (populationSize === null) return roundUp(n0)
  requireInteger('populationSize', populationSize, 1)
  return roundUp(n0 / (1 + (n0 - 1) / populationSize))
}

/** Units to draw so that `completes` are expected at the given response rate: ⌈completes / rate⌉. */
export function inflateForResponse(completes: number, responseRate: number): number {
  requireInteger('completes', completes, 0)
  requireInRange('responseRate', responseRate, 0, 1, '(]')
  return roundUp(completes / responseRate)
}

export type SampleSizeRequest = {
  populationSize: number
  /** Completed interviews required per unit whatever the formula gives (e.g. a province's 90 per commune). */
  minimum?: number
  /** Expected response rate in (0, 1]; default 1 (no inflation). */
  responseRate?: number
} & ({ method: 'yamane'; marginOfError: number } | ({ method: 'cochran' } & CochranOptions))

export interface SampleSizePlan {
  /** Completed interviews the formula asks for. */
  formula: number
  /** max(formula, minimum). */
  completes: number
  /** ⌈completes / responseRate⌉, capped at the population size. */
  toDraw: number
  /** Every unit of the population is drawn. */
  census: boolean
}

/**
 * The size for one unit or stratum, in this order: formula, per-unit minimum (both in completed
 * interviews), inflation for non-response, cap at N (no stratum draws more units than it has).
 */
export function sampleSizePlan(request: SampleSizeRequest): SampleSizePlan {
  const { populationSize, minimum = 0, responseRate = 1 } = request
  requireInteger('minimum', minimum, 0)
  const formula =
    request.method === 'yamane'
      ? yamaneSampleSize(populationSize, request.marginOfError)
      : cochranSampleSize(populationSize, request)
  const completes = Math.max(formula, minimum)
  const inflated = inflateForResponse(completes, responseRate)
  return { formula, completes, toDraw: Math.min(inflated, populationSize), census: inflated >= populationSize }
}
