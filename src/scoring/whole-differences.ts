/**
 * Each part of a whole (a unit of its province) against the whole, index by index: θ_U − θ_P with the SE of
 * the difference, V(U) + V(P) − 2 C(U, P). A unit lies inside its province, so C is far from 0.
 *
 * C is bilinear in the two statistics' residual PSU totals e_hi (calibrated-variance.ts: e = a − A'β, β = G⁻b;
 * without calibration e = a):
 *   C(U, P) = scale · Σ_h (c_h Σ_i e^U_hi e^P_hi − d_h e^U_h e^P_h) = scale · Σ_{j∈U} r^U_j π_j,
 *   π_j = W_j q_j − w_j m_j'λ,  q_j = c_h e^P_{psu(j)} − d_h e^P_h,  λ = G⁻ Σ_j W_j m_j q_j,
 * with W = g·w the (calibrated) weight, w the weight before calibration and r the linearised scores before
 * weighting. π needs the whole sample's rows, in a few passes per index that serve every part at once. R: svyratio of
 * (y·1[U], y) over (x·1[U], x) with covmat = TRUE, then svycontrast (test/fixtures/r-survey/make-group-fixtures.R).
 */
import { MISSING, type Design, type ResponseBatch } from './batch.js'
import { cellTotals, fitted, type CalibratedWeights, type CalibrationModel } from './calibration.js'
import { calibrationResiduals } from './calibrated-variance.js'
import type { DomainResult } from './compute.js'
import type { Domain } from './estimate.js'
import { waldInterval, type Interval } from './intervals.js'
import type { Instrument } from './instrument.js'
import { indexSpecs, slotCount, type IndexKind, type IndexSpec, type Ratio, type ScoringOptions } from './methods.js'
import { designDegreesOfFreedom, publishedSe, stratumFactors } from './variance.js'
import { codeGeneration } from './kernel.js'
import { indexPlan } from './plan.js'
import { cellWidth, tally, type Tallies } from './tally.js'

export interface WholeDifference {
  code: string
  kind: IndexKind
  /** The part's estimate minus the whole's, on the published scale. */
  estimate: number
  se: number
  df: number
  /** At the options' level; it excludes 0 when the difference is significant. */
  ci: Interval | null
}

/**
 * The differences of every index of `kinds` (the criteria by default) between each part and the whole
 * sample, from their published figures (computeIndices of the same batch, weights and options) and their
 * covariance. An index without an estimate in the part is left out. A single-question index of an
 * uncalibrated design costs its cells (TallyCovariances); any other a few passes over the rows (Passes).
 */
export function differencesFromWhole(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  whole: DomainResult,
  parts: ReadonlyArray<{ domain: Domain; result: DomainResult }>,
  {
    calibration,
    kinds = ['criterion'],
    tallies
  }: {
    calibration?: CalibratedWeights
    kinds?: readonly IndexKind[]
    /** Pass one's tallies of the same batch and design (computeIndices' onTallies), instead of tallying again. */
    tallies?: Tallies
  } = {}
): Array<{ domain: string; differences: WholeDifference[] }> {
  // Only indices the whole has an SE for: none at all for self-selected responses.
  const withSe = new Set(whole.indices.flatMap((i) => (i.se === null ? [] : [i.code])))
  const specs = indexSpecs(instrument, options, batch.columns).filter(
    (s) => kinds.includes(s.kind) && withSe.has(s.code)
  )
  const df = designDegreesOfFreedom(design)
  // Every difference has the design's df: the t quantile (slow to compute) once, as the half-width of SE 1.
  const quantile = df < 1 ? null : waldInterval(0, 1, df, options.level).upper
  // Each row's part (−1: in none); parts may not overlap.
  const unitIndex = new Map(batch.units.map((u, i) => [u, i]))
  const partOfUnit = new Int32Array(batch.units.length).fill(-1)
  parts.forEach(({ domain }, k) =>
    domain.units.forEach((u) => {
      const i = unitIndex.get(u)
      if (i !== undefined) partOfUnit[i] = k
    })
  )
  // The row passes' buffers, made when an index needs them.
  let passes: { rows: Passes; partOf: Int32Array } | undefined
  const rowPasses = () => {
    if (passes) return passes
    const partOf = new Int32Array(batch.size)
    for (let j = 0; j < batch.size; j++) partOf[j] = partOfUnit[batch.unit[j]]
    passes = { rows: new Passes(batch, design, options, slotCount(instrument), calibration), partOf }
    return passes
  }
  // Single-question indices of an uncalibrated design from the tallies of pass one, where it compiles.
  const fromTallies = !calibration && codeGeneration ? specs.filter((spec) => spec.simple) : []
  const tallied =
    fromTallies.length === 0
      ? null
      : new TallyCovariances(
          tallies && fromTallies.every((spec) => tallies.classes.position[spec.ratios[0].columns[0]] >= 0)
            ? tallies
            : tally(batch, design, indexPlan(fromTallies, batch.columns, slotCount(instrument)).groups),
          design,
          options,
          partOfUnit,
          parts.length
        )
  const differences = parts.map(() => [] as WholeDifference[])
  for (const spec of specs) {
    const published = (d: DomainResult) => d.indices.find((i) => i.code === spec.code)
    const P = published(whole)
    if (!P || P.estimate === null || P.se === null) continue
    const covariances =
      tallied && fromTallies.includes(spec)
        ? tallied.covariances(spec)
        : rowPasses().rows.covariances(spec, rowPasses().partOf, parts.length)
    const variance = (se: number) => (se / spec.scale) ** 2
    parts.forEach(({ result }, k) => {
      const U = published(result)
      if (!U || U.estimate === null || U.se === null) return
      const se = publishedSe(variance(U.se) + variance(P.se as number) - 2 * covariances[k], spec.scale)
      const estimate = U.estimate - (P.estimate as number)
      differences[k].push({
        code: spec.code,
        kind: spec.kind,
        estimate,
        se,
        df,
        ci:
          quantile === null
            ? null
            : { lower: estimate - quantile * se, upper: estimate + quantile * se, method: 'wald' }
      })
    })
  }
  return parts.map(({ domain }, k) => ({ domain: domain.id, differences: differences[k] }))
}

/**
 * The passes over the rows for C(U, P) of one index. Every loop runs down the rows with one thing to do (the
 * ratios' y and x are read into a row-long buffer per ratio first): loops over a row's ratios inside the loop
 * over rows ran ten times slower. Buffers are reused from index to index.
 */
class Passes {
  private readonly weight: Float64Array
  private readonly c: Float64Array
  private readonly d: Float64Array
  private readonly scale: number
  private readonly buffers: Float64Array[] = []

  constructor(
    private readonly batch: ResponseBatch,
    private readonly design: Design,
    options: ScoringOptions,
    private readonly slots: number,
    private readonly calibration: CalibratedWeights | undefined
  ) {
    this.weight = calibration?.weights ?? batch.weight ?? new Float64Array(batch.size).fill(1)
    ;({ c: this.c, d: this.d, scale: this.scale } = stratumFactors(design, options.lonelyPsu))
  }

  /** The k-th row-long buffer, zeroed. */
  private buffer(k: number): Float64Array {
    this.buffers[k] ??= new Float64Array(this.batch.size)
    return this.buffers[k].fill(0)
  }

  /** y and x of every row for one ratio (its tables summed over its columns), into two buffers. */
  private ratioValues(ratio: Ratio, y: Float64Array, x: Float64Array): void {
    const { answers } = this.batch
    const K = this.batch.columns.length
    const last = this.slots - 1
    for (const column of ratio.columns)
      for (let j = 0, at = column; j < y.length; j++, at += K) {
        const answer = answers[at]
        // answerSlot, inline: the missing code and anything past the scale go to the last slot.
        const slot = answer === MISSING || answer >= last ? last : answer
        y[j] += ratio.y[slot]
        x[j] += ratio.x[slot]
      }
  }

  /** scale · Σ_{j∈U} r^U_j π_j of each part U (see the top of the file). */
  covariances(spec: IndexSpec, partOf: Int32Array, partCount: number): Float64Array {
    const { batch, design, weight, c, d } = this
    const N = batch.size
    const T = spec.ratios.length
    const ys = spec.ratios.map((_, t) => this.buffer(2 * t))
    const xs = spec.ratios.map((_, t) => this.buffer(2 * t + 1))
    spec.ratios.forEach((ratio, t) => this.ratioValues(ratio, ys[t], xs[t]))
    const [r, q, s] = [this.buffer(2 * T), this.buffer(2 * T + 1), this.buffer(2 * T + 2)]
    // Y and X of each ratio over each part (at part·T + t) and over the whole sample (at partCount·T + t).
    const Y = new Float64Array(T * (partCount + 1))
    const X = new Float64Array(Y.length)
    const whole = partCount * T
    for (let t = 0; t < T; t++) {
      const [y, x] = [ys[t], xs[t]]
      for (let j = 0; j < N; j++) {
        const wy = weight[j] * y[j]
        const wx = weight[j] * x[j]
        Y[whole + t] += wy
        X[whole + t] += wx
        if (partOf[j] >= 0) {
          Y[partOf[j] * T + t] += wy
          X[partOf[j] * T + t] += wx
        }
      }
    }
    // A row's linearised score is Σ_t a_t y_t − b_t x_t, with a_t = coef_t/X_t and b_t = coef_t R̂_t/X_t of its
    // part (for r^U) or of the whole sample (for r).
    const a = new Float64Array(Y.length)
    const b = new Float64Array(Y.length)
    for (let i = 0; i < Y.length; i++)
      if (X[i] !== 0) {
        a[i] = spec.coefs[i % T] / X[i]
        b[i] = (a[i] * Y[i]) / X[i]
      }
    for (let t = 0; t < T; t++) {
      const [y, x, at, bt] = [ys[t], xs[t], a[whole + t], b[whole + t]]
      for (let j = 0; j < N; j++) r[j] += at * y[j] - bt * x[j]
      for (let j = 0; j < N; j++) if (partOf[j] >= 0) s[j] += a[partOf[j] * T + t] * y[j] - b[partOf[j] * T + t] * x[j]
    }
    // e = W (r − m'β), the residuals against the calibration model (W r without one), with its totals by
    // stratum and PSU; then q = c_h e_psu − d_h e_h.
    const { calibration } = this
    const e = calibration ? calibrationResiduals(calibration, r) : r.map((rj, j) => weight[j] * rj)
    const byStratum = new Float64Array(design.strata.length)
    const psu = batch.psu
    const byPsu = psu ? new Float64Array((design.psuStratum as Uint32Array).length) : null
    for (let j = 0; j < N; j++) {
      byStratum[batch.stratum ? batch.stratum[j] : 0] += e[j]
      if (byPsu) byPsu[(psu as Uint32Array)[j]] += e[j]
    }
    for (let j = 0; j < N; j++) {
      const h = batch.stratum ? batch.stratum[j] : 0
      q[j] = c[h] * (byPsu ? byPsu[(psu as Uint32Array)[j]] : e[j]) - d[h] * byStratum[h]
    }
    // π = W q − w m'λ with λ = G⁻ Σ W m q (r is free again: it holds W q); each part's Σ r^U π.
    for (let j = 0; j < N; j++) r[j] = weight[j] * q[j]
    const { model, base, gram } = calibration ?? {}
    const lambda = model && gram ? fitted(model, gram.solve(cellTotals(model, r))) : null
    const covariances = new Float64Array(partCount)
    for (let j = 0; j < N; j++)
      if (partOf[j] >= 0)
        covariances[partOf[j]] +=
          s[j] * (r[j] - (lambda ? (base as Float64Array)[j] * lambda[(model as CalibrationModel).classOf[j]] : 0))
    for (let k = 0; k < partCount; k++) covariances[k] *= this.scale
    return covariances
  }
}

/**
 * C(U, P) of single-question indices from the tallies of pass one: y and x are the same for every answer of
 * a class, so each (unit, group) cell's Σw and Σw² per class give every sum of the formula at the top of the
 * file. Unclustered (each row its own PSU): C = scale Σ_{cells of U} Σ_k (c_h Σw² s_k r_k − d_h e_h Σw s_k);
 * clustered: C = scale Σ_{cells of U} Σ_k Σw s_k (c_h e_psu − d_h e_h); s and r the part's and the whole's
 * scores of class k, e the whole's weighted score totals by group and stratum.
 */
class TallyCovariances {
  private readonly c: Float64Array
  private readonly d: Float64Array
  private readonly scale: number

  constructor(
    private readonly tallies: Tallies,
    private readonly design: Design,
    options: ScoringOptions,
    private readonly partOfUnit: Int32Array,
    private readonly partCount: number
  ) {
    ;({ c: this.c, d: this.d, scale: this.scale } = stratumFactors(design, options.lonelyPsu))
  }

  covariances(spec: IndexSpec): Float64Array {
    const { tallies, design, c, d, partOfUnit, partCount } = this
    const { classes, cells, cellUnit, cellGroup, count, sumW, sumW2, cellWeight } = tallies
    const ratio = spec.ratios[0]
    const column = ratio.columns[0]
    const K = classes.count[column]
    const y = Float64Array.from({ length: K }, (_, k) => ratio.y[classes.slot[column * classes.stride + k]])
    const x = Float64Array.from({ length: K }, (_, k) => ratio.x[classes.slot[column * classes.stride + k]])
    const width = cellWidth(classes)
    const offset = classes.position[column] * classes.stride
    // Σw and Σw² of each (cell, class), at cell·K + k; and Y, X of each part (at its index) and of the whole
    // sample (at partCount).
    const w1 = new Float64Array(cells * K)
    const w2 = new Float64Array(cells * K)
    const Y = new Float64Array(partCount + 1)
    const X = new Float64Array(partCount + 1)
    for (let cell = 0; cell < cells; cell++) {
      const w = cellWeight ? cellWeight[cell] : 0
      const part = partOfUnit[cellUnit[cell]]
      for (let k = 0; k < K; k++) {
        const at = cell * width + offset + k
        const sw = sumW ? sumW[at] : count[at] * w
        w1[cell * K + k] = sw
        w2[cell * K + k] = sumW2 ? sumW2[at] : count[at] * w * w
        Y[partCount] += sw * y[k]
        X[partCount] += sw * x[k]
        if (part >= 0) {
          Y[part] += sw * y[k]
          X[part] += sw * x[k]
        }
      }
    }
    // The linearised score of class k over each part (and the whole sample, at partCount): (y_k − R̂ x_k)/X̂.
    const score = new Float64Array((partCount + 1) * K)
    for (let at = 0; at <= partCount; at++)
      if (X[at] !== 0)
        for (let k = 0; k < K; k++) score[at * K + k] = (spec.coefs[0] * (y[k] - (Y[at] / X[at]) * x[k])) / X[at]
    const whole = partCount * K
    const psuStratum = design.psuStratum as Uint32Array
    const byGroup = new Float64Array(tallies.clustered ? psuStratum.length : design.strata.length)
    const byStratum = new Float64Array(design.strata.length)
    for (let cell = 0; cell < cells; cell++) {
      const group = cellGroup[cell]
      let e = 0
      for (let k = 0; k < K; k++) e += w1[cell * K + k] * score[whole + k]
      byGroup[group] += e
      byStratum[tallies.clustered ? psuStratum[group] : group] += e
    }
    const covariances = new Float64Array(partCount)
    for (let cell = 0; cell < cells; cell++) {
      const part = partOfUnit[cellUnit[cell]]
      if (part < 0) continue
      const group = cellGroup[cell]
      const h = tallies.clustered ? psuStratum[group] : group
      let sum = 0
      for (let k = 0; k < K; k++) {
        const s = score[part * K + k]
        sum += tallies.clustered
          ? w1[cell * K + k] * s * (c[h] * byGroup[group] - d[h] * byStratum[h])
          : c[h] * w2[cell * K + k] * s * score[whole + k] - d[h] * byStratum[h] * w1[cell * K + k] * s
      }
      covariances[part] += sum
    }
    for (let k = 0; k < partCount; k++) covariances[k] *= this.scale
    return covariances
  }
}
