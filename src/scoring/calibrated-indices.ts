/**
 * Every index of every domain under calibrated weights, row by row: R's svyratio / svycontrast on
 * postStratify(...) or calibrate(...), domains as subset() of the calibrated design; each index of each domain
 * reads the domain's rows only (CalibratedVariance residualises without passing over the others). The
 * reference the tallies' path (calibrated-tallies.ts) is held to, and the path of a process that may not
 * compile code.
 */
import { MISSING, type Design, type ResponseBatch } from './batch.js'
import { CalibratedVariance, degreesOfFreedom } from './calibrated-variance.js'
import type { CalibratedWeights } from './calibration.js'
import type { DomainResult, IndexResult } from './compute.js'
import type { Domain } from './estimate.js'
import { proportionInterval, waldInterval } from './intervals.js'
import type { Instrument } from './instrument.js'
import { indexSpecs, slotCount, type IndexSpec, type ScoringOptions } from './methods.js'
import { publishedSe } from './variance.js'

/** y of a row for a ratio (its table summed over the ratio's columns); its x goes to `x[0]`. */
function ratioValues(
  answers: Uint8Array,
  at: number,
  ratio: IndexSpec['ratios'][number],
  slots: number,
  x: Float64Array
): number {
  let y = 0
  let xSum = 0
  for (const c of ratio.columns) {
    const v = answers[at + c]
    const slot = v === MISSING ? slots - 1 : v
    y += ratio.y[slot]
    xSum += ratio.x[slot]
  }
  x[0] = xSum
  return y
}

/**
 * One index in one domain, given as its rows: θ = Σ_k c_k R̂_k, the scores r_j = Σ_k c_k (y_jk − R̂_k x_jk) / X̂_k
 * of those rows (R: svyratio's (y − R̂x)/Σwx, before weighting), the valid answers behind it, and its rows
 * with a valid answer to its first question (the subset whose degf a single-question index reports). Two
 * passes over the rows' answers (totals, then scores) instead of keeping y and x of every row and term: on a
 * province those would be tens of megabytes per index.
 */
function indexScores(
  batch: ResponseBatch,
  spec: IndexSpec,
  slots: number,
  weights: Float64Array,
  rows: Int32Array
): { theta: number | null; scores: Float64Array; n: number; validRows: Int32Array } {
  const terms = spec.ratios.length
  const Y = new Float64Array(terms)
  const X = new Float64Array(terms)
  const x = new Float64Array(1)
  const { answers } = batch
  const K = batch.columns.length
  const valid = new Int32Array(rows.length)
  let validCount = 0
  let n = 0
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]
    for (let k = 0; k < terms; k++) {
      const y = ratioValues(answers, row * K, spec.ratios[k], slots, x)
      Y[k] += weights[row] * y
      X[k] += weights[row] * x[0]
      if (x[0] > 0) {
        n++
        if (k === 0) valid[validCount++] = row
      }
    }
  }
  const validRows = valid.slice(0, validCount)
  const scores = new Float64Array(rows.length)
  if (X.some((total) => total === 0)) return { theta: null, scores, n, validRows }
  const R = Y.map((total, k) => total / X[k])
  const theta = spec.coefs.reduce((sum, c, k) => sum + c * R[k], 0)
  for (let i = 0; i < rows.length; i++)
    for (let k = 0; k < terms; k++) {
      const y = ratioValues(answers, rows[i] * K, spec.ratios[k], slots, x)
      scores[i] += (spec.coefs[k] * (y - R[k] * x[0])) / X[k]
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
  const variance = new CalibratedVariance(batch, design, calibrated, options.lonelyPsu)
  const unitRows = batch.units.map(() => [] as number[])
  for (let r = 0; r < batch.size; r++) unitRows[batch.unit[r]].push(r)
  const unitIndex = new Map(batch.units.map((u, i) => [u, i]))
  return domains.map((domain) => {
    const rows = Int32Array.from(domain.units.flatMap((u) => unitRows[unitIndex.get(u) ?? -1] ?? [])).sort()
    const designDf = degreesOfFreedom(batch, design, rows)
    const indices = specs.map((spec): IndexResult => {
      const { theta, scores, n, validRows } = indexScores(batch, spec, slots, calibrated.weights, rows)
      if (theta === null) return { code: spec.code, kind: spec.kind, n, estimate: null, se: null, df: null, ci: null }
      const estimate = spec.scale * theta + spec.offset
      const se = publishedSe(variance.variance(rows, scores), spec.scale)
      const df = spec.simple ? degreesOfFreedom(batch, design, validRows) : designDf
      const ci =
        df < 1
          ? null
          : spec.proportion
            ? proportionInterval(options.interval, estimate, se, df, batch.size, options.level)
            : waldInterval(estimate, se, df, options.level)
      return { code: spec.code, kind: spec.kind, n, estimate, se, df, ci }
    })
    return { domain: domain.id, rows: rows.length, indices }
  })
}
