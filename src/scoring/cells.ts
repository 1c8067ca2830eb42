import type { Design, ResponseBatch } from './batch.js'

/**
 * The cells of a batch: its rows grouped by unit and by group (the stratum, or the PSU in clustered designs),
 * numbered unit by unit with groups ascending. A domain is a set of units and a variance sums over groups, so
 * cells are the finest pieces both are made of.
 */
export interface Cells {
  /** Whether groups are PSUs (clustered design) or strata. */
  readonly clustered: boolean
  readonly count: number
  /** Each cell's unit (index into the batch's units) and group (the design's numbering). */
  readonly unit: Uint32Array
  readonly group: Uint32Array
  readonly rows: Uint32Array
  /** The cell of each row. */
  readonly ofRow: Int32Array
  /**
   * The weight all rows of a cell share, per cell; null when some cell mixes weights. Weights are usually
   * N_h/n_h, constant within a stratum: then Σw and Σw² follow from counts, and pass one only counts.
   */
  readonly weight: Float64Array | null
}

/** Above this many (unit, group) pairs, cells are found by sorting keys rather than through a table of all pairs. */
const DENSE_PAIRS = 1 << 24

export const groupCount = (design: Design, clustered: boolean): number => clustered ? (design.psus as readonly string[]).length : design.strata.length

export function cellsOf (batch: ResponseBatch, design: Design): Cells {
  const N = batch.size
  const clustered = batch.psu !== null
  const G = groupCount(design, clustered)
  const groupOfRow = batch.psu ?? batch.stratum ?? new Uint32Array(N)
  const ofRow = new Int32Array(N)
  const keys = batch.units.length * G <= DENSE_PAIRS
    ? numberPairs(ofRow, batch.unit, groupOfRow, batch.units.length * G, G, N)
    : numberSortedKeys(ofRow, batch.unit, groupOfRow, G, N)
  const count = keys.length
  const unit = Uint32Array.from(keys, (k) => Math.floor(k / G))
  const group = Uint32Array.from(keys, (k) => k % G)
  const rows = new Uint32Array(count)
  countRows(rows, ofRow, N)
  return { clustered, count, unit, group, rows, ofRow, weight: sharedWeights(batch.weight, ofRow, count) }
}

/** Marks the (unit, group) pairs present, numbers them in key order (unit-major), then gives each row its cell; returns the keys. */
function numberPairs (ofRow: Int32Array, unitOfRow: Uint32Array, groupOfRow: Uint32Array, pairs: number, G: number, N: number): Float64Array {
  const cellOfPair = new Int32Array(pairs)
  for (let r = 0; r < N; r++) cellOfPair[unitOfRow[r] * G + groupOfRow[r]] = 1
  const found: number[] = []
  for (let k = 0; k < pairs; k++) {
    if (cellOfPair[k] === 1) { cellOfPair[k] = found.length; found.push(k) } else cellOfPair[k] = -1
  }
  for (let r = 0; r < N; r++) ofRow[r] = cellOfPair[unitOfRow[r] * G + groupOfRow[r]]
  return Float64Array.from(found)
}

/** The same numbering for designs with too many pairs for a table: the distinct keys, sorted; a binary search per row. */
function numberSortedKeys (ofRow: Int32Array, unitOfRow: Uint32Array, groupOfRow: Uint32Array, G: number, N: number): Float64Array {
  const rowKeys = new Float64Array(N)
  for (let r = 0; r < N; r++) rowKeys[r] = unitOfRow[r] * G + groupOfRow[r]
  const sorted = rowKeys.slice().sort()
  const keys = sorted.filter((k, i) => i === 0 || k !== sorted[i - 1])
  for (let r = 0; r < N; r++) ofRow[r] = lowerBound(keys, rowKeys[r])
  return keys
}

function countRows (rows: Uint32Array, ofRow: Int32Array, N: number): void {
  for (let r = 0; r < N; r++) rows[ofRow[r]]++
}

function lowerBound (sorted: Float64Array, key: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

function sharedWeights (weight: Float64Array | null, ofRow: Int32Array, count: number): Float64Array | null {
  const shared = new Float64Array(count).fill(1)
  if (weight === null) return shared
  const seen = new Uint8Array(count)
  for (let r = 0; r < ofRow.length; r++) {
    const c = ofRow[r]
    if (seen[c] === 0) { seen[c] = 1; shared[c] = weight[r] } else if (shared[c] !== weight[r]) return null
  }
  return shared
}

/**
 * Rows in cell order (a counting sort): cell c's rows take the places start[c] ≤ p < start[c + 1], in row
 * order, and row r's place is place[r]. Scores written at those places are read cell by cell, with the cell's
 * domain tables and accumulators hot in cache, instead of at random for rows in arrival order.
 */
export function cellOrder (cells: Cells): { start: Int32Array, place: Int32Array } {
  const start = new Int32Array(cells.count + 1)
  for (let c = 0; c < cells.count; c++) start[c + 1] = start[c] + cells.rows[c]
  const next = start.slice(0, cells.count)
  const place = new Int32Array(cells.ofRow.length)
  for (let r = 0; r < place.length; r++) place[r] = next[cells.ofRow[r]]++
  return { start, place }
}
