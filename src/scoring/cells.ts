import { ownRoom, type Design, type ResponseBatch, type Room } from './batch.js'
import { distinctSorted, lowerBound } from './sorted-keys.js'

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
  /**
   * Rows in cell order (a counting sort): cell c's rows take the places start[c] ≤ p < start[c + 1], in row
   * order, and row r's place is place[r]. Both passes read a cell's rows together, with the cell's counts,
   * tables and accumulators in cache, instead of rows in arrival order, at random among cells.
   */
  readonly start: Int32Array
  readonly place: Int32Array
  /**
   * The weight all rows of a cell share, per cell; null when some cell mixes weights. Weights are usually
   * N_h/n_h, constant within a stratum: then Σw and Σw² follow from counts, and pass one only counts.
   */
  readonly weight: Float64Array | null
}

/** Above this many (unit, group) pairs, cells are found by sorting keys rather than through a table of all pairs. */
const DENSE_PAIRS = 1 << 24

export const groupCount = (design: Design, clustered: boolean): number =>
  clustered ? (design.psus as readonly string[]).length : design.strata.length

/** The batch's cells; `room` holds the rows' places (the one array as long as the batch). */
export function cellsOf(batch: ResponseBatch, design: Design, room: Room = ownRoom): Cells {
  const N = batch.size
  const clustered = batch.psu !== null
  const G = groupCount(design, clustered)
  const groupOfRow = batch.psu ?? batch.stratum ?? new Uint32Array(N)
  const pairs = batch.units.length * G
  // Each row's cell: through a table of all (unit, group) pairs, or, with too many pairs for one, per row.
  const {
    keys,
    rows,
    place: placeRows
  } = pairs <= DENSE_PAIRS
    ? numberPairs(batch.unit, groupOfRow, pairs, G, N, room)
    : numberSortedKeys(batch.unit, groupOfRow, G, N, room)
  const count = keys.length
  const unit = new Uint32Array(count)
  const group = new Uint32Array(count)
  for (let c = 0; c < count; c++) {
    unit[c] = Math.floor(keys[c] / G)
    group[c] = keys[c] % G
  }
  const start = new Int32Array(count + 1)
  for (let c = 0; c < count; c++) start[c + 1] = start[c] + rows[c]
  const place = placeRows(start.slice(0, count))
  return {
    clustered,
    count,
    unit,
    group,
    rows,
    start,
    place,
    weight: sharedWeights(batch.weight, { count, group, start, place }, groupOfRow, G)
  }
}

/**
 * The cells found: their (unit, group) keys in order (unit-major), their rows, and each row's place in cell
 * order given each cell's first place (`next`, used up as rows are placed).
 */
interface Numbering {
  keys: Float64Array
  rows: Uint32Array
  place: (next: Int32Array) => Int32Array
}

/** Through a table of all (unit, group) pairs: their rows counted, then each pair's cell. */
function numberPairs(
  unitOfRow: Uint32Array,
  groupOfRow: Uint32Array,
  pairs: number,
  G: number,
  N: number,
  room: Room
): Numbering {
  const cellOfPair = new Int32Array(pairs)
  for (let r = 0; r < N; r++) cellOfPair[unitOfRow[r] * G + groupOfRow[r]]++
  const keys: number[] = []
  const rows: number[] = []
  for (let k = 0; k < pairs; k++) {
    if (cellOfPair[k] === 0) continue
    rows.push(cellOfPair[k])
    cellOfPair[k] = keys.length
    keys.push(k)
  }
  return {
    keys: Float64Array.from(keys),
    rows: Uint32Array.from(rows),
    place: (next) => placeByPair(new Int32Array(room(4 * N), 0, N), cellOfPair, unitOfRow, groupOfRow, G, next)
  }
}

/** For designs with too many pairs for a table: the distinct keys, sorted, and each row's cell by binary search. */
function numberSortedKeys(
  unitOfRow: Uint32Array,
  groupOfRow: Uint32Array,
  G: number,
  N: number,
  room: Room
): Numbering {
  const rowKeys = new Float64Array(N)
  for (let r = 0; r < N; r++) rowKeys[r] = unitOfRow[r] * G + groupOfRow[r]
  const keys = distinctSorted(rowKeys)
  const cellOfRow = new Int32Array(N)
  const rows = new Uint32Array(keys.length)
  for (let r = 0; r < N; r++) {
    cellOfRow[r] = lowerBound(keys, rowKeys[r])
    rows[cellOfRow[r]]++
  }
  return { keys, rows, place: (next) => placeByRow(new Int32Array(room(4 * N), 0, N), cellOfRow, next) }
}

function placeByPair(
  place: Int32Array,
  cellOfPair: Int32Array,
  unitOfRow: Uint32Array,
  groupOfRow: Uint32Array,
  G: number,
  next: Int32Array
): Int32Array {
  for (let r = 0; r < place.length; r++) place[r] = next[cellOfPair[unitOfRow[r] * G + groupOfRow[r]]]++
  return place
}

function placeByRow(place: Int32Array, cellOfRow: Int32Array, next: Int32Array): Int32Array {
  for (let r = 0; r < place.length; r++) place[r] = next[cellOfRow[r]]++
  return place
}

/**
 * The weight all rows of each cell share, or null if some cell mixes weights. Weights are usually one per
 * group (N_h/n_h per stratum), which one look at each row against a table of G settles; otherwise each row is
 * compared with its cell's first row.
 */
function sharedWeights(
  rowWeight: Float64Array | null,
  cells: { count: number; group: Uint32Array; start: Int32Array; place: Int32Array },
  groupOfRow: Uint32Array,
  G: number
): Float64Array | null {
  const weight = new Float64Array(cells.count).fill(1)
  if (rowWeight === null) return weight
  const N = rowWeight.length
  const ofGroup = new Float64Array(G).fill(Number.NaN)
  let r = 0
  for (; r < N; r++) {
    const g = groupOfRow[r]
    if (ofGroup[g] === rowWeight[r]) continue
    if (!Number.isNaN(ofGroup[g]) || Number.isNaN(rowWeight[r])) break
    ofGroup[g] = rowWeight[r]
  }
  if (r === N) {
    for (let c = 0; c < cells.count; c++) weight[c] = ofGroup[cells.group[c]]
    return weight
  }
  const inPlace = new Float64Array(N)
  for (let r = 0; r < N; r++) inPlace[cells.place[r]] = rowWeight[r]
  for (let c = 0; c < cells.count; c++) {
    weight[c] = inPlace[cells.start[c]]
    for (let p = cells.start[c]; p < cells.start[c + 1]; p++) if (inPlace[p] !== weight[c]) return null
  }
  return weight
}
