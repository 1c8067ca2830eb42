/**
 * The variance of a linearised statistic under a calibrated design, as R's svyrecvar computes it when the
 * design carries `postStrata` (postStratify, calibrate): the scores are first replaced by their residuals
 * against the calibration model, then the usual stratified, clustered variance applies (variance.ts).
 */
import type { Design, ResponseBatch } from './batch.js'
import {
  cellTotals,
  classPairSums,
  fitted,
  numberKeys,
  rowCell,
  sparsePattern,
  type CalibratedWeights,
  type SparseRows
} from './calibration.js'
import { designVariance, stratumFactors, type LonelyPsuRule, type StratumScores } from './variance.js'

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
  const fit = fitted(model, beta)
  return weights.map((w, j) => w * (r[j] - fit[model.classOf[j]]))
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

/** R's degf of a calibrated subset: distinct PSUs minus distinct strata among its rows (non-zero weight). */
export function degreesOfFreedom(batch: ResponseBatch, design: Design, rows: ArrayLike<number>): number {
  const stratumSeen = new Uint8Array(design.strata.length)
  let strata = 0
  for (let k = 0; k < rows.length; k++) {
    const h = batch.stratum ? batch.stratum[rows[k]] : 0
    if (stratumSeen[h] === 0) {
      stratumSeen[h] = 1
      strata++
    }
  }
  // Rows are distinct: unclustered, each is a PSU of its own.
  if (!batch.psu) return rows.length - strata
  const psus = new Set<number>()
  for (let k = 0; k < rows.length; k++) psus.add(batch.psu[rows[k]])
  return psus.size - strata
}

/**
 * Sums by index into a dense array reused from call to call (no map per call): the indices touched are kept in
 * the order first met, the order a Map would give; a sum restarts at its first touch after start().
 */
export class SparseSums {
  private readonly sums: Float64Array
  private readonly mark: Uint32Array
  private readonly order: Int32Array
  private generation = 0
  private touched = 0

  constructor(size: number) {
    this.sums = new Float64Array(size)
    this.mark = new Uint32Array(size)
    this.order = new Int32Array(size)
  }

  start(): this {
    if (++this.generation === 0xffffffff) {
      this.mark.fill(0)
      this.generation = 1
    }
    this.touched = 0
    return this
  }

  add(index: number, value: number): void {
    if (this.mark[index] !== this.generation) {
      this.mark[index] = this.generation
      this.sums[index] = 0
      this.order[this.touched++] = index
    }
    this.sums[index] += value
  }

  get count(): number {
    return this.touched
  }

  /** The t-th index touched. */
  index(t: number): number {
    return this.order[t]
  }

  sum(index: number): number {
    return this.sums[index]
  }

  has(index: number): boolean {
    return this.mark[index] === this.generation
  }
}

type CellSums = { cells: Int32Array; values: Float64Array }

/**
 * A stratum whose d_h A_h A_h' would put more entries into K − Q than there are cells (its cells² > p: units
 * that cross strata, or a province's few strata) is wide: kept apart as v_h = G⁻ A_h, so that A_h'β = v_h'b
 * costs the cells a statistic touches. Widest first, as long as all v_h kept hold at most WIDE_NUMBERS numbers.
 */
const WIDE_NUMBERS = 1 << 24

/**
 * The rows of one calibration class in one group (stratum, or PSU when clustered), piece by piece: Σ g·w and
 * Σ (g·w)² of each piece. Pieces of the same class and group may repeat: their sums add.
 */
export interface ClassGroupSums {
  readonly group: Uint32Array
  readonly classOf: Uint32Array
  readonly sum: Float64Array
  readonly squares: Float64Array
}

const isClustered = (batch: ResponseBatch, design: Design) => batch.psu !== null && design.psuStratum !== null

/** The pieces of the rows: each (group, class) met, with its rows' sums. */
export function classGroupSums(batch: ResponseBatch, design: Design, calibrated: CalibratedWeights): ClassGroupSums {
  const { model, weights } = calibrated
  const clustered = isClustered(batch, design)
  const groupOfRow = (clustered ? batch.psu : batch.stratum) ?? new Uint32Array(batch.size)
  const groups = clustered ? (design.psuStratum as Uint32Array).length : design.strata.length
  const C = model.classes
  const keys = new Float64Array(batch.size)
  for (let r = 0; r < batch.size; r++) keys[r] = groupOfRow[r] * C + model.classOf[r]
  const { ids, count } = numberKeys(keys, groups * C)
  const pieces = {
    group: new Uint32Array(count),
    classOf: new Uint32Array(count),
    sum: new Float64Array(count),
    squares: new Float64Array(count)
  }
  for (let r = 0; r < batch.size; r++) {
    const id = ids[r]
    pieces.sum[id] += weights[r]
    pieces.squares[id] += weights[r] * weights[r]
    pieces.group[id] = groupOfRow[r]
    pieces.classOf[id] = model.classOf[r]
  }
  return pieces
}

/** Per target (0 ≤ target < targets), Σ over its pieces of each piece's Σ g·w on the piece's cells: A_t. */
function cellSumsBy(
  calibrated: CalibratedWeights,
  pieces: ClassGroupSums,
  targets: number,
  targetOf: (piece: number) => number
): CellSums[] {
  const { classCells } = calibrated.model
  const M = calibrated.model.margins
  const count = pieces.sum.length
  const target = new Int32Array(count)
  for (let i = 0; i < count; i++) target[i] = targetOf(i)
  // The pieces ordered by target (a counting sort), then each target's cells summed in scratch sums.
  const start = new Int32Array(targets + 1)
  for (let i = 0; i < count; i++) start[target[i] + 1]++
  for (let t = 0; t < targets; t++) start[t + 1] += start[t]
  const next = start.slice(0, targets)
  const order = new Int32Array(count)
  for (let i = 0; i < count; i++) order[next[target[i]]++] = i
  const sums = new SparseSums(calibrated.model.totals.length)
  return Array.from({ length: targets }, (_, t) => {
    sums.start()
    for (let o = start[t]; o < start[t + 1]; o++) {
      const i = order[o]
      for (let m = 0; m < M; m++) sums.add(classCells[pieces.classOf[i] * M + m], pieces.sum[i])
    }
    const cells = Int32Array.from({ length: sums.count }, (_, k) => sums.index(k))
    return { cells, values: Float64Array.from(cells, (c) => sums.sum(c)) }
  })
}

/** A vector, with the cells where it is not zero. */
interface Sparse {
  readonly dense: Float64Array
  readonly support: Int32Array
}

/** `dense` with its support, found from `from` on (zero before). */
const sparse = (dense: Float64Array, from = 0): Sparse => {
  const support: number[] = []
  for (let i = from; i < dense.length; i++) if (dense[i] !== 0) support.push(i)
  return { dense, support: Int32Array.from(support) }
}

/** Σ x_t y_t over x's length. */
const innerProduct = (x: Float64Array, y: Float64Array): number => {
  let sum = 0
  for (let t = 0; t < x.length; t++) sum += x[t] * y[t]
  return sum
}

const dot = (x: Sparse, y: Float64Array): number => {
  let sum = 0
  for (const i of x.support) sum += x.dense[i] * y[i]
  return sum
}

/** A w reaching at most this many cells takes K − Q's rows at them (zEntry); one reaching more, a product. */
const FEW_CELLS = 64

/**
 * The calibration cells that statistics touch (a domain's: all its statistics touch the same ones), with what
 * they share. Few cells: on them (n × n, row-major) G⁻ (`inverse`), Z = G⁻ (K − Q) G⁻, and the wide strata's
 * v_h (one row each); many (a province's): none of these, a statistic costs a solve and K − Q's entries.
 * And room for one statistic's β on the cells.
 */
export interface CellSet {
  readonly cells: Int32Array
  readonly block: { readonly inverse: Float64Array; readonly z: Float64Array; readonly wide: Float64Array } | null
  readonly beta: Float64Array
}

/**
 * What the variance of one statistic needs of its scores r (R: (y − R̂x)/Σwx before weighting), with g·w the
 * calibrated weight and a = g·w·r: b = Σ w m r on the calibration cells (`cells`); the totals of a per PSU, or
 * per stratum when unclustered (`groups`); unclustered also Σ c_h a_j g_j w_j on each cell (`fits`, on cells
 * that `cells` has too) and Σ c_h a_j² (`squares`).
 */
export interface ScoreSums {
  readonly cells: SparseSums
  readonly groups: SparseSums
  readonly fits: SparseSums
  squares: number
}

/**
 * The same variance without a pass over the whole sample per statistic. With the PSU totals
 * a_hi = Σ_{j∈hi} g w r and A_hi = Σ_{j∈hi} g w m, the residual totals are t_hi = a_hi − A_hi'β, so
 *   V = Σ_h c_h Σ_i t_hi² − d_h (Σ_i t_hi)²
 *     = Σ_h c_h Σ_i (a_hi² − 2 a_hi A_hi'β) + β'(K − Q)β − Σ_h d_h (a_h² − 2 a_h A_h'β),
 *   K = Σ_h c_h Σ_i A_hi A_hi',  Q = Σ_h d_h A_h A_h'
 * with c_h = f_h n_h/(n_h − 1) and d_h = c_h/n_h (lonely "adjust": c_h = f_h, d_h = 0; "average": the
 * lonely strata drop out and V is scaled by H/H_ok). K − Q (sparse: the cell pairs that share a PSU or a
 * stratum), the A_h and the columns of G⁻ are computed once; a wide stratum's part of Q is kept apart as
 * v_h = G⁻ A_h (WIDE_NUMBERS). The last sum runs over the strata the rows fall in only (a_h = 0 elsewhere).
 * β = G⁻ b with b = Σ w m r on the few cells the rows touch, so for a small domain
 * β'(K − Q)β = Σ_{c,e} b_c b_e (G⁻ (K − Q) G⁻)_{ce} over those cells, each entry computed once for all
 * statistics (CellSet). A statistic then costs its own rows (or, from tallies, its classes: `sums` and
 * `combine`, or a domain's cell set and `combineOn`), the cells it touches squared, and the cells of its
 * strata that are not wide.
 */
export class CalibratedVariance {
  private readonly c: Float64Array
  private readonly d: Float64Array
  private readonly scale: number
  /** K − Q without the wide strata's part, both triangles. */
  private readonly kq: SparseRows
  private readonly stratumCells: CellSums[]
  /** v_h = G⁻ A_h of the wide strata (WIDE_NUMBERS), null for the others. */
  private readonly wide: Array<Float64Array | null>
  private readonly wideStrata: number[] = []
  /** Row-PSU designs: null; clustered: each PSU's cells and Σ g w of each. */
  private readonly psuCells: CellSums[] | null
  private readonly scratch: {
    cells: SparseSums
    fits: SparseSums
    beta: SparseSums
    strata: SparseSums
    psus: SparseSums | null
    wideFit: Float64Array
    /** e_k's room (zero between calls). */
    unit: Float64Array
  }
  private readonly inverseColumns: Array<Float64Array | undefined>
  /** (G⁻ (K − Q) G⁻)_{ce}, by c·p + e (c ≤ e), as met. */
  private readonly pairs = new Map<number, number>()
  /** Per cell: L⁻ e_c, L'⁻ e_c, and (K − Q) L'⁻ e_c where that reaches many cells (zEntry). */
  private readonly forwards: Array<Sparse | undefined> = []
  private readonly backwards: Array<Sparse | undefined> = []
  private readonly kqBackwards: Array<Float64Array | undefined> = []
  /** M_ij of two w that reach many cells, by i·p + j (i ≤ j). */
  private readonly wideEntries = new Map<number, number>()
  /** The last cell set used, and the place of each cell in it (−1: not in it). */
  private set: CellSet = { cells: new Int32Array(0), block: null, beta: new Float64Array(0) }
  /** The statistic being combined: its b on the set's cells, and β on every cell when solved whole (betaOf). */
  private beta: { b: Float64Array; solved: Float64Array | null } = { b: new Float64Array(0), solved: null }
  private readonly position: Int32Array
  private readonly p: number

  /**
   * `pieces`: the rows' Σ g·w and Σ (g·w)² by class and group (classGroupSums), which calibratedTotals has from
   * its cells. Rows of one class in one group share their cells, so A_h, A_hi and K follow from those sums.
   */
  constructor(
    private readonly batch: ResponseBatch,
    private readonly design: Design,
    private readonly calibrated: CalibratedWeights,
    lonely: LonelyPsuRule,
    pieces: ClassGroupSums = classGroupSums(batch, design, calibrated)
  ) {
    const H = design.strata.length
    const p = calibrated.model.totals.length
    this.p = p
    this.inverseColumns = new Array<Float64Array | undefined>(p)
    this.position = new Int32Array(p).fill(-1)
    ;({ c: this.c, d: this.d, scale: this.scale } = stratumFactors(design, lonely))
    const { model } = calibrated
    const clustered = isClustered(batch, design)
    const psuStratum = design.psuStratum as Uint32Array
    const stratumOf = (piece: number) => (clustered ? psuStratum[pieces.group[piece]] : pieces.group[piece])
    this.stratumCells = cellSumsBy(calibrated, pieces, H, stratumOf)
    this.psuCells = clustered ? cellSumsBy(calibrated, pieces, psuStratum.length, (i) => pieces.group[i]) : null
    // The terms of K − Q, entry by entry: K = Σ_h c_h Σ_i A_hi A_hi' (row-PSUs: Σ_h c_h Σ_j (g w)_j² m_j m_j',
    // which is Σ_k v_k m_k m_k' over the classes), then − d_h A_h A_h' of each stratum that is not wide.
    const keys: number[] = []
    const values: number[] = []
    const outer = (s: CellSums, factor: number) => {
      for (let a = 0; a < s.cells.length; a++)
        for (let b = 0; b < s.cells.length; b++) {
          keys.push(s.cells[a] * p + s.cells[b])
          values.push(factor * s.values[a] * s.values[b])
        }
    }
    if (this.psuCells) {
      for (let i = 0; i < this.psuCells.length; i++)
        if (this.c[psuStratum[i]] !== 0) outer(this.psuCells[i], this.c[psuStratum[i]])
    } else {
      const v = new Float64Array(model.classes)
      for (let i = 0; i < pieces.sum.length; i++) v[pieces.classOf[i]] += this.c[pieces.group[i]] * pieces.squares[i]
      const K = classPairSums(model, v)
      for (let i = 0; i < p; i++)
        for (let e = K.start[i]; e < K.start[i + 1]; e++) {
          keys.push(i * p + K.column[e])
          values.push(K.value[e])
        }
    }
    this.wide = this.stratumCells.map(() => null)
    const widest = Array.from(this.stratumCells.keys())
      .filter((h) => this.d[h] !== 0 && this.stratumCells[h].cells.length ** 2 > p)
      .sort((h, k) => this.stratumCells[k].cells.length - this.stratumCells[h].cells.length)
    for (const h of widest.slice(0, Math.floor(WIDE_NUMBERS / p))) {
      const A = new Float64Array(p)
      this.stratumCells[h].cells.forEach((cell, k) => (A[cell] = this.stratumCells[h].values[k]))
      this.wide[h] = calibrated.gram.solve(A)
      this.wideStrata.push(h)
    }
    for (let h = 0; h < H; h++) if (this.d[h] !== 0 && this.wide[h] === null) outer(this.stratumCells[h], -this.d[h])
    const { pattern, place } = sparsePattern(p, Float64Array.from(keys))
    const sum = new Float64Array(pattern.column.length)
    for (let i = 0; i < values.length; i++) sum[place[i]] += values[i]
    this.kq = { ...pattern, value: sum }
    this.scratch = {
      cells: new SparseSums(p),
      fits: new SparseSums(p),
      beta: new SparseSums(p),
      strata: new SparseSums(H),
      wideFit: new Float64Array(H),
      unit: new Float64Array(p),
      psus: clustered ? new SparseSums(psuStratum.length) : null
    }
  }

  /** Column k of G⁻ (the solution of G x = e_k), computed when first needed. */
  private inverseColumn(k: number): Float64Array {
    let column = this.inverseColumns[k]
    if (column === undefined) {
      const e = this.scratch.unit
      e[k] = 1
      column = this.calibrated.gram.solve(e)
      e[k] = 0
      this.inverseColumns[k] = column
    }
    return column
  }

  /** (K − Q) x. */
  private timesKQ(x: Float64Array): Float64Array {
    const { start, column, value } = this.kq
    const y = new Float64Array(this.p)
    for (let i = 0; i < this.p; i++) {
      let s = 0
      for (let k = start[i]; k < start[i + 1]; k++) s += value[k] * x[column[k]]
      y[i] = s
    }
    return y
  }

  /**
   * The set of these cells, kept from the last call when they are the same. Z on a block: Z_ce = x_c'(K − Q)x_e
   * with x_c, x_e columns of G⁻, each entry computed once for all statistics (one product with K − Q for each
   * column e met).
   */
  cellSet(cells: Int32Array): CellSet {
    const n = cells.length
    let same = this.set.cells.length === n
    for (let t = 0; t < n && same; t++) same = this.set.cells[t] === cells[t]
    if (same) return this.set
    for (const cell of this.set.cells) this.position[cell] = -1
    cells.forEach((cell, t) => (this.position[cell] = t))
    this.set = { cells, block: n * n <= this.kq.value.length ? this.block(cells) : null, beta: new Float64Array(n) }
    return this.set
  }

  private block(cells: Int32Array): CellSet['block'] {
    const n = cells.length
    const forwards = Array.from(cells, (cell) => this.forwardOf(cell))
    const z = new Float64Array(n * n)
    const inverse = new Float64Array(n * n)
    for (let u = 0; u < n; u++)
      for (let t = 0; t < n; t++) {
        const c = cells[t]
        const e = cells[u]
        const key = c <= e ? c * this.p + e : e * this.p + c
        let value = this.pairs.get(key)
        if (value === undefined) this.pairs.set(key, (value = this.zEntry(forwards[t], forwards[u])))
        z[t * n + u] = value
        inverse[t * n + u] = dot(forwards[t], forwards[u].dense)
      }
    const wide = new Float64Array(this.wideStrata.length * n)
    this.wideStrata.forEach((h, k) => {
      for (let t = 0; t < n; t++) wide[k * n + t] = (this.wide[h] as Float64Array)[cells[t]]
    })
    return { inverse, z, wide }
  }

  /** y_c = L⁻ e_c, with the cells it reaches. */
  private forwardOf(c: number): Sparse {
    let y = this.forwards[c]
    if (y === undefined) this.forwards[c] = y = sparse(this.calibrated.gram.forwardOfUnit(c), c)
    return y
  }

  /** w_j = L'⁻ e_j, with the cells it reaches. */
  private backwardOf(j: number): Sparse {
    let w = this.backwards[j]
    if (w === undefined) this.backwards[j] = w = sparse(this.calibrated.gram.backwardOfUnit(j))
    return w
  }

  /**
   * Z_ce = x_c'(K − Q)x_e with x = G⁻ e = L'⁻ y, y = L⁻ e: Σ_ij y_c,i y_e,j M_ij over the cells the y reach,
   * M_ij = w_i'(K − Q)w_j. Cells that no later row depends on (units') have a y of few cells and a w of one:
   * their entries cost a few rows of K − Q instead of products with G⁻'s columns.
   */
  private zEntry(yc: Sparse, ye: Sparse): number {
    let z = 0
    for (const i of yc.support) {
      let row = 0
      for (const j of ye.support) row += ye.dense[j] * this.m(i, j)
      z += yc.dense[i] * row
    }
    return z
  }

  /**
   * M_ij = w_i'(K − Q)w_j: over K − Q's rows at the cells of the w that reaches fewer; two that reach many
   * (the dense margins' cells) through (K − Q)w kept per cell, and the entry kept.
   */
  private m(i: number, j: number): number {
    if (this.backwardOf(i).support.length > this.backwardOf(j).support.length) return this.m(j, i)
    const wi = this.backwardOf(i)
    const wj = this.backwardOf(j)
    if (wi.support.length > FEW_CELLS) {
      const key = i <= j ? i * this.p + j : j * this.p + i
      let value = this.wideEntries.get(key)
      if (value === undefined) {
        let kw = this.kqBackwards[j]
        if (kw === undefined) this.kqBackwards[j] = kw = this.timesKQ(wj.dense)
        this.wideEntries.set(key, (value = dot(wi, kw)))
      }
      return value
    }
    const { start, column, value } = this.kq
    let sum = 0
    for (const a of wi.support) {
      let row = 0
      for (let e = start[a]; e < start[a + 1]; e++) row += value[e] * wj.dense[column[e]]
      sum += wi.dense[a] * row
    }
    return sum
  }

  /**
   * β = G⁻ b into set.beta on the set's cells, and for any cell through betaAt. Many cells: one solve, kept
   * whole (this.beta.solved). Few: β on them from the block, and any other cell asked for from their columns of
   * G⁻, kept for the rest of the statistic.
   */
  private betaOf(set: CellSet, b: Float64Array): void {
    const { cells, block, beta } = set
    const n = cells.length
    this.beta = { b, solved: null }
    if (block === null) {
      const dense = new Float64Array(this.p)
      for (let t = 0; t < n; t++) dense[cells[t]] = b[t]
      const solved = this.calibrated.gram.solve(dense)
      for (let t = 0; t < n; t++) beta[t] = solved[cells[t]]
      this.beta.solved = solved
      return
    }
    for (let t = 0; t < n; t++) {
      let value = 0
      for (let u = 0; u < n; u++) value += block.inverse[t * n + u] * b[u]
      beta[t] = value
    }
    this.scratch.beta.start()
  }

  /** β of the statistic being combined (betaOf) at a cell: the PSUs' and the narrow strata's A'β read it. */
  private betaAt(cell: number): number {
    const { b, solved } = this.beta
    if (solved !== null) return solved[cell]
    const t = this.position[cell]
    if (t >= 0) return this.set.beta[t]
    const known = this.scratch.beta
    if (!known.has(cell)) {
      const { cells } = this.set
      let value = 0
      for (let u = 0; u < cells.length; u++) value += this.inverseColumn(cells[u])[cell] * b[u]
      known.add(cell, value)
    }
    return known.sum(cell)
  }

  /** A'β of a PSU's or stratum's cell sums. */
  private fitOf(s: CellSums): number {
    let x = 0
    for (let i = 0; i < s.cells.length; i++) x += s.values[i] * this.betaAt(s.cells[i])
    return x
  }

  /** c_h of stratum h: Σ_h c_h Σ_i t_hi² is the first term of the variance. */
  stratumFactor(h: number): number {
    return this.c[h]
  }

  /** Empty sums for one statistic (scratch space, valid until the next call). */
  sums(): ScoreSums {
    const { scratch } = this
    return { cells: scratch.cells.start(), groups: this.groupSums(), fits: scratch.fits.start(), squares: 0 }
  }

  /** Empty sums of a per group (PSU, or stratum when unclustered), for combineOn. */
  groupSums(): SparseSums {
    return (this.psuCells ? (this.scratch.psus as SparseSums) : this.scratch.strata).start()
  }

  /** V̂ of the residualised scores r, given on `rows` (r is zero elsewhere: the rows of a domain). */
  variance(rows: ArrayLike<number>, r: ArrayLike<number>): number {
    const { batch, calibrated } = this
    const { model, base, weights } = calibrated
    const s = this.sums()
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k]
      for (let m = 0; m < model.margins; m++) s.cells.add(rowCell(model, row, m), base[row] * r[k])
      const aj = weights[row] * r[k]
      if (this.psuCells) s.groups.add((batch.psu as Uint32Array)[row], aj)
      else {
        const h = batch.stratum ? batch.stratum[row] : 0
        s.groups.add(h, aj)
        s.squares += this.c[h] * aj * aj
        for (let m = 0; m < model.margins; m++) s.fits.add(rowCell(model, row, m), this.c[h] * aj * weights[row])
      }
    }
    return this.combine(s)
  }

  /** V̂ from a statistic's sums (`sums`, filled from its rows). */
  combine({ cells, groups, fits, squares }: ScoreSums): number {
    const set = this.cellSet(Int32Array.from({ length: cells.count }, (_, t) => cells.index(t)))
    const b = Float64Array.from(set.cells, (cell) => cells.sum(cell))
    const onCells = new Float64Array(b.length)
    for (let t = 0; t < fits.count; t++) {
      const at = this.position[fits.index(t)]
      if (at < 0) throw new Error('a fit on a cell that b does not touch')
      onCells[at] = fits.sum(fits.index(t))
    }
    return this.combineOn(set, b, onCells, groups, squares)
  }

  /**
   * V̂ from a statistic's sums on the cells of `set` (b, and the fits when unclustered: ScoreSums), its groups'
   * totals of a (groupSums) and Σ c_h a_j².
   */
  combineOn(set: CellSet, b: Float64Array, fits: Float64Array, groups: SparseSums, squares: number): number {
    this.betaOf(set, b)
    const strata = this.psuCells ? this.scratch.strata.start() : groups
    // Σ_h c_h Σ_i (a_hi² − 2 a_hi A_hi'β), a_h by stratum; then β'(K − Q)β and the strata's − d_h (...). The
    // parts are methods of their own so that a province's (many cells, no block) and a unit's are each compiled
    // for their own kind: one function for both was deoptimised at every switch from one to the other.
    let sum = squares + (this.psuCells ? this.psuTerms(groups, strata) : -2 * innerProduct(fits, set.beta))
    sum += set.block
      ? this.blockQuadratic(set.block, b)
      : this.wholeQuadratic(this.beta.solved as Float64Array, set.cells, b)
    return (sum + this.stratumTerms(strata)) * this.scale
  }

  /** Σ_h c_h Σ_i (a_hi² − 2 a_hi A_hi'β) over the PSUs with a total of a, which also go into their strata's. */
  private psuTerms(groups: SparseSums, strata: SparseSums): number {
    const psuCells = this.psuCells as CellSums[]
    const psuStratum = this.design.psuStratum as Uint32Array
    let sum = 0
    for (let t = 0; t < groups.count; t++) {
      const i = groups.index(t)
      const ai = groups.sum(i)
      const h = psuStratum[i]
      strata.add(h, ai)
      sum += this.c[h] * (ai * ai - 2 * ai * this.fitOf(psuCells[i]))
    }
    return sum
  }

  /** β'(K − Q)β on a block's cells (b'Zb), and each wide stratum's A_h'β = v_h'b into wideFit. */
  private blockQuadratic(block: NonNullable<CellSet['block']>, b: Float64Array): number {
    const n = b.length
    let sum = 0
    for (let t = 0; t < n; t++) {
      let row = 0
      for (let u = 0; u < n; u++) row += b[u] * block.z[t * n + u]
      sum += b[t] * row
    }
    for (let k = 0; k < this.wideStrata.length; k++) {
      let x = 0
      for (let t = 0; t < n; t++) x += block.wide[k * n + t] * b[t]
      this.scratch.wideFit[this.wideStrata[k]] = x
    }
    return sum
  }

  /** β'(K − Q)β from β on every cell, and each wide stratum's A_h'β = v_h'b (b on `cells`) into wideFit. */
  private wholeQuadratic(beta: Float64Array, cells: Int32Array, b: Float64Array): number {
    const { start, column, value } = this.kq
    let sum = 0
    for (let i = 0; i < this.p; i++) {
      let row = 0
      for (let e = start[i]; e < start[i + 1]; e++) row += value[e] * beta[column[e]]
      sum += beta[i] * row
    }
    for (const h of this.wideStrata) {
      const v = this.wide[h] as Float64Array
      let x = 0
      for (let t = 0; t < cells.length; t++) x += v[cells[t]] * b[t]
      this.scratch.wideFit[h] = x
    }
    return sum
  }

  /** − Σ_h d_h (a_h² − 2 a_h A_h'β) over the strata with a total of a, and − d_h (A_h'β)² of the wide ones. */
  private stratumTerms(strata: SparseSums): number {
    const { wideFit } = this.scratch
    let sum = 0
    for (const h of this.wideStrata) sum -= this.d[h] * wideFit[h] * wideFit[h]
    for (let t = 0; t < strata.count; t++) {
      const h = strata.index(t)
      const ah = strata.sum(h)
      if (this.d[h] !== 0)
        sum -= this.d[h] * (ah * ah - 2 * ah * (this.wide[h] ? wideFit[h] : this.fitOf(this.stratumCells[h])))
    }
    return sum
  }
}
