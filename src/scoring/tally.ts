import type { Design, ResponseBatch } from './batch.js'
import { cellsOf, type Cells } from './cells.js'
import { sameClasses, type AnswerClasses } from './classes.js'
import { codeClasses, rowCodes, type ColumnGroups } from './groups.js'

/**
 * The mergeable partial aggregate of responses: for each cell (a unit within a stratum, or within a PSU when
 * the design has clusters), its rows and, for each tallied column and answer class, the count of rows, Σw and
 * Σw². Every point estimate follows from it, and so does the SE of every single-question index (a row's
 * linearised score depends only on its answer to that question). Tallies of disjoint sets of rows add up to
 * the tallies of their union, so they can come from batches, from ingestion, or from other machines.
 *
 * Arrays are laid out column by column ([tallied column][cell][class]), with room for `capacity` cells of
 * which the first `cells` are used.
 */
export interface Tallies {
  readonly classes: AnswerClasses
  readonly clustered: boolean
  readonly units: string[]
  cells: number
  capacity: number
  /** Each cell's unit (index into `units`) and group (stratum, or PSU when clustered; the design's numbering). */
  cellUnit: Uint32Array
  cellGroup: Uint32Array
  cellRows: Float64Array
  count: Uint32Array
  /**
   * When every row of a cell has the same weight, Σw and Σw² are count·w and count·w²: the weight of each cell.
   * Otherwise (null) they are summed row by row into sumW and sumW2.
   */
  cellWeight: Float64Array | null
  sumW: Float64Array | null
  sumW2: Float64Array | null
}

/** Where a cell's classes start in the arrays, for the tallied column at `place` in `classes.tallied`. */
const tallyAt = (t: Tallies, place: number, cell: number): number => (place * t.capacity + cell) * t.classes.stride

/** Pass one over a batch: O(columns) per row. */
export function tally (batch: ResponseBatch, design: Design, groups: ColumnGroups): Tallies {
  return tallyRows(batch, cellsOf(batch, design), groups).tallies
}

/**
 * Pass one over a batch whose cells are known; also returns the rows' group codes, which pass two reuses.
 * Per group of columns, its codes are counted per cell ([cell][code]: ≈ 1 MB for 20,000 cells in 16 bits, in
 * cache while a million rows land in it at random), then each column's counts per class follow from the code counts.
 */
export function tallyRows (batch: ResponseBatch, cells: Cells, groups: ColumnGroups): { tallies: Tallies, codes: Uint8Array[] } {
  const { classes } = groups
  const { stride, tallied } = classes
  const width = cells.count * stride
  const count = new Uint32Array(tallied.length * width)
  const sums = cells.weight === null ? { sumW: new Float64Array(count.length), sumW2: new Float64Array(count.length) } : null
  const codes = rowCodes(batch, groups)
  const most = Math.max(0, ...groups.codes) * cells.count
  // Counts of a cell's codes fit in 16 bits unless a cell has 65,536 rows or more: half the memory hit at random.
  const small = sums === null && cells.rows.every((n) => n < 65536)
  const joint = { count: small ? new Uint16Array(most) : new Uint32Array(most), sumW: new Float64Array(sums ? most : 0), sumW2: new Float64Array(sums ? most : 0) }
  codes.forEach((codesOfGroup, g) => {
    const size = groups.codes[g] * cells.count
    joint.count.fill(0, 0, size)
    if (sums) {
      joint.sumW.fill(0, 0, size)
      joint.sumW2.fill(0, 0, size)
      weighCodes(joint.count as Uint32Array, joint.sumW, joint.sumW2, cells.ofRow, codesOfGroup, groups.codes[g], batch.weight as Float64Array, batch.size)
    } else if (joint.count instanceof Uint16Array) {
      countSmall(joint.count, cells.ofRow, codesOfGroup, groups.codes[g], batch.size)
    } else {
      countCodes(joint.count, cells.ofRow, codesOfGroup, groups.codes[g], batch.size)
    }
    const members = groups.start[g + 1] - groups.start[g]
    const at = Int32Array.from({ length: members }, (_, m) => classes.position[groups.columns[groups.start[g] + m]] * width)
    const classOf = codeClasses(groups, g)
    splitCounts(count, at, joint.count, classOf, members, groups.codes[g], cells.count, stride)
    if (sums) {
      splitCounts(sums.sumW, at, joint.sumW, classOf, members, groups.codes[g], cells.count, stride)
      splitCounts(sums.sumW2, at, joint.sumW2, classOf, members, groups.codes[g], cells.count, stride)
    }
  })
  const tallies = {
    classes,
    clustered: cells.clustered,
    units: [...batch.units],
    cells: cells.count,
    capacity: cells.count,
    cellUnit: cells.unit.slice(),
    cellGroup: cells.group.slice(),
    cellRows: Float64Array.from(cells.rows),
    count,
    cellWeight: cells.weight,
    sumW: sums?.sumW ?? null,
    sumW2: sums?.sumW2 ?? null
  }
  return { tallies, codes }
}

// The loops over rows are top-level functions of typed arrays: V8 compiles them to tight machine code.

function countCodes (count: Uint32Array, ofRow: Int32Array, codes: Uint8Array, size: number, N: number): void {
  for (let r = 0; r < N; r++) count[ofRow[r] * size + codes[r]]++
}

/** countCodes into 16-bit counts: a loop of its own, so that each loop sees one array type. */
function countSmall (count: Uint16Array, ofRow: Int32Array, codes: Uint8Array, size: number, N: number): void {
  for (let r = 0; r < N; r++) count[ofRow[r] * size + codes[r]]++
}

function weighCodes (count: Uint32Array, sumW: Float64Array, sumW2: Float64Array, ofRow: Int32Array, codes: Uint8Array, size: number, weight: Float64Array, N: number): void {
  for (let r = 0; r < N; r++) {
    const i = ofRow[r] * size + codes[r]
    const w = weight[r]
    count[i]++
    sumW[i] += w
    sumW2[i] += w * w
  }
}

/** Per cell, each code's count (or sum) added to the class it holds in each member column: to[at[m] + cell·stride + class]. */
function splitCounts (to: Uint32Array | Float64Array, at: Int32Array, joint: Uint16Array | Uint32Array | Float64Array, classOf: Uint8Array, members: number, size: number, cells: number, stride: number): void {
  for (let cell = 0, j = 0; cell < cells; cell++) {
    for (let code = 0; code < size; code++, j++) {
      const v = joint[j]
      if (v === 0) continue
      for (let m = 0; m < members; m++) to[at[m] + cell * stride + classOf[code * members + m]] += v
    }
  }
}

/** Empty tallies, to add others into. */
export function emptyTallies (classes: AnswerClasses, clustered: boolean): Tallies {
  return { classes, clustered, units: [], cells: 0, capacity: 0, cellUnit: new Uint32Array(0), cellGroup: new Uint32Array(0), cellRows: new Float64Array(0), count: new Uint32Array(0), cellWeight: new Float64Array(0), sumW: null, sumW2: null }
}

/**
 * Adds `from` into `into`, in place: cells of the same unit (by name) and group add up, new ones are appended
 * (the arrays grow by doubling, so adding many parts one by one stays linear). Weights stay per cell while
 * both sides have them and agree on the cells they share.
 */
export function addTallies (into: Tallies, from: Tallies): Tallies {
  if (!sameClasses(into.classes, from.classes) || into.clustered !== from.clustered) {
    throw new Error('tallies of different columns or designs cannot be merged')
  }
  const unitOf = new Map(into.units.map((u, i) => [u, i]))
  const fromUnit = from.units.map((name) => {
    let u = unitOf.get(name)
    if (u === undefined) { u = into.units.length; into.units.push(name); unitOf.set(name, u) }
    return u
  })
  // Cells by (unit, group), as a number: units and groups both stay far below 2^26.
  const key = (unit: number, group: number) => unit * 67108864 + group
  const cellOf = new Map<number, number>()
  for (let c = 0; c < into.cells; c++) cellOf.set(key(into.cellUnit[c], into.cellGroup[c]), c)
  const target = new Int32Array(from.cells)
  let cells = into.cells
  for (let c = 0; c < from.cells; c++) {
    const k = key(fromUnit[from.cellUnit[c]], from.cellGroup[c])
    let to = cellOf.get(k)
    if (to === undefined) { to = cells++; cellOf.set(k, to) }
    target[c] = to
  }
  if (!cellWeightsAgree(into, from, target, cells)) sumRowByRow(into)
  if (cells > into.capacity) grow(into, Math.max(cells, 2 * into.capacity))
  for (let c = 0; c < from.cells; c++) {
    const to = target[c]
    if (to >= into.cells) {
      into.cellUnit[to] = fromUnit[from.cellUnit[c]]
      into.cellGroup[to] = from.cellGroup[c]
      if (into.cellWeight) into.cellWeight[to] = (from.cellWeight as Float64Array)[c]
    }
    into.cellRows[to] += from.cellRows[c]
  }
  into.cells = cells
  const { stride } = into.classes
  const fromW = from.cellWeight
  for (let t = 0; t < into.classes.tallied.length; t++) {
    for (let c = 0; c < from.cells; c++) {
      const src = tallyAt(from, t, c)
      const dst = tallyAt(into, t, target[c])
      for (let k = 0; k < stride; k++) {
        const n = from.count[src + k]
        into.count[dst + k] += n
        if (into.sumW && into.sumW2) {
          into.sumW[dst + k] += fromW ? n * fromW[c] : (from.sumW as Float64Array)[src + k]
          into.sumW2[dst + k] += fromW ? n * fromW[c] * fromW[c] : (from.sumW2 as Float64Array)[src + k]
        }
      }
    }
  }
  return into
}

/** The tallies of the union of two disjoint sets of rows of the same design. */
export function mergeTallies (a: Tallies, b: Tallies): Tallies {
  return addTallies(addTallies(emptyTallies(a.classes, a.clustered), a), b)
}

/**
 * The same rows as one pseudo-unit `unit`: one cell per group, the units' cells added up. Exact for every total
 * over all the units together (national estimates from provinces, and their single-question SEs), and as
 * small as the design's groups.
 */
export function rollUpTallies (t: Tallies, unit: string): Tallies {
  return addTallies(emptyTallies(t.classes, t.clustered), { ...t, units: [unit], cellUnit: new Uint32Array(t.capacity) })
}

/** Whether every cell of the sum still has a single weight (`target`: the cell each of `from`'s goes to). */
function cellWeightsAgree (into: Tallies, from: Tallies, target: Int32Array, cells: number): boolean {
  if (into.cellWeight === null || from.cellWeight === null) return false
  const weight = new Float64Array(cells)
  weight.set(into.cellWeight.subarray(0, into.cells))
  const set = new Uint8Array(cells).fill(1, 0, into.cells)
  for (let c = 0; c < from.cells; c++) {
    const to = target[c]
    if (set[to] === 0) { set[to] = 1; weight[to] = from.cellWeight[c] } else if (weight[to] !== from.cellWeight[c]) return false
  }
  return true
}

/** From per-cell weights to Σw, Σw² kept per class. */
function sumRowByRow (t: Tallies): void {
  if (t.cellWeight === null) return
  const sumW = new Float64Array(t.count.length)
  const sumW2 = new Float64Array(t.count.length)
  const { stride } = t.classes
  for (let k = 0; k < t.classes.tallied.length; k++) {
    for (let c = 0; c < t.cells; c++) {
      const w = t.cellWeight[c]
      for (let i = tallyAt(t, k, c), end = i + stride; i < end; i++) { sumW[i] = t.count[i] * w; sumW2[i] = t.count[i] * w * w }
    }
  }
  t.sumW = sumW
  t.sumW2 = sumW2
  t.cellWeight = null
}

function grow (t: Tallies, capacity: number): void {
  const { stride, tallied } = t.classes
  const relayout = <A extends Uint32Array | Float64Array>(a: A, make: (n: number) => A): A => {
    const b = make(tallied.length * capacity * stride)
    for (let k = 0; k < tallied.length; k++) b.set(a.subarray(k * t.capacity * stride, (k * t.capacity + t.cells) * stride), k * capacity * stride)
    return b
  }
  const widen = <A extends Uint32Array | Float64Array>(a: A, make: (n: number) => A): A => { const b = make(capacity); b.set(a.subarray(0, t.cells)); return b }
  t.count = relayout(t.count, (n) => new Uint32Array(n))
  if (t.sumW && t.sumW2) { t.sumW = relayout(t.sumW, (n) => new Float64Array(n)); t.sumW2 = relayout(t.sumW2, (n) => new Float64Array(n)) }
  t.cellUnit = widen(t.cellUnit, (n) => new Uint32Array(n))
  t.cellGroup = widen(t.cellGroup, (n) => new Uint32Array(n))
  t.cellRows = widen(t.cellRows, (n) => new Float64Array(n))
  if (t.cellWeight) t.cellWeight = widen(t.cellWeight, (n) => new Float64Array(n))
  t.capacity = capacity
}
