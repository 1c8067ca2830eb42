import type { ResponseBatch } from './batch.js'
import type { AnswerClasses } from './classes.js'

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
  /** Codes of group g: 0 ≤ code < codes[g]. */
  readonly codes: Int32Array
  /** Groups made from the same run of columns (see `columnGroups`) share a run number. */
  readonly run: Int32Array
}

/**
 * Codes fit in a byte, and a group's counts for 20,000 cells (≈ 2.5 MB) stay in cache while rows land in them;
 * one loop over the rows reads a group's (up to three) columns.
 */
const MAX_GROUP_CODES = 32
const MAX_GROUP_COLUMNS = 3

/** Groups of tallied columns, never across runs (each run: columns pass two reads together). */
export function columnGroups (classes: AnswerClasses, runs: ReadonlyArray<readonly number[]>): ColumnGroups {
  const start = [0]
  const columns: number[] = []
  const codes: number[] = []
  const run: number[] = []
  runs.forEach((columnsOfRun, r) => {
    let size = 0
    for (const c of columnsOfRun) {
      const fits = size > 0 && size * classes.count[c] <= MAX_GROUP_CODES && columns.length - start[start.length - 1] < MAX_GROUP_COLUMNS
      if (!fits) {
        if (size > 0) { start.push(columns.length); codes.push(size) }
        run.push(r)
        size = 1
      }
      columns.push(c)
      size *= classes.count[c]
    }
    if (size > 0) { start.push(columns.length); codes.push(size) }
  })
  return { classes, start: Int32Array.from(start), columns: Int32Array.from(columns), codes: Int32Array.from(codes), run: Int32Array.from(run) }
}

/** Each row's code in each group: [group][row]. */
export function rowCodes (batch: ResponseBatch, groups: ColumnGroups): Uint8Array[] {
  const { classes, start, columns } = groups
  return Array.from(groups.codes, (_, g) => {
    // A group's part of the code for each answer byte, member by member (a missing member: always 0, reading the first column).
    let radix = 1
    const member = (i: number) => {
      const k = start[g] + i
      if (k >= start[g + 1]) return { column: columns[start[g]], part: new Uint8Array(256) }
      const c = columns[k]
      const part = Uint8Array.from(classes.ofAnswer.subarray(c * 256, (c + 1) * 256), (cls) => cls * radix)
      radix *= classes.count[c]
      return { column: c, part }
    }
    const [a, b, c] = [member(0), member(1), member(2)]
    // The first two members' parts in one table, by both answer bytes: one lookup fewer per row.
    const pair = new Uint8Array(65536)
    for (let x = 0; x < 256; x++) for (let y = 0; y < 256; y++) pair[x << 8 | y] = a.part[x] + b.part[y]
    const out = new Uint8Array(batch.size)
    codesOfRows(out, batch.answers, batch.columns.length, a.column, b.column, c.column, pair, c.part, batch.size)
    return out
  })
}

function codesOfRows (out: Uint8Array, answers: Uint8Array, K: number, c1: number, c2: number, c3: number, pair: Uint8Array, p3: Uint8Array, N: number): void {
  for (let r = 0, row = 0; r < N; r++, row += K) out[r] = pair[answers[row + c1] << 8 | answers[row + c2]] + p3[answers[row + c3]]
}

/** The class of member m of group g in each of its codes: [code × members + m]. */
export function codeClasses (groups: ColumnGroups, g: number): Uint8Array {
  const members = groups.start[g + 1] - groups.start[g]
  const out = new Uint8Array(groups.codes[g] * members)
  for (let code = 0; code < groups.codes[g]; code++) {
    let rest = code
    for (let m = 0; m < members; m++) {
      const n = groups.classes.count[groups.columns[groups.start[g] + m]]
      out[code * members + m] = rest % n
      rest = Math.floor(rest / n)
    }
  }
  return out
}
