import { ownRoom, type Design, type ResponseBatch, type Room } from './batch.js'
import { cellsOf, type Cells } from './cells.js'
import { sameClasses, type AnswerClasses } from './classes.js'
import { cellCodes, type CellCodes, type ColumnGroups } from './groups.js'
import { join, js, kernel, type Js, type KernelSource } from './kernel.js'

/**
 * The mergeable partial aggregate of responses: for each cell (a unit within a stratum, or within a PSU when
 * the design has clusters), its rows and, for each tallied column and answer class, the count of rows, Σw and
 * Σw². Every point estimate follows from it, and so does the SE of every single-question index (a row's
 * linearised score depends only on its answer to that question). Tallies of disjoint sets of rows add up to
 * the tallies of their union, so they can come from batches, from ingestion, or from other machines.
 *
 * Arrays are laid out cell by cell ([cell][tallied column][class]), with room for `capacity` cells of which
 * the first `cells` are used.
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

/** The numbers a cell holds: classes of every tallied column. */
export const cellWidth = (classes: AnswerClasses): number => classes.tallied.length * classes.stride

/** Pass one over a batch: O(columns) per row. */
export function tally(batch: ResponseBatch, design: Design, groups: ColumnGroups): Tallies {
  return tallyRows(batch, cellsOf(batch, design), groups).tallies
}

/**
 * Pass one over a batch whose cells are known; also returns the rows' group codes in cell order, which pass
 * two reuses. Cell by cell, its rows' codes are counted per group (one increment for up to three answers, in
 * a table that stays in cache), then each member column's counts per class follow from the code counts. The
 * tallies' counts (and Σw, Σw²) are made in `room`.
 */
export function tallyRows(
  batch: ResponseBatch,
  cells: Cells,
  groups: ColumnGroups,
  room: Room = ownRoom
): { tallies: Tallies; codes: CellCodes } {
  const codes = cellCodes(batch, cells, groups)
  const tallies = cellTallies(batch.units, cells, groups.classes, room)
  countCells(tallies, codes, cells, groups, 0, cells.count)
  return { tallies, codes }
}

/** Zeroed tallies of the cells, their counts (and Σw, Σw² where a cell's rows mix weights) in `room`. */
export function cellTallies(
  units: readonly string[],
  cells: Cells,
  classes: AnswerClasses,
  room: Room = ownRoom
): Tallies {
  const size = cells.count * cellWidth(classes)
  const weighed = cells.weight === null
  return {
    classes,
    clustered: cells.clustered,
    units: [...units],
    cells: cells.count,
    capacity: cells.count,
    cellUnit: cells.unit.slice(),
    cellGroup: cells.group.slice(),
    cellRows: Float64Array.from(cells.rows),
    count: new Uint32Array(room(4 * size), 0, size),
    cellWeight: cells.weight,
    sumW: weighed ? new Float64Array(room(8 * size), 0, size) : null,
    sumW2: weighed ? new Float64Array(room(8 * size), 0, size) : null
  }
}

/**
 * Pass one's counts of cells from … to − 1 (Σw and Σw² too where rows mix weights), into `tallies`: parts of
 * the cells may be counted on other threads. Every cell's rows must be coded first.
 */
export function countCells(
  tallies: Tallies,
  { codes, weight }: CellCodes,
  cells: Cells,
  groups: ColumnGroups,
  from: number,
  to: number
): void {
  const width = cellWidth(groups.classes)
  const count = tallies.count.subarray(from * width, to * width)
  const start = cells.start.subarray(from)
  if (tallies.sumW && tallies.sumW2)
    weighKernel(groups)(
      count,
      tallies.sumW.subarray(from * width, to * width),
      tallies.sumW2.subarray(from * width, to * width),
      codes,
      start,
      to - from,
      weight as Float64Array
    )
  else countKernel(groups)(count, codes, start, to - from, new Uint32Array(groups.codes.reduce((n, k) => n + k, 0)))
}

/** Cells of fewer rows than this add each row's classes directly: counting their codes first would not pay. */
const FEW_ROWS = 8

/**
 * Per group g and member m: where the member column's classes start in a cell (its place × stride), and its
 * radix and classes (its class in code k is ⌊k / radix⌋ mod classes).
 */
function members(groups: ColumnGroups): Array<Array<{ at: number; radix: number; classes: number }>> {
  const { classes, columns, radix, start } = groups
  return Array.from(groups.codes, (_, g) =>
    Array.from({ length: start[g + 1] - start[g] }, (_, m) => {
      const c = columns[start[g] + m]
      return { at: classes.position[c] * classes.stride, radix: radix[start[g] + m], classes: classes.count[c] }
    })
  )
}

/** Source adding `by` to each member's class of the row's code in group g (read from codes[p + g]) in cell o. */
const addRowClasses = (groups: ColumnGroups, to: Js, by: Js): Js =>
  join(
    members(groups).map((ms, g) => {
      const adds = ms.map((m) => js`${to}[o + ${m.at} + ((k / ${m.radix}) | 0) % ${m.classes}] += ${by}`)
      return js`{ const k = codes[p + ${g}]; ${join(adds, js`; `)} }`
    }),
    js`\n`
  )

type Count = (count: Uint32Array, codes: Uint8Array, start: Int32Array, cells: number, local: Uint32Array) => void

const countKernel = (groups: ColumnGroups): Count => kernel<Count>(countSource(groups))

/**
 * The kernel (kernel.ts) of pass one's counts. For each cell, with o its first place in `count`: if it has
 * FEW_ROWS rows or more, its rows' codes are counted per group in `local` (group g's codes from the sum of the
 * previous groups' code counts), then each member column's count of a class is the sum of the counts of the
 * codes holding that class, and `local` is cleared; a smaller cell adds each row's classes directly.
 */
export function countSource(groups: ColumnGroups): KernelSource {
  const G = groups.codes.length
  const offset: number[] = []
  let used = 0
  for (const k of groups.codes) {
    offset.push(used)
    used += k
  }
  const counts = Array.from(groups.codes, (_, g) => js`local[${offset[g]} + codes[p + ${g}]]++`)
  // Per group: its code counts read into variables and cleared, then each member's class count set to the
  // sum of the counts of the codes with that class (each column is in one group: set, not added).
  const split = members(groups).map((ms, g) => {
    const codes = Array.from({ length: groups.codes[g] }, (_, k) => k)
    const read = codes.map((k) => js`const v${k} = local[${offset[g] + k}]; local[${offset[g] + k}] = 0`)
    const sums = ms.flatMap((m) =>
      Array.from({ length: m.classes }, (_, x) => {
        const holding = codes.filter((k) => Math.floor(k / m.radix) % m.classes === x).map((k) => js`v${k}`)
        return js`count[o + ${m.at + x}] = ${join(holding, js` + `)}`
      })
    )
    return js`{ ${join([...read, ...sums], js`; `)} }`
  })
  return {
    name: "pass one: each cell's count of every class of every tallied column, cells whose rows share a weight (tally.ts)",
    params: ['count', 'codes', 'start', 'cells', 'local'],
    body: js`
    for (let cell = 0; cell < cells; cell++) {
      const from = start[cell] * ${G}
      const to = start[cell + 1] * ${G}
      const o = cell * ${cellWidth(groups.classes)}
      if (to - from < ${FEW_ROWS * G}) {
        for (let p = from; p < to; p += ${G}) {
          ${addRowClasses(groups, js`count`, js`1`)}
        }
        continue
      }
      for (let p = from; p < to; p += ${G}) {
        ${join(counts, js`\n        `)}
      }
      ${join(split, js`\n      `)}
    }`
  }
}

type Weigh = (
  count: Uint32Array,
  sumW: Float64Array,
  sumW2: Float64Array,
  codes: Uint8Array,
  start: Int32Array,
  cells: number,
  weight: Float64Array
) => void

const weighKernel = (groups: ColumnGroups): Weigh => kernel<Weigh>(weighSource(groups))

/** The kernel for cells whose rows mix weights: each row's classes get 1, its weight and its square, row by row. */
export function weighSource(groups: ColumnGroups): KernelSource {
  const G = groups.codes.length
  return {
    name: "pass one: each cell's count, Σw and Σw² of every class of every tallied column, rows of mixed weights (tally.ts)",
    params: ['count', 'sumW', 'sumW2', 'codes', 'start', 'cells', 'weight'],
    body: js`
    for (let cell = 0; cell < cells; cell++) {
      const o = cell * ${cellWidth(groups.classes)}
      for (let row = start[cell], p = row * ${G}; row < start[cell + 1]; row++, p += ${G}) {
        const w = weight[row]
        const w2 = w * w
        ${addRowClasses(groups, js`count`, js`1`)}
        ${addRowClasses(groups, js`sumW`, js`w`)}
        ${addRowClasses(groups, js`sumW2`, js`w2`)}
      }
    }`
  }
}

/** Empty tallies, to add others into. */
export function emptyTallies(classes: AnswerClasses, clustered: boolean): Tallies {
  return {
    classes,
    clustered,
    units: [],
    cells: 0,
    capacity: 0,
    cellUnit: new Uint32Array(0),
    cellGroup: new Uint32Array(0),
    cellRows: new Float64Array(0),
    count: new Uint32Array(0),
    cellWeight: new Float64Array(0),
    sumW: null,
    sumW2: null
  }
}

/**
 * Adds `from` into `into`, in place: cells of the same unit (by name) and group add up, new ones are appended
 * (the arrays grow by doubling, so adding many parts one by one stays linear). Weights stay per cell while
 * both sides have them and agree on the cells they share.
 */
export function addTallies(into: Tallies, from: Tallies): Tallies {
  if (!sameClasses(into.classes, from.classes) || into.clustered !== from.clustered) {
    throw new Error('tallies of different columns or designs cannot be merged')
  }
  const unitOf = new Map(into.units.map((u, i) => [u, i]))
  const fromUnit = from.units.map((name) => {
    let u = unitOf.get(name)
    if (u === undefined) {
      u = into.units.length
      into.units.push(name)
      unitOf.set(name, u)
    }
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
    if (to === undefined) {
      to = cells++
      cellOf.set(k, to)
    }
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
  const width = cellWidth(into.classes)
  const fromW = from.cellWeight
  for (let c = 0; c < from.cells; c++) {
    const src = c * width
    const dst = target[c] * width
    for (let k = 0; k < width; k++) {
      const n = from.count[src + k]
      into.count[dst + k] += n
      if (into.sumW && into.sumW2) {
        into.sumW[dst + k] += fromW ? n * fromW[c] : (from.sumW as Float64Array)[src + k]
        into.sumW2[dst + k] += fromW ? n * fromW[c] * fromW[c] : (from.sumW2 as Float64Array)[src + k]
      }
    }
  }
  return into
}

/** The tallies of the union of two disjoint sets of rows of the same design. */
export function mergeTallies(a: Tallies, b: Tallies): Tallies {
  return addTallies(addTallies(emptyTallies(a.classes, a.clustered), a), b)
}

/**
 * The same rows as one pseudo-unit `unit`: one cell per group, the units' cells added up. Exact for every total
 * over all the units together (national estimates from provinces, and their single-question SEs), and as
 * small as the design's groups.
 */
export function rollUpTallies(t: Tallies, unit: string): Tallies {
  return addTallies(emptyTallies(t.classes, t.clustered), {
    ...t,
    units: [unit],
    cellUnit: new Uint32Array(t.capacity)
  })
}

/** Whether every cell of the sum still has a single weight (`target`: the cell each of `from`'s goes to). */
function cellWeightsAgree(into: Tallies, from: Tallies, target: Int32Array, cells: number): boolean {
  if (into.cellWeight === null || from.cellWeight === null) return false
  const weight = new Float64Array(cells)
  weight.set(into.cellWeight.subarray(0, into.cells))
  const set = new Uint8Array(cells).fill(1, 0, into.cells)
  for (let c = 0; c < from.cells; c++) {
    const to = target[c]
    if (set[to] === 0) {
      set[to] = 1
      weight[to] = from.cellWeight[c]
    } else if (weight[to] !== from.cellWeight[c]) return false
  }
  return true
}

/** From per-cell weights to Σw, Σw² kept per class. */
function sumRowByRow(t: Tallies): void {
  if (t.cellWeight === null) return
  const sumW = new Float64Array(t.count.length)
  const sumW2 = new Float64Array(t.count.length)
  const width = cellWidth(t.classes)
  for (let c = 0; c < t.cells; c++) {
    const w = t.cellWeight[c]
    for (let i = c * width, end = i + width; i < end; i++) {
      sumW[i] = t.count[i] * w
      sumW2[i] = t.count[i] * w * w
    }
  }
  t.sumW = sumW
  t.sumW2 = sumW2
  t.cellWeight = null
}

function grow(t: Tallies, capacity: number): void {
  const width = cellWidth(t.classes)
  const widen = <A extends Uint32Array | Float64Array>(a: A, per: number, make: (n: number) => A): A => {
    const b = make(capacity * per)
    b.set(a.subarray(0, t.cells * per))
    return b
  }
  t.count = widen(t.count, width, (n) => new Uint32Array(n))
  if (t.sumW && t.sumW2) {
    t.sumW = widen(t.sumW, width, (n) => new Float64Array(n))
    t.sumW2 = widen(t.sumW2, width, (n) => new Float64Array(n))
  }
  t.cellUnit = widen(t.cellUnit, 1, (n) => new Uint32Array(n))
  t.cellGroup = widen(t.cellGroup, 1, (n) => new Uint32Array(n))
  t.cellRows = widen(t.cellRows, 1, (n) => new Float64Array(n))
  if (t.cellWeight) t.cellWeight = widen(t.cellWeight, 1, (n) => new Float64Array(n))
  t.capacity = capacity
}
