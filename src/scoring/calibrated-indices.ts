/**
 * Every index of every domain under calibrated weights: R's svyratio / svycontrast on
 * postStratify(...) or calibrate(...), domains as subset() of the calibrated design. A plain row-by-row path
 * (one pass per index and domain), written to be checked against R rather than to be fast.
 */
import { MISSING, type Design, type ResponseBatch } from './batch.js'
import { calibrationResiduals, degreesOfFreedom, residualVariance } from './calibrated-variance.js'
import type { CalibratedWeights } from './calibration.js'
import type { DomainResult, IndexResult } from './compute.js'
import type { Domain } from './estimate.js'
import { proportionInterval, waldInterval } from './intervals.js'
import type { Instrument } from './instrument.js'
import { indexSpecs, slotCount, type IndexSpec, type Ratio, type ScoringOptions } from './methods.js'

/** y and x of row r for a ratio: its tables summed over the ratio's columns. */
function rowValues(batch: ResponseBatch, ratio: Ratio, slots: number, r: number): [number, number] {
  const K = batch.columns.length
  let y = 0
  let x = 0
  for (const c of ratio.columns) {
    const v = batch.answers[r * K + c]
    const slot = v === MISSING ? slots - 1 : v
    y += ratio.y[slot]
    x += ratio.x[slot]
  }
  return [y, x]
}

/** One index in one domain: θ = Σ_k c_k R̂_k, and its scores r_j = Σ_k c_k (y_jk − R̂_k x_jk) / X̂_k in the domain. */
function indexScores(
  batch: ResponseBatch,
  spec: IndexSpec,
  slots: number,
  weights: Float64Array,
  inDomain: (r: number) => boolean
): { theta: number | null; scores: Float64Array; n: number; validRows: (r: number) => boolean } {
  const K = spec.ratios.length
  const Y = new Float64Array(K)
  const X = new Float64Array(K)
  let n = 0
  for (let r = 0; r < batch.size; r++) {
    if (!inDomain(r)) continue
    spec.ratios.forEach((ratio, k) => {
      const [y, x] = rowValues(batch, ratio, slots, r)
      Y[k] += weights[r] * y
      X[k] += weights[r] * x
      if (x > 0) n++
    })
  }
  const validRows = (r: number) => inDomain(r) && rowValues(batch, spec.ratios[0], slots, r)[1] > 0
  const scores = new Float64Array(batch.size)
  if (X.some((x) => x === 0)) return { theta: null, scores, n, validRows }
  const R = Y.map((y, k) => y / X[k])
  const theta = spec.coefs.reduce((s, c, k) => s + c * R[k], 0)
  for (let r = 0; r < batch.size; r++) {
    if (!inDomain(r)) continue
    let z = 0
    spec.ratios.forEach((ratio, k) => {
      const [y, x] = rowValues(batch, ratio, slots, r)
      z += (spec.coefs[k] * (y - R[k] * x)) / X[k]
    })
    scores[r] = z
  }
  return { theta, scores, n, validRows }
}

/**
 * The published figures of every domain under the calibrated weights. A weighted, calibrated computation
 * has SEs even for self-selected responses: the calibration to the frame's totals is what makes them
 * design-based (domain/SIPAS.md §4). Beta intervals use the whole sample's row count, as R's nrow() of a
 * calibrated subset does.
 */
export function calibratedIndices(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  domains: readonly Domain[],
  calibrated: CalibratedWeights
): DomainResult[] {
  const specs = indexSpecs(instrument, options, batch.columns)
  const slots = slotCount(instrument)
  return domains.map((domain) => {
    const members = new Set(domain.units)
    const unitIn = batch.units.map((u) => members.has(u))
    const inDomain = (r: number) => unitIn[batch.unit[r]]
    let rows = 0
    for (let r = 0; r < batch.size; r++) if (inDomain(r)) rows++
    const designDf = degreesOfFreedom(batch, inDomain)
    const indices = specs.map((spec): IndexResult => {
      const { theta, scores, n, validRows } = indexScores(batch, spec, slots, calibrated.weights, inDomain)
      if (theta === null) return { code: spec.code, kind: spec.kind, n, estimate: null, se: null, df: null, ci: null }
      const variance = residualVariance(batch, design, calibrationResiduals(calibrated, scores), options.lonelyPsu)
      const estimate = spec.scale * theta + spec.offset
      const raw = Math.sqrt(Math.max(variance, 0))
      const se = raw < 1e-12 ? 0 : Math.abs(spec.scale) * raw
      const df = spec.simple ? degreesOfFreedom(batch, validRows) : designDf
      const ci =
        df < 1
          ? null
          : spec.proportion
            ? proportionInterval(options.interval, estimate, se, df, batch.size, options.level)
            : waldInterval(estimate, se, df, options.level)
      return { code: spec.code, kind: spec.kind, n, estimate, se, df, ci }
    })
    return { domain: domain.id, rows, indices }
  })
}
