/**
 * Linear contrasts of domains of one design, Σ_d c_d θ_d for each index: a unit minus another, a unit minus its
 * province, the mean of the peer groups' figures. Their variance is that of the combined linearised scores
 * over the full design, so the covariance the domains' shared strata and PSUs induce is in it (R: svyby(...,
 * covmat = TRUE) then svycontrast). Row by row: a contrast is asked for a few domains, not for every unit.
 */
import type { Design, ResponseBatch } from './batch.js'
import { CalibratedVariance } from './calibrated-variance.js'
import type { CalibratedWeights } from './calibration.js'
import { groupCount } from './cells.js'
import type { IndexResult } from './compute.js'
import type { Domain } from './estimate.js'
import { waldInterval } from './intervals.js'
import type { Instrument } from './instrument.js'
import { indexSpecs, slotCount, type IndexSpec, type ScoringOptions } from './methods.js'
import { rowValue, validAnswers, weightOf } from './reference.js'
import { designDegreesOfFreedom, groupedVariance, publishedSe } from './variance.js'

export interface ContrastTerm {
  domain: Domain
  coef: number
}

/**
 * Σ_d c_d θ_d of every index (or of those named by `codes`), as published figures: estimate (with the index's
 * offset times Σ c_d), SE, the full design's degrees of freedom and a Wald interval. `n` counts the valid
 * answers of the rows in any of the domains. With `calibration`, θ_d and the variance are the calibrated
 * design's. An index without an estimate in one of the domains has none.
 */
export function domainContrasts(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  terms: readonly ContrastTerm[],
  { calibration, codes }: { calibration?: CalibratedWeights; codes?: readonly string[] } = {}
): IndexResult[] {
  const specs = indexSpecs(instrument, options, batch.columns).filter((s) => !codes || codes.includes(s.code))
  const { rows, termsOfRow } = contrastRows(batch, terms)
  const weight = calibration ? (j: number) => calibration.weights[j] : (j: number) => weightOf(batch, j)
  const probability = design.probability || calibration !== undefined
  const variance = calibration ? new CalibratedVariance(batch, design, calibration, options.lonelyPsu) : null
  const df = designDegreesOfFreedom(design)
  const coefSum = terms.reduce((s, t) => s + t.coef, 0)
  const slots = slotCount(instrument)
  return specs.map((spec): IndexResult => {
    const n = rows.reduce(
      (sum, j) => sum + spec.ratios.reduce((k, ratio) => k + validAnswers(batch, slots, ratio, j), 0),
      0
    )
    const totals = ratioTotalsOfTerms(batch, slots, spec, terms.length, rows, termsOfRow, weight)
    if (totals.X.some((x) => x === 0))
      return { code: spec.code, kind: spec.kind, n, estimate: null, se: null, df: null, ci: null }
    const R = totals.Y.map((y, i) => y / totals.X[i])
    const theta = terms.reduce((sum, term, d) => sum + term.coef * thetaOf(spec, R, d), 0)
    const estimate = spec.scale * theta + spec.offset * coefSum
    if (!probability)
      return { code: spec.code, kind: spec.kind, n, estimate, se: null, df: null, ci: null, nonProbability: true }
    const scores = contrastScores(batch, slots, spec, terms, rows, termsOfRow, R, totals.X)
    const v = variance ? variance.variance(rows, scores) : uncalibratedVariance(batch, design, options, rows, scores)
    const se = publishedSe(v, spec.scale)
    const ci = df < 1 ? null : waldInterval(estimate, se, df, options.level)
    return { code: spec.code, kind: spec.kind, n, estimate, se, df, ci }
  })
}

/** The rows in any of the domains (in order) and, per row of the batch, the terms whose domain holds it. */
function contrastRows(batch: ResponseBatch, terms: readonly ContrastTerm[]) {
  const unitTerms = batch.units.map((u) => terms.flatMap((t, d) => (t.domain.units.includes(u) ? [d] : [])))
  const rows: number[] = []
  for (let j = 0; j < batch.size; j++) if (unitTerms[batch.unit[j]].length > 0) rows.push(j)
  return { rows: Int32Array.from(rows), termsOfRow: (j: number) => unitTerms[batch.unit[j]] }
}

/** Y and X of each (domain, ratio), at d·ratios + k. */
function ratioTotalsOfTerms(
  batch: ResponseBatch,
  slots: number,
  spec: IndexSpec,
  domains: number,
  rows: Int32Array,
  termsOfRow: (j: number) => number[],
  weight: (j: number) => number
) {
  const K = spec.ratios.length
  const Y = new Float64Array(domains * K)
  const X = new Float64Array(domains * K)
  for (const j of rows) {
    const w = weight(j)
    spec.ratios.forEach((ratio, k) => {
      const y = w * rowValue(batch, slots, ratio, ratio.y, j)
      const x = w * rowValue(batch, slots, ratio, ratio.x, j)
      for (const d of termsOfRow(j)) {
        Y[d * K + k] += y
        X[d * K + k] += x
      }
    })
  }
  return { Y, X }
}

const thetaOf = (spec: IndexSpec, R: Float64Array, d: number): number =>
  spec.coefs.reduce((sum, c, k) => sum + c * R[d * spec.ratios.length + k], 0)

/** r_j = Σ_{d ∋ j} c_d Σ_k coef_k (y_jk − R̂_dk x_jk) / X̂_dk, before weighting (R: svyratio's influence). */
function contrastScores(
  batch: ResponseBatch,
  slots: number,
  spec: IndexSpec,
  terms: readonly ContrastTerm[],
  rows: Int32Array,
  termsOfRow: (j: number) => number[],
  R: Float64Array,
  X: Float64Array
): Float64Array {
  const K = spec.ratios.length
  const scores = new Float64Array(rows.length)
  rows.forEach((j, i) => {
    spec.ratios.forEach((ratio, k) => {
      const y = rowValue(batch, slots, ratio, ratio.y, j)
      const x = rowValue(batch, slots, ratio, ratio.x, j)
      for (const d of termsOfRow(j))
        scores[i] += (terms[d].coef * spec.coefs[k] * (y - R[d * K + k] * x)) / X[d * K + k]
    })
  })
  return scores
}

/** The variance of Σ w_j r_j over the full design: every stratum with PSUs and its groups (stratum or PSUs). */
function uncalibratedVariance(
  batch: ResponseBatch,
  design: Design,
  options: ScoringOptions,
  rows: Int32Array,
  scores: Float64Array
): number {
  const clustered = batch.psu !== null
  const sumT = new Float64Array(groupCount(design, clustered))
  const sumT2 = new Float64Array(sumT.length)
  rows.forEach((j, i) => {
    const t = weightOf(batch, j) * scores[i]
    const g = batch.psu ? batch.psu[j] : batch.stratum ? batch.stratum[j] : 0
    sumT[g] += t
    sumT2[g] += t * t
  })
  const stratumOf = (g: number) => (clustered ? (design.psuStratum as Uint32Array)[g] : g)
  const strata = Int32Array.from(design.strata.keys()).filter((h) => design.psuCount[h] > 0)
  const groups = Int32Array.from(sumT.keys())
    .filter((g) => design.psuCount[stratumOf(g)] > 0)
    .sort((g, k) => stratumOf(g) - stratumOf(k) || g - k)
  const stratumStart = Int32Array.from(strata, (h) => groups.findIndex((g) => stratumOf(g) >= h)).map((i) =>
    i < 0 ? groups.length : i
  )
  return groupedVariance(
    design,
    clustered,
    strata,
    [...stratumStart, groups.length],
    Float64Array.from(groups, (g) => sumT[g]),
    Float64Array.from(groups, (g) => sumT2[g]),
    0,
    options.lonelyPsu
  )
}

/** A − B for one index between two domains of the same design (unit vs unit, unit vs province). */
export function domainDifference(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  code: string,
  a: Domain,
  b: Domain
): { estimate: number | null; se: number | null } {
  const terms = [
    { domain: a, coef: 1 },
    { domain: b, coef: -1 }
  ]
  const [d] = domainContrasts(batch, design, instrument, options, terms, { codes: [code] })
  if (!d) throw new Error(`unknown index ${code}`)
  return { estimate: d.estimate, se: d.se }
}
