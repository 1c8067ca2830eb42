import { MISSING, type Design, type ResponseBatch } from './batch.js'

/**
 * The mergeable partial aggregate of responses: for each cell (a unit within a stratum, or within a PSU
 * when the design has clusters), for each column and each answer slot, the count of rows, Σ w and Σ w².
 * Every point estimate follows from it, and so does the SE of every single-question index (a row's
 * linearised score depends only on its answer to that question). Tallies of disjoint sets of rows add up
 * to the tallies of their union, so they can come from batches, from ingestion, or from other machines.
 */
export interface Tallies {
  readonly columns: readonly string[]
  readonly slots: number
  /** Whether a cell's group is a PSU (clustered design) or a stratum. */
  readonly clustered: boolean
  readonly cellUnit: string[]
  /** Stratum index, or PSU index in clustered designs (the design's numbering). */
  readonly cellGroup: number[]
  /** [cell][column][slot], flat. */
  count: Float64Array
  sumW: Float64Array
  sumW2: Float64Array
}

function grow (array: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  if (array.length >= length) return array
  const bigger = new Float64Array(Math.max(length, array.length * 2))
  bigger.set(array)
  return bigger
}

/** One pass over a batch: O(columns) per row. */
export function tally (batch: ResponseBatch, design: Design, slots: number): Tallies {
  const K = batch.columns.length
  const width = K * slots
  const clustered = batch.psu !== null
  const groups = clustered ? (design.psus as readonly string[]).length : design.strata.length
  const cellOf = new Int32Array(batch.units.length * groups).fill(-1)
  const cellUnit: string[] = []
  const cellGroup: number[] = []
  let count = new Float64Array(width * 64)
  let sumW = new Float64Array(width * 64)
  let sumW2 = new Float64Array(width * 64)
  const { answers, unit, stratum, psu, weight } = batch
  const missingSlot = slots - 1
  for (let r = 0; r < batch.size; r++) {
    const group = psu ? psu[r] : stratum ? stratum[r] : 0
    const key = unit[r] * groups + group
    let cell = cellOf[key]
    if (cell < 0) {
      cell = cellOf[key] = cellUnit.length
      cellUnit.push(batch.units[unit[r]])
      cellGroup.push(group)
      count = grow(count, (cell + 1) * width)
      sumW = grow(sumW, (cell + 1) * width)
      sumW2 = grow(sumW2, (cell + 1) * width)
    }
    const w = weight ? weight[r] : 1
    const w2 = w * w
    const base = cell * width
    const row = r * K
    for (let c = 0; c < K; c++) {
      const a = answers[row + c]
      const i = base + c * slots + (a === MISSING ? missingSlot : a)
      count[i]++
      sumW[i] += w
      sumW2[i] += w2
    }
  }
  const used = cellUnit.length * width
  return { columns: batch.columns, slots, clustered, cellUnit, cellGroup, count: count.slice(0, used), sumW: sumW.slice(0, used), sumW2: sumW2.slice(0, used) }
}

/** The tallies of the union of two disjoint sets of rows of the same design. */
export function mergeTallies (a: Tallies, b: Tallies): Tallies {
  if (a.columns.join('\u0000') !== b.columns.join('\u0000') || a.slots !== b.slots || a.clustered !== b.clustered) {
    throw new Error('tallies of different columns or designs cannot be merged')
  }
  const width = a.columns.length * a.slots
  const index = new Map<string, number>()
  const cellUnit: string[] = []
  const cellGroup: number[] = []
  for (const t of [a, b]) {
    t.cellUnit.forEach((u, i) => {
      const key = `${u}\u0000${t.cellGroup[i]}`
      if (!index.has(key)) { index.set(key, cellUnit.length); cellUnit.push(u); cellGroup.push(t.cellGroup[i]) }
    })
  }
  const out = { columns: a.columns, slots: a.slots, clustered: a.clustered, cellUnit, cellGroup, count: new Float64Array(cellUnit.length * width), sumW: new Float64Array(cellUnit.length * width), sumW2: new Float64Array(cellUnit.length * width) }
  for (const t of [a, b]) {
    t.cellUnit.forEach((u, i) => {
      const at = (index.get(`${u}\u0000${t.cellGroup[i]}`) as number) * width
      for (let j = 0; j < width; j++) {
        out.count[at + j] += t.count[i * width + j]
        out.sumW[at + j] += t.sumW[i * width + j]
        out.sumW2[at + j] += t.sumW2[i * width + j]
      }
    })
  }
  return out
}
