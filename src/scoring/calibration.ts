/**
 * Calibration of the sampling weights to known population totals (Deville & Särndal 1992; domain/SIPAS.md §4),
 * as R's survey package computes it:
 * - `poststratify`: postStratify(design, ~a + b, population): one margin, the cross-classification of its
 *   variables; g = N_c / Σ_c w in each cell c.
 * - `linear`: calibrate(design, ~margins, totals, calfun = "linear"), which R hands to regcalibrate:
 *   g_j = 1 + m_j'λ with (Σ w m m')λ = N − Σ w m.
 * - `raking`: calibrate(..., calfun = "raking") through grake: g_j = exp(m_j'η), η found by Newton steps.
 * m_j is row j's model row: one indicator per margin cell. Several margins make these columns linearly
 * dependent (each margin's indicators add up to 1); R's model matrix drops one level per factor instead. Both
 * span the same space, so the g-weights, which depend on that space only, are the same.
 */
import type { ResponseBatch } from './batch.js'
import { distinctSorted, lowerBound } from './sorted-keys.js'

export type CalibrationMethod = 'poststratify' | 'linear' | 'raking'

/** A margin: the variables it cross-classifies, and the population count N of each combination of their values. */
export interface Margin {
  readonly by: readonly string[]
  readonly totals: ReadonlyArray<{ readonly values: readonly string[]; readonly N: number }>
}

export interface CalibrationSpec {
  readonly method: CalibrationMethod
  readonly margins: readonly Margin[]
}

/** A variable's values coded: row r has values[codes[r]], the values distinct. */
export interface CodedValues {
  readonly codes: Uint32Array
  readonly values: readonly string[]
}

/**
 * The values of the margin variables, one per row of the batch: as text, or coded (as the service reads its
 * frame records: a few distinct values, no string per row); `unit` defaults to the batch's units.
 */
export type CalibrationVariables = Readonly<Record<string, ArrayLike<string> | CodedValues>>

const isCoded = (variable: ArrayLike<string> | CodedValues): variable is CodedValues =>
  (variable as CodedValues).codes instanceof Uint32Array

export class CalibrationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CalibrationError'
  }
}

export class CalibrationVariableError extends CalibrationError {
  constructor(readonly variable: string) {
    super(`the data has no variable "${variable}" that a calibration margin names`)
    this.name = 'CalibrationVariableError'
  }
}

export class MarginTotalsError extends CalibrationError {
  constructor(
    readonly margin: string,
    readonly total: number,
    readonly expected: number
  ) {
    super(
      `margin ${margin} adds up to ${total}, the other margins to ${expected}: the totals must describe one population`
    )
    this.name = 'MarginTotalsError'
  }
}

export class CellWithoutTotalError extends CalibrationError {
  constructor(
    readonly margin: string,
    readonly cell: string
  ) {
    super(`margin ${margin}: respondents in cell ${cell}, which has no population total`)
    this.name = 'CellWithoutTotalError'
  }
}

export class CellWithoutRespondentsError extends CalibrationError {
  constructor(
    readonly margin: string,
    readonly cell: string
  ) {
    super(`margin ${margin}: cell ${cell} has a population total but no respondents to carry it`)
    this.name = 'CellWithoutRespondentsError'
  }
}

export class RakingConvergenceError extends CalibrationError {
  constructor(
    readonly iterations: number,
    readonly misfit: number
  ) {
    super(`raking did not converge: after ${iterations} iterations the margins are still ${misfit} off (relative)`)
    this.name = 'RakingConvergenceError'
  }
}

/**
 * The calibration model on the rows: cells of all margins numbered 0..p−1 (margin by margin), the population
 * count of every cell, and the class of every row. Rows with the same cell in every margin form a class: g,
 * and so every sum the calibration takes, depends on the class only, so those sums run over the classes (a
 * province's few thousand) rather than the rows; a row's cells are its class's (rowCell).
 */
export interface CalibrationModel {
  readonly labels: readonly string[]
  /** How many margins: a class has a cell in each. */
  readonly margins: number
  readonly totals: Float64Array
  /** Each row's class, and class k's cell in margin m at classCells[k × margins + m]. */
  readonly classOf: Uint32Array
  readonly classCells: Int32Array
  readonly classes: number
  /** The cell pairs the classes hold (classCellPairs): where Σ_k v_k m_k m_k' adds each class's v. */
  readonly cellPairs: { readonly pattern: SparsePattern; readonly place: Int32Array }
}

/** Row r's cell in margin m. */
export const rowCell = (model: CalibrationModel, r: number, m: number): number =>
  model.classCells[model.classOf[r] * model.margins + m]

export interface CalibratedWeights {
  readonly method: CalibrationMethod
  readonly model: CalibrationModel
  /**
   * w, the design weights before calibration (R: weights(design) as calibrate receives it), per row. This and
   * `weights` are made when first read: the row-by-row paths need them, the tallies' path only the classes' g.
   */
  readonly base: Float64Array
  /** g of each class of the model. */
  readonly factors: Float64Array
  /** g·w, the calibrated weights, per row. */
  readonly weights: Float64Array
  /** Newton steps taken (raking); 0 for the closed forms. */
  readonly iterations: number
  /** Σ_j w_j m_j m_j', factorised: the residualising regression of the variance (calibrated-variance.ts). */
  readonly gram: Gram
}

/**
 * Raking stops when every cell's |N_c − Σ_c g·w| / (1 + N_c) < RAKING_EPSILON, checked after each Newton step
 * as grake does; R's default epsilon, 1e-7, leaves the weights up to 1e-7 off the fixed point, too far for
 * figures equal to 1e-9, so both R's fixtures (epsilon = 1e-12) and this iterate further. Newton converges
 * quadratically: 4–8 steps in practice. RAKING_MAX_ITERATIONS is grake's default maxit.
 */
export const RAKING_EPSILON = 1e-11
export const RAKING_MAX_ITERATIONS = 50

const key = (values: readonly string[]) => values.join('\u0000')
const marginName = (m: Margin) => m.by.join(' × ')
const cellName = (m: Margin, values: readonly string[]) => m.by.map((v, i) => `${v}=${values[i]}`).join(', ')

/** A variable's values as numbers (row r has values[codes[r]]), and the code of each value. */
interface CodedVariable extends CodedValues {
  readonly codeOf: ReadonlyMap<string, number>
}

function withCodeOf({ codes, values }: CodedValues): CodedVariable {
  const codeOf = new Map(values.map((value, code) => [value, code]))
  if (codeOf.size !== values.length) throw new CalibrationError('a coded variable gives a value twice')
  return { codes, values, codeOf }
}

function codedVariable(values: ArrayLike<string>): CodedVariable {
  const codeOf = new Map<string, number>()
  const distinct: string[] = []
  const codes = new Uint32Array(values.length)
  for (let r = 0; r < values.length; r++) {
    let code = codeOf.get(values[r])
    if (code === undefined) {
      code = distinct.length
      codeOf.set(values[r], code)
      distinct.push(values[r])
    }
    codes[r] = code
  }
  return { codes, values: distinct, codeOf }
}

/** Above this many keys, a lookup by key goes through a Map instead of a table of all keys. */
const DENSE_KEYS = 1 << 24

/**
 * Numbers the distinct keys of the rows (each below `range`), in order of appearance, through a table when the
 * range is small enough, in loops of typed arrays only; also each id's first row. The caller fills the keys in a
 * loop of its own: a function called per row cost more than the numbering.
 */
export function numberKeys(keys: Float64Array, range: number): { ids: Uint32Array; count: number; first: Int32Array } {
  const ids = new Uint32Array(keys.length)
  const first: number[] = []
  if (range <= DENSE_KEYS) numberThroughTable(keys, new Int32Array(range).fill(-1), ids, first)
  else {
    const map = new Map<number, number>()
    for (let r = 0; r < keys.length; r++) {
      let id = map.get(keys[r])
      if (id === undefined) {
        map.set(keys[r], (id = first.length))
        first.push(r)
      }
      ids[r] = id
    }
  }
  return { ids, count: first.length, first: Int32Array.from(first) }
}

function numberThroughTable(keys: Float64Array, table: Int32Array, ids: Uint32Array, first: number[]): void {
  for (let r = 0; r < keys.length; r++) {
    const k = keys[r]
    if (table[k] === -1) {
      table[k] = first.length
      first.push(r)
    }
    ids[r] = table[k]
  }
}

/** A combination of a margin's variables' codes as one number (mixed radix). */
const combinationOf = (codes: readonly number[], radix: readonly number[]): number =>
  codes.reduce((k, c, i) => k + c * radix[i], 0)

/** Rows to cells, margin by margin, with the errors R's postStratify and calibrate raise (named, not printed). */
export function calibrationModel(
  batch: ResponseBatch,
  variables: CalibrationVariables,
  margins: readonly Margin[]
): CalibrationModel {
  if (margins.length === 0) throw new CalibrationError('calibration needs at least one margin')
  const coded = new Map<string, CodedVariable>()
  const column = (name: string): CodedVariable => {
    let variable = coded.get(name)
    if (variable === undefined) {
      const values = variables[name]
      if (values === undefined && name === 'unit') variable = withCodeOf({ codes: batch.unit, values: batch.units })
      else if (values === undefined || (isCoded(values) ? values.codes : values).length !== batch.size)
        throw new CalibrationVariableError(name)
      else variable = isCoded(values) ? withCodeOf(values) : codedVariable(values)
      coded.set(name, variable)
    }
    return variable
  }
  const labels: string[] = []
  const totals: number[] = []
  // Per margin: its variables, the radix of each in a combination of their codes, and each combination's cell.
  const lookups: Array<{ columns: CodedVariable[]; radix: number[]; cellOf: Map<number, number> }> = []
  let grandTotal: number | null = null
  // Margin m's cells are offset[m] to offset[m + 1] − 1.
  const offset = [0]
  for (const margin of margins) {
    if (margin.by.length === 0) throw new CalibrationError('a margin names no variables')
    const columns = margin.by.map(column)
    // A combination of the variables' codes as one number (mixed radix), and each combination's cell.
    const radix = columns.map((_, i) => columns.slice(0, i).reduce((n, c) => n * c.values.length, 1))
    const cellOfCombination = new Map<number, number>()
    const given = new Set<string>()
    let sum = 0
    for (const { values, N } of margin.totals) {
      if (values.length !== margin.by.length || !(N >= 0) || !Number.isFinite(N))
        throw new CalibrationError(`margin ${marginName(margin)}: cell ${cellName(margin, values)} has total ${N}`)
      if (given.has(key(values)))
        throw new CalibrationError(`margin ${marginName(margin)}: cell ${cellName(margin, values)} is given twice`)
      given.add(key(values))
      const codes = values.map((v, i) => columns[i].codeOf.get(v))
      // A cell with population but no respondents cannot be reached by any weight (R: "Some strata absent from
      // sample" in postStratify, a singular system in calibrate). Empty cells of the frame are dropped, as R does.
      if (codes.some((c) => c === undefined)) {
        if (N > 0) throw new CellWithoutRespondentsError(marginName(margin), cellName(margin, values))
      } else cellOfCombination.set(combinationOf(codes as number[], radix), labels.length)
      labels.push(cellName(margin, values))
      totals.push(N)
      sum += N
    }
    if (grandTotal !== null && Math.abs(sum - grandTotal) > 1e-9 * grandTotal)
      throw new MarginTotalsError(marginName(margin), sum, grandTotal)
    grandTotal ??= sum
    lookups.push({ columns, radix, cellOf: cellOfCombination })
    offset.push(labels.length)
  }
  // The classes are the combinations of the variables' values met: each margin's cell follows from them, so
  // rows share their cells exactly when they share those values, and a class's cells are its first row's.
  const { classOf, classes, first } = classesOf([...coded.values()], batch.size)
  const M = margins.length
  const classCells = new Int32Array(classes * M)
  lookups.forEach(({ columns, radix, cellOf }, m) => {
    for (let k = 0; k < classes; k++) {
      const codes = columns.map((c) => c.codes[first[k]])
      const cell = cellOf.get(combinationOf(codes, radix))
      // The first row of the first class without a cell is the first row without one (classes as met).
      if (cell === undefined) {
        const values = codes.map((code, i) => columns[i].values[code])
        throw new CellWithoutTotalError(marginName(margins[m]), cellName(margins[m], values))
      }
      classCells[k * M + m] = cell
    }
  })
  // A cell with a total but no row (its values each occur, not together): the classes hold every cell met.
  const met = new Uint8Array(labels.length)
  for (const cell of classCells) met[cell] = 1
  const empty = totals.findIndex((N, cell) => N > 0 && met[cell] === 0)
  if (empty !== -1)
    throw new CellWithoutRespondentsError(marginName(margins[offset.findIndex((o) => o > empty) - 1]), labels[empty])
  const cellPairs = classCellPairs(classCells, classes, M, labels.length)
  return { labels, margins: M, totals: Float64Array.from(totals), classOf, classCells, classes, cellPairs }
}

/**
 * The rows' classes: the combinations of the variables' codes met, numbered as met, with each class's first
 * row. A row's combination is one number (mixed radix over the variables), renumbered as met whenever the
 * next variable would take it past a table's size.
 */
function classesOf(
  variables: readonly CodedValues[],
  size: number
): { classOf: Uint32Array; classes: number; first: Int32Array } {
  const keys = new Float64Array(size)
  let range = 1
  for (const { codes, values } of variables) {
    if (range * values.length > DENSE_KEYS) {
      const { ids, count } = numberKeys(keys, range)
      keys.set(ids)
      range = count
    }
    range *= values.length
    appendDigit(keys, codes, values.length)
  }
  const { ids: classOf, count: classes, first } = numberKeys(keys, range)
  return { classOf, classes, first }
}

/**
 * Each row's key followed by its code of one variable, as a digit of the variable's width. Variable by
 * variable: one typed array per loop runs twice as fast as the array of variables.
 */
function appendDigit(keys: Float64Array, codes: Uint32Array, width: number) {
  for (let r = 0; r < keys.length; r++) keys[r] = keys[r] * width + codes[r]
}

/** A sparse matrix's entries row by row (compressed rows: row i's columns, ascending, from `start[i]` to `start[i + 1]`). */
export interface SparseRows {
  readonly start: Int32Array
  readonly column: Int32Array
  readonly value: Float64Array
}

/** The places of a sparse matrix's entries: as SparseRows without the values. */
export interface SparsePattern {
  readonly start: Int32Array
  readonly column: Int32Array
}

/** Up to this many possible entries (p²), a pattern is found through a table of them all, not by sorting its keys. */
const DENSE_ENTRIES = 1 << 22

/**
 * The distinct entries among `keys` (row · p + column) as a pattern, and the place of each key in it: a sum of
 * terms on those keys adds term i into value[place[i]], in the order of the keys. A province's 1,000 cells
 * have a million possible entries: marking them in a table and reading it in order costs a few milliseconds,
 * where sorting the keys (81,000 of the raking benchmark's Gram) and finding each cost fifteen.
 */
export function sparsePattern(p: number, keys: Float64Array): { pattern: SparsePattern; place: Int32Array } {
  const start = new Int32Array(p + 1)
  const place = new Int32Array(keys.length)
  let entries: Float64Array
  if (p * p <= DENSE_ENTRIES) {
    const entryOf = new Int32Array(p * p)
    for (let i = 0; i < keys.length; i++) entryOf[keys[i]] = 1
    const found = new Float64Array(Math.min(keys.length, p * p))
    let distinct = 0
    for (let k = 0; k < p * p; k++)
      if (entryOf[k] === 1) {
        found[distinct] = k
        entryOf[k] = ++distinct
      }
    entries = found.subarray(0, distinct)
    for (let i = 0; i < keys.length; i++) place[i] = entryOf[keys[i]] - 1
  } else {
    entries = distinctSorted(keys)
    for (let i = 0; i < keys.length; i++) place[i] = lowerBound(entries, keys[i])
  }
  const column = new Int32Array(entries.length)
  for (let e = 0; e < entries.length; e++) {
    start[Math.floor(entries[e] / p) + 1]++
    column[e] = entries[e] % p
  }
  for (let i = 0; i < p; i++) start[i + 1] += start[i]
  return { pattern: { start, column }, place }
}

/**
 * The cell pairs of the classes (Σ_k v_k m_k m_k' is non-zero on these only): their pattern, and the place of
 * class k's pair (a, b) of margins at place[(k × margins + a) × margins + b].
 */
function classCellPairs(classCells: Int32Array, classes: number, M: number, p: number) {
  const keys = new Float64Array(classes * M * M)
  for (let k = 0, i = 0; k < classes; k++)
    for (let a = 0; a < M; a++)
      for (let b = 0; b < M; b++) keys[i++] = classCells[k * M + a] * p + classCells[k * M + b]
  return sparsePattern(p, keys)
}

/**
 * A symmetric positive semi-definite p×p matrix (both triangles given), Cholesky-factorised with the columns
 * that depend on earlier ones left out (their coefficient is 0): the normal equations of indicator columns
 * that overlap. The factorisation is sparse (left-looking: column j of L from the earlier columns with a
 * non-zero in row j), as is the factor kept: with the unit margin first, a province's 1,000s of unit cells
 * factor into a diagonal and a few dense rows (channel, respondent type), so both cost those entries instead
 * of p². Every entry is summed in the order of the dense algorithm (earlier columns first), and skipping
 * exact zeros changes no sum.
 */
export class Gram {
  private readonly kept: Uint8Array
  private readonly diagonal: Float64Array
  /** L's columns (rows k > i, ascending), which are the rows of L', and L's rows (columns k < i). */
  private readonly columns: SparseRows
  private readonly rows: SparseRows

  constructor(
    readonly size: number,
    matrix: SparseRows
  ) {
    const p = size
    this.kept = new Uint8Array(p)
    this.diagonal = new Float64Array(p)
    // L by rows (columns k < i: those that column i is made from) and by columns (rows k > i), both
    // ascending, as its columns are finished.
    const rowColumns: number[][] = Array.from({ length: p }, () => [])
    const rowValues: number[][] = Array.from({ length: p }, () => [])
    const columnRows: number[][] = []
    const columnValues: number[][] = []
    // Column k's rows below row j: from used[k] + 1 once column j has used it (row j is its next row).
    const used = new Int32Array(p)
    const work = new Float64Array(p)
    const mark = new Int32Array(p).fill(-1)
    for (let j = 0; j < p; j++) {
      const below: number[] = []
      let diagonal = 0
      for (let e = matrix.start[j]; e < matrix.start[j + 1]; e++) {
        const i = matrix.column[e]
        if (i === j) diagonal = matrix.value[e]
        else if (i > j) {
          mark[i] = j
          work[i] = matrix.value[e]
          below.push(i)
        }
      }
      let d = diagonal
      const ks = rowColumns[j]
      for (let t = 0; t < ks.length; t++) {
        const k = ks[t]
        const ljk = rowValues[j][t]
        d -= ljk * ljk
        const rows = columnRows[k]
        const values = columnValues[k]
        for (let e = used[k]++ + 1; e < rows.length; e++) {
          const i = rows[e]
          if (mark[i] !== j) {
            mark[i] = j
            work[i] = 0
            below.push(i)
          }
          work[i] -= values[e] * ljk
        }
      }
      const rows: number[] = []
      const values: number[] = []
      columnRows.push(rows)
      columnValues.push(values)
      // A column in the span of the earlier ones leaves only rounding behind.
      if (!(d > 1e-10 * diagonal)) continue
      this.kept[j] = 1
      const root = Math.sqrt(d)
      this.diagonal[j] = root
      for (const i of below.sort((x, y) => x - y)) {
        const v = work[i] / root
        if (v === 0) continue
        rows.push(i)
        values.push(v)
        rowColumns[i].push(j)
        rowValues[i].push(v)
      }
    }
    this.columns = compressedRows(columnRows, columnValues)
    this.rows = compressedRows(rowColumns, rowValues)
  }

  /**
   * x with G x = b on the kept columns (0 on the others): G⁻ = L'⁻ L⁻, `backward` of `forward`. L y = b column
   * by column: y_i gets b_i − L_ik y_k for k ascending, as row by row, but a zero y_k is skipped with its
   * column, so that a b of few cells (a column of G⁻) costs the cells it reaches rather than all of L.
   */
  solve(b: ArrayLike<number>): Float64Array {
    return this.backward(this.forward(b))
  }

  /** L⁻ b (0 on the left-out columns). */
  forward(b: ArrayLike<number>): Float64Array {
    return this.forwardFrom(Float64Array.from(b), 0)
  }

  /** L⁻ e_k: zero above k, so the columns from k on only (a unit's cell reaches the few cells after the units). */
  forwardOfUnit(k: number): Float64Array {
    const y = new Float64Array(this.size)
    y[k] = 1
    return this.forwardFrom(y, k)
  }

  /** L⁻ y in place, y being zero above `from`. */
  private forwardFrom(y: Float64Array, from: number): Float64Array {
    const { columns } = this
    for (let k = from; k < this.size; k++) {
      if (!this.kept[k]) {
        y[k] = 0
        continue
      }
      const yk = (y[k] /= this.diagonal[k])
      if (yk === 0) continue
      for (let e = columns.start[k]; e < columns.start[k + 1]; e++) y[columns.column[e]] -= columns.value[e] * yk
    }
    return y
  }

  /** L'⁻ y, in place (y zero on the left-out columns). */
  private backward(y: Float64Array): Float64Array {
    const backward = this.columns
    for (let i = this.size - 1; i >= 0; i--) {
      if (!this.kept[i]) continue
      let s = y[i]
      for (let e = backward.start[i]; e < backward.start[i + 1]; e++) s -= backward.value[e] * y[backward.column[e]]
      y[i] = s / this.diagonal[i]
    }
    return y
  }

  /**
   * L'⁻ e_k, column by column from k down, skipping zeros (L's rows): the cells it reaches only, e_k / L_kk
   * for a cell no later row depends on (a unit's, with the unit margin first).
   */
  backwardOfUnit(k: number): Float64Array {
    const x = new Float64Array(this.size)
    x[k] = 1
    const { rows } = this
    for (let j = k; j >= 0; j--) {
      if (x[j] === 0) continue
      if (!this.kept[j]) {
        x[j] = 0
        continue
      }
      const xj = (x[j] /= this.diagonal[j])
      for (let e = rows.start[j]; e < rows.start[j + 1]; e++) x[rows.column[e]] -= rows.value[e] * xj
    }
    return x
  }
}

function compressedRows(columns: readonly number[][], values: readonly number[][]): SparseRows {
  const start = new Int32Array(columns.length + 1)
  columns.forEach((row, i) => (start[i + 1] = start[i] + row.length))
  // Copied row by row: flat() and TypedArray.from over a Gram's hundreds of thousands of entries took longer
  // than the factorisation.
  const column = new Int32Array(start[columns.length])
  const value = new Float64Array(start[columns.length])
  columns.forEach((row, i) => {
    column.set(row, start[i])
    value.set(values[i], start[i])
  })
  return { start, column, value }
}

/** Σ_k v_k m_k m_k' over the classes k (v per class), on the classes' cell pairs. */
export function classPairSums(model: CalibrationModel, v: ArrayLike<number>): SparseRows {
  const { pattern, place } = model.cellPairs
  const value = new Float64Array(pattern.column.length)
  const MM = model.margins ** 2
  for (let k = 0; k < model.classes; k++) for (let e = k * MM; e < (k + 1) * MM; e++) value[place[e]] += v[k]
  return { ...pattern, value }
}

/** Σ_k v_k m_k m_k' over the classes k (v per class), factorised. */
export function weightedGram(model: CalibrationModel, v: ArrayLike<number>): Gram {
  return new Gram(model.totals.length, classPairSums(model, v))
}

/** Σ_j v_j m_j: the weighted total of every cell (v per row). */
export function cellTotals(model: CalibrationModel, v: ArrayLike<number>): Float64Array {
  const t = new Float64Array(model.totals.length)
  for (let m = 0; m < model.margins; m++) for (let r = 0; r < v.length; r++) t[rowCell(model, r, m)] += v[r]
  return t
}

/** Σ_k v_k m_k: the weighted total of every cell (v per class). */
function classCellTotals(model: CalibrationModel, v: ArrayLike<number>): Float64Array {
  const t = new Float64Array(model.totals.length)
  const M = model.margins
  for (let k = 0; k < model.classes; k++) for (let m = 0; m < M; m++) t[model.classCells[k * M + m]] += v[k]
  return t
}

/** m_k'λ for every class k. */
export function fitted(model: CalibrationModel, lambda: ArrayLike<number>): Float64Array {
  const M = model.margins
  const f = new Float64Array(model.classes)
  for (let k = 0; k < model.classes; k++) for (let m = 0; m < M; m++) f[k] += lambda[model.classCells[k * M + m]]
  return f
}

/** postStratify: g = N_c / Σ_c w (W: Σ w of each class). */
export function poststratifyFactors(model: CalibrationModel, W: Float64Array): Float64Array {
  if (model.margins !== 1)
    throw new CalibrationError('poststratify takes one margin: cross-classify its variables in one "by"')
  const sums = classCellTotals(model, W)
  return Float64Array.from(model.classCells, (c) => model.totals[c] / sums[c])
}

/** regcalibrate: g = 1 + m'λ, (Σ w m m')λ = N − Σ w m. */
export function linearFactors(model: CalibrationModel, W: Float64Array, gram: Gram): Float64Array {
  const misfit = classCellTotals(model, W).map((t, c) => model.totals[c] - t)
  return fitted(model, gram.solve(misfit)).map((f) => 1 + f)
}

/**
 * grake with calfun = cal.raking (Fm1(u) = exp(u) − 1, dF(u) = exp(u)): Newton steps on η from 0,
 * T = Σ w·exp(m'η) m m', Δη = T⁻(N − Σ w·exp(m'η) m), halving a step whose weights overflow. As grake,
 * weights far below the totals (every N_c / Σ_c w > 20) are first scaled by the mean ratio.
 */
export function rakingFactors(model: CalibrationModel, W: Float64Array): { g: Float64Array; iterations: number } {
  const N = model.totals
  const ratios = classCellTotals(model, W).map((t, c) => N[c] / t)
  const usable = ratios.filter(Number.isFinite)
  const scale = Math.min(...usable) > 20 ? usable.reduce((a, b) => a + b, 0) / usable.length : 1
  const w = W.map((x) => x * scale)
  const p = N.length
  let eta = new Float64Array(p)
  let g = new Float64Array(w.length).fill(1)
  const misfitOf = (gg: Float64Array) =>
    classCellTotals(
      model,
      w.map((x, k) => x * gg[k])
    ).map((t, c) => N[c] - t)
  let misfit = misfitOf(g)
  for (let iteration = 1; iteration <= RAKING_MAX_ITERATIONS; iteration++) {
    let step = weightedGram(
      model,
      w.map((x, k) => x * g[k])
    ).solve(misfit)
    let next = eta.map((e, c) => e + step[c])
    let gNext = fitted(model, next).map(Math.exp)
    while (iteration < RAKING_MAX_ITERATIONS && gNext.some((x) => !Number.isFinite(x))) {
      iteration++
      step = step.map((s) => s / 2)
      next = next.map((e, c) => e - step[c])
      gNext = fitted(model, next).map(Math.exp)
    }
    eta = next
    g = gNext
    misfit = misfitOf(g)
    const worst = Math.max(...misfit.map((m, c) => Math.abs(m) / (1 + Math.abs(N[c]))))
    if (worst < RAKING_EPSILON) return { g: g.map((x) => x * scale), iterations: iteration }
    if (iteration === RAKING_MAX_ITERATIONS) throw new RakingConvergenceError(iteration, worst)
  }
  throw new RakingConvergenceError(RAKING_MAX_ITERATIONS, Number.NaN)
}

/** g·w of every row, g being its class's. */
function calibratedRowWeights(base: Float64Array, g: Float64Array, classOf: Uint32Array): Float64Array {
  const weights = new Float64Array(base.length)
  for (let r = 0; r < base.length; r++) weights[r] = base[r] * g[classOf[r]]
  return weights
}

/** The calibrated weights of a batch, with what the variance needs to residualise against the same model. */
export function calibrateWeights(
  batch: ResponseBatch,
  variables: CalibrationVariables,
  spec: CalibrationSpec
): CalibratedWeights {
  const model = calibrationModel(batch, variables, spec.margins)
  const { classOf } = model
  const weight = batch.weight
  const W = new Float64Array(model.classes)
  if (weight) for (let r = 0; r < batch.size; r++) W[classOf[r]] += weight[r]
  else for (let r = 0; r < batch.size; r++) W[classOf[r]] += 1
  const gram = weightedGram(model, W)
  let g: Float64Array
  let iterations = 0
  if (spec.method === 'poststratify') g = poststratifyFactors(model, W)
  else if (spec.method === 'linear') g = linearFactors(model, W, gram)
  else ({ g, iterations } = rakingFactors(model, W))
  // Margins that agree in their grand totals can still contradict each other (unit and unit × channel with
  // different unit counts): then no weights meet them all, and the solution misses some.
  const reached = classCellTotals(
    model,
    W.map((w, k) => w * g[k])
  )
  model.totals.forEach((N, c) => {
    if (Math.abs(reached[c] - N) > 1e-6 * (1 + N))
      throw new CalibrationError(`the margins contradict each other: cell ${model.labels[c]} cannot reach ${N}`)
  })
  let base: Float64Array | undefined
  let weights: Float64Array | undefined
  return {
    method: spec.method,
    model,
    factors: g,
    iterations,
    gram,
    get base() {
      return (base ??= weight ? weight.slice() : new Float64Array(batch.size).fill(1))
    },
    get weights() {
      return (weights ??= calibratedRowWeights(this.base, g, classOf))
    }
  }
}
