import { ownRoom, type ResponseBatch, type Room } from './batch.js'
import type { Cells } from './cells.js'
import type { AnswerClasses } from './classes.js'
import { join, js, kernel, type KernelSource } from './kernel.js'

/**
 * Column groups: the tallied columns in groups of up to three, and per row one small code per group, the
 * answer classes of its columns in mixed radix (27 codes for three criteria). Both passes work on codes:
 * pass one counts a group's codes per cell (one increment for three answers) and derives each column's
 * counts; pass two adds a few group codes into a code per chunk instead of reading the answers again.
 */
export interface ColumnGroups {
  readonly classes: AnswerClasses
  /** Columns of group g: columns[start[g]] .. columns[start[g + 1] − 1], the first with radix 1. */
  readonly start: Int32Array
  readonly columns: Int32Array
  /** Each column's radix in its group's code (the product of the class counts before it): its class is ⌊code / radix⌋ mod classes. */
  readonly radix: Int32Array
  /** Codes of group g: 0 ≤ code < codes[g]. */
  readonly codes: Int32Array
  /** Groups made from the same run of columns (see `columnGroups`) share a run number. */
  readonly run: Int32Array
}

/**
 * Codes fit in a byte. Up to three columns: a cell's class counts are sums of its code counts, so larger
 * groups mean fewer codes to write and count per row but more to sum per cell (~50 rows). Groups of two
 * measured the same as three; four would give 81 codes to sum per group and cell.
 */
const MAX_GROUP_CODES = 32
const MAX_GROUP_COLUMNS = 3

/** Groups of tallied columns, never across runs (each run: columns pass two reads together). */
export function columnGroups(classes: AnswerClasses, runs: ReadonlyArray<readonly number[]>): ColumnGroups {
  const start = [0]
  const columns: number[] = []
  const radix: number[] = []
  const codes: number[] = []
  const run: number[] = []
  runs.forEach((columnsOfRun, r) => {
    let size = 0
    for (const c of columnsOfRun) {
      const fits =
        size > 0 &&
        size * classes.count[c] <= MAX_GROUP_CODES &&
        columns.length - start[start.length - 1] < MAX_GROUP_COLUMNS
      if (!fits) {
        if (size > 0) {
          start.push(columns.length)
          codes.push(size)
        }
        run.push(r)
        size = 1
      }
      columns.push(c)
      radix.push(size)
      size *= classes.count[c]
    }
    if (size > 0) {
      start.push(columns.length)
      codes.push(size)
    }
  })
  return {
    classes,
    start: Int32Array.from(start),
    columns: Int32Array.from(columns),
    radix: Int32Array.from(radix),
    codes: Int32Array.from(codes),
    run: Int32Array.from(run)
  }
}

/**
 * The rows' group codes in cell order (see `Cells`): the row at place p has code codes[p × groups + g]
 * in group g. Both passes then read a cell's rows as one run of bytes, with its counts and tables in cache.
 */
export interface CellCodes {
  readonly codes: Uint8Array
  /** Row weights in cell order when the rows of some cell do not share one weight; else null. */
  readonly weight: Float64Array | null
}

/** One pass over the answers: each row's codes, written at its place in cell order. */
export function cellCodes(batch: ResponseBatch, cells: Cells, groups: ColumnGroups): CellCodes {
  const out = emptyCellCodes(batch.size, cells, groups)
  codeRows(out, batch, cells, groups, 0, batch.size)
  return out
}

/**
 * Room in `room` for the codes of `size` rows and, where a cell's rows mix weights (pass one sums them), the
 * weights placed in cell order with them.
 */
export function emptyCellCodes(size: number, cells: Cells, groups: ColumnGroups, room: Room = ownRoom): CellCodes {
  return {
    codes: new Uint8Array(room(size * groups.codes.length), 0, size * groups.codes.length),
    weight: cells.weight === null ? new Float64Array(room(8 * size), 0, size) : null
  }
}

/** Rows from … to − 1 of cellCodes' pass, into `out` (parts of the rows may be coded on other threads). */
export function codeRows(
  out: CellCodes,
  batch: ResponseBatch,
  cells: Cells,
  groups: ColumnGroups,
  from: number,
  to: number
): void {
  const K = batch.columns.length
  const { scan, part } = codeScan(groups, K)
  const place = cells.place.subarray(from, to)
  scan(out.codes, batch.answers.subarray(from * K, to * K), place, part, to - from)
  if (out.weight === null) return
  const w = (batch.weight as Float64Array).subarray(from, to)
  for (let r = 0; r < place.length; r++) out.weight[place[r]] = w[r]
}

type Scan = (out: Uint8Array, answers: Uint8Array, place: Int32Array, part: Uint8Array, N: number) => void

/** Each tallied column's class of every answer byte times its radix: part[k × 256 + answer], k the column's place in `columns`. */
function partTable(groups: ColumnGroups): Uint8Array {
  const { classes, columns, radix } = groups
  const part = new Uint8Array(columns.length * 256)
  for (let k = 0; k < columns.length; k++) {
    const c = columns[k]
    for (let a = 0; a < 256; a++) part[k * 256 + a] = classes.ofAnswer[c * 256 + a] * radix[k]
  }
  return part
}

function codeScan(groups: ColumnGroups, K: number): { scan: Scan; part: Uint8Array } {
  return { scan: kernel<Scan>(codeScanSource(groups, K)), part: partTable(groups) }
}

/**
 * The kernel (see kernel.ts) that, for each row r of N (K answers each), writes its code in every group g at
 * out[place[r] × G + g]: the sum over the group's columns c (the k-th of `columns`) of
 * part[k × 256 + answers[r × K + c]] (see `partTable`).
 */
export function codeScanSource(groups: ColumnGroups, K: number): KernelSource {
  const { start, columns } = groups
  const G = groups.codes.length
  const sums = Array.from(groups.codes, (_, g) => {
    const terms = Array.from(
      { length: start[g + 1] - start[g] },
      (_, i) => js`part[${(start[g] + i) * 256} + answers[row + ${columns[start[g] + i]}]]`
    )
    return js`out[at + ${g}] = ${join(terms, js` + `)}`
  })
  return {
    name: "pass one: each row's code in every group of columns, at its place in cell order (groups.ts)",
    params: ['out', 'answers', 'place', 'part', 'N'],
    body: js`
    for (let r = 0, row = 0; r < N; r++, row += ${K}) {
      const at = place[r] * ${G}
      ${join(
        sums,
        js`
      `
      )}
    }`
  }
}
