/**
 * The variance of a linearised statistic under a calibrated design, as R's svyrecvar computes it when the
 * design carries `postStrata` (postStratify, calibrate): the scores are first replaced by their residuals
 * against the calibration model, then the usual stratified, clustered variance applies (variance.ts).
 */
import type { Design, ResponseBatch } from './batch.js'
import { cellTotals, fitted, type CalibratedWeights } from './calibration.js'
import { designVariance, type LonelyPsuRule, type StratumScores } from './variance.js'

/**
 * Residuals of the scores r (R: (y − R̂x)/Σw x, before weighting; zero outside a domain) against the
 * calibration model, weighted: e_j = g_j w_j (r_j − m_j'β) with β = (Σ w m m')⁻ Σ w m r, w the weights
 * before calibration. For calibrate this is `qr.resid(qr(mm·√w), x/(g√w)) · g√w` with x = g w r; for
 * postStratify, `x − psw · (Σ_c oldw·r / Σ_c oldw)`: β is then the old-weighted mean of r in each cell.
 */
export function calibrationResiduals(calibrated: CalibratedWeights, r: Float64Array): Float64Array {
  const { model, base, weights, gram } = calibrated
  const beta = gram.solve(
    cellTotals(
      model,
      base.map((w, j) => w * r[j])
    )
  )
  const fit = fitted(model, beta, r.length)
  return weights.map((w, j) => w * (r[j] - fit[j]))
}

/**
 * V̂ of Σ e over the whole design (a calibrated design's subset keeps every row: R sets 1/π = 0 outside a
 * domain), from the PSU totals of e in every stratum with rows.
 */
export function residualVariance(batch: ResponseBatch, design: Design, e: Float64Array, lonely: LonelyPsuRule): number {
  const H = design.strata.length
  const sumT = new Float64Array(H)
  const sumT2 = new Float64Array(H)
  const stratumOf = (r: number) => (batch.stratum ? batch.stratum[r] : 0)
  if (batch.psu && design.psuStratum) {
    const t = new Float64Array(design.psuStratum.length)
    for (let r = 0; r < batch.size; r++) t[batch.psu[r]] += e[r]
    t.forEach((total, p) => {
      const h = (design.psuStratum as Uint32Array)[p]
      sumT[h] += total
      sumT2[h] += total * total
    })
  } else {
    for (let r = 0; r < batch.size; r++) {
      sumT[stratumOf(r)] += e[r]
      sumT2[stratumOf(r)] += e[r] * e[r]
    }
  }
  const strata: StratumScores[] = design.strata
    .map((stratum, h) => ({
      stratum,
      psuCount: design.psuCount[h],
      fpc: design.fpc[h],
      sumT: sumT[h],
      sumT2: sumT2[h]
    }))
    .filter((s) => s.psuCount > 0)
  return designVariance(strata, lonely)
}

/** R's degf of a calibrated subset: distinct PSUs minus distinct strata among the rows with a non-zero weight. */
export function degreesOfFreedom(batch: ResponseBatch, inSubset: (r: number) => boolean): number {
  const psus = new Set<number>()
  const strata = new Set<number>()
  for (let r = 0; r < batch.size; r++) {
    if (!inSubset(r)) continue
    psus.add(batch.psu ? batch.psu[r] : r)
    strata.add(batch.stratum ? batch.stratum[r] : 0)
  }
  return psus.size - strata.size
}
