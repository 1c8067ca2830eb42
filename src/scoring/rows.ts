import type { Design, ResponseBatch } from './batch.js'
import { cellOrder, cellsOf, groupCount, type Cells } from './cells.js'
import type { AnswerClasses } from './classes.js'
import { linearScores, type DomainTotals } from './estimate.js'
import { rowCodes, type ColumnGroups } from './groups.js'
import type { IndexPlan } from './plan.js'

/**
 * Pass two, for the indices whose score mixes questions (factor and overall means, pooled shares): their
 * Σ t² per domain and group needs each row's score, a sum over several columns with the domain's ratios from
 * pass one. Like the tallies, these sums add up over disjoint batches of rows (given pass one's totals).
 *
 * A row's score in a domain is a sum of per-column, per-class values. The columns an index reads come in
 * chunks (e.g. one factor's criteria), and a row's classes in a chunk make one code, the sum of its group
 * codes (mixed radix): the row's score is one table lookup per chunk, in tables made for each domain. Codes
 * do not depend on the domain, so they are made once per row and stored in cell order, where the tables and
 * accumulators of a cell's domains stay in cache while its rows are scored.
 */
export interface RowScorePlan {
  readonly plan: IndexPlan
  readonly groups: ColumnGroups
  /** The plan's indices scored row by row (those mixing questions). */
  readonly indices: Int32Array
  /** The one or two groups of each chunk (second −1 if none); a chunk's code is first + radix · second. */
  readonly chunkFirst: Int32Array
  readonly chunkSecond: Int32Array
  readonly chunkRadix: Int32Array
  /** Codes of chunk c: 0 ≤ code < chunkCodes[c]; its columns, in radix order. */
  readonly chunkCodes: Int32Array
  readonly chunkColumns: readonly Int32Array[]
  /** The chunks index j (of `indices`) reads: refChunk[e] for refStart[j] ≤ e < refStart[j + 1]. */
  readonly refStart: Int32Array
  readonly refChunk: Int32Array
  /** Where ref e's values start among a domain's tables, and the tables' size. */
  readonly tableAt: Int32Array
  readonly tableSize: number
  readonly totals: readonly DomainTotals[]
  /** Whether index j has an estimate in domain d: [d × indices + j] (else it is not scored). */
  readonly scored: Uint8Array
  /** Accumulators, one per (domain, group) pair: [domain × groupCount + group] → pair (−1: no rows there). */
  readonly groupCount: number
  readonly pairOfGroup: Int32Array
  /** The pairs of domain d are pairStart[d] + i, i its groups' places in its totals. */
  readonly pairStart: Int32Array
}

/** Chunk codes are Uint16, and a domain's tables stay within a few tens of KB. */
const MAX_CHUNK_CODES = 1024

/** Whether mixed indices need pass two: for a probability design without clusters (with clusters Σ t per PSU is enough). */
export const rowScoresNeeded = (plan: IndexPlan, design: Design, clustered: boolean): boolean =>
  design.probability && !clustered && plan.specs.some((s) => !s.simple)

export function rowScorePlan (plan: IndexPlan, design: Design, totals: readonly DomainTotals[]): RowScorePlan {
  const { groups } = plan
  const indices = Int32Array.from(plan.specs.flatMap((s, i) => s.simple ? [] : [i]))
  // Chunks: one or two consecutive groups of a run that mixed indices read, their codes multiplying to at most the bound.
  const chunks: number[][] = []
  const chunkRun: number[] = []
  for (let g = 0; g < groups.codes.length; g++) {
    const run = groups.run[g]
    if (plan.runReaders[run].length === 0) continue
    const last = chunks[chunks.length - 1]
    if (run === chunkRun[chunkRun.length - 1] && last.length === 1 && groups.codes[last[0]] * groups.codes[g] <= MAX_CHUNK_CODES) last.push(g)
    else { chunks.push([g]); chunkRun.push(run) }
  }
  const chunkFirst = Int32Array.from(chunks, (chunk) => chunk[0])
  const chunkSecond = Int32Array.from(chunks, (chunk) => chunk[1] ?? -1)
  const chunkRadix = Int32Array.from(chunks, (chunk) => groups.codes[chunk[0]])
  const chunkCodes = Int32Array.from(chunks, (chunk) => chunk.reduce((n, g) => n * groups.codes[g], 1))
  const chunkColumns = chunks.map((chunk) => Int32Array.from(chunk.flatMap((g) => Array.from(groups.columns.subarray(groups.start[g], groups.start[g + 1])))))
  const refs = Array.from(indices, (i) => chunkRun.flatMap((run, c) => plan.runReaders[run].includes(i) ? [c] : []))
  const refStart = offsets(refs.map((r) => r.length))
  const refChunk = Int32Array.from(refs.flat())
  const tableAt = offsets(Array.from(refChunk, (c) => chunkCodes[c]))
  const scored = new Uint8Array(totals.length * indices.length)
  totals.forEach((t, d) => indices.forEach((i, j) => { scored[d * indices.length + j] = hasEstimate(plan, t, i) ? 1 : 0 }))
  const G = groupCount(design, totals[0]?.clustered ?? false)
  const pairStart = offsets(totals.map((t) => t.groups.length))
  const pairOfGroup = new Int32Array(totals.length * G).fill(-1)
  totals.forEach((t, d) => t.groups.forEach((g, i) => { pairOfGroup[d * G + g] = pairStart[d] + i }))
  return {
    plan, groups, indices, chunkFirst, chunkSecond, chunkRadix, chunkCodes, chunkColumns, refStart, refChunk,
    tableAt: tableAt.subarray(0, refChunk.length), tableSize: tableAt[refChunk.length], totals, scored, groupCount: G, pairOfGroup, pairStart
  }
}

/** Where each of consecutive runs of these lengths starts, and where the last ends. */
function offsets (lengths: readonly number[]): Int32Array {
  const start = new Int32Array(lengths.length + 1)
  lengths.forEach((n, i) => { start[i + 1] = start[i] + n })
  return start
}

const hasEstimate = (plan: IndexPlan, t: DomainTotals, i: number): boolean => {
  for (let k = plan.termStart[i]; k < plan.termStart[i + 1]; k++) if (!(t.X[plan.termRatio[k]] > 0)) return false
  return true
}

/** The value of every code of a chunk: Σ over its columns of the score of the column's class in the code. */
function chunkTable (values: Float64Array, at: number, columns: Int32Array, classes: AnswerClasses, scores: Float64Array): void {
  values[at] = 0
  let size = 1
  for (let k = 0; k < columns.length; k++) {
    const from = classes.position[columns[k]] * classes.stride
    const n = classes.count[columns[k]]
    // Codes with class x here are x·size + (codes of the columns before): filled from class n − 1 down, class 0 in place.
    for (let x = n - 1; x >= 0; x--) {
      for (let s = 0; s < size; s++) values[at + x * size + s] = values[at + s] + scores[from + x]
    }
    size *= n
  }
}

/** Domain d's tables: for each index it scores and chunk the index reads, the value of every chunk code. */
function domainTables (plan: RowScorePlan, d: number, tables: Float64Array, at: number, scores: Float64Array): void {
  const J = plan.indices.length
  for (let j = 0; j < J; j++) {
    if (plan.scored[d * J + j] === 0) continue
    linearScores(plan.plan, plan.indices[j], plan.totals[d], plan.groups.classes, scores)
    for (let e = plan.refStart[j]; e < plan.refStart[j + 1]; e++) chunkTable(tables, at + plan.tableAt[e], plan.chunkColumns[plan.refChunk[e]], plan.groups.classes, scores)
  }
}

/**
 * Σ t² of every row-scored index per (domain, group) pair: `[pair × indices + j]`. The batch can be any set of
 * rows of the design (a chunk of a larger sample: sums of disjoint chunks add up). Pass one's cells and group
 * codes of the same batch save making them again.
 */
export function rowScores (batch: ResponseBatch, design: Design, plan: RowScorePlan, rows: { cells: Cells, codes: Uint8Array[] } = { cells: cellsOf(batch, design), codes: rowCodes(batch, plan.groups) }): Float64Array {
  const { cells } = rows
  const N = batch.size
  const C = plan.chunkCodes.length
  const { start, place } = cellOrder(cells)
  const codes = new Uint16Array(N * C)
  for (let c = 0; c < C; c++) {
    const second = plan.chunkSecond[c]
    placeCodes(codes, c, C, place, rows.codes[plan.chunkFirst[c]], second < 0 ? null : rows.codes[second], plan.chunkRadix[c], N)
  }
  let rowWeight: Float64Array | null = null
  if (cells.weight === null) {
    rowWeight = new Float64Array(N)
    const weight = batch.weight as Float64Array
    for (let r = 0; r < N; r++) rowWeight[place[r]] = weight[r]
  }
  // The domains of each unit of the batch, by name.
  const domainsOf = new Map<string, number[]>()
  plan.totals.forEach((t, d) => { for (const u of t.domain.units) domainsOf.set(u, [...(domainsOf.get(u) ?? []), d]) })
  const ofUnit = batch.units.map((u) => domainsOf.get(u) ?? [])
  const out = new Float64Array(plan.pairStart[plan.totals.length] * plan.indices.length)
  let longest = 0
  for (let c = 0; c < cells.count; c++) longest = Math.max(longest, cells.rows[c])
  scoreCells(out, plan, cells, start, offsets(ofUnit.map((ds) => ds.length)), Int32Array.from(ofUnit.flat()), codes, C, rowWeight, new Float64Array(longest))
  return out
}

/** Each row's code of chunk c, written at the row's place in cell order. */
function placeCodes (codes: Uint16Array, c: number, C: number, place: Int32Array, first: Uint8Array, second: Uint8Array | null, radix: number, N: number): void {
  if (second === null) for (let r = 0; r < N; r++) codes[place[r] * C + c] = first[r]
  else for (let r = 0; r < N; r++) codes[place[r] * C + c] = first[r] + radix * second[r]
}

/**
 * Cell by cell, for each domain of its unit: each index's score of every row of the cell, then Σ (w·t)².
 * A domain's tables are made just before its first cell, and their room is reused after its last cell: with
 * unit-major cells, a unit's domain lives for its cells only, and tables are in cache when read.
 */
function scoreCells (out: Float64Array, plan: RowScorePlan, cells: Cells, start: Int32Array, unitDomainStart: Int32Array, unitDomains: Int32Array,
  codes: Uint16Array, C: number, rowWeight: Float64Array | null, score: Float64Array): void {
  const { refStart, refChunk, tableAt, tableSize, pairOfGroup, scored } = plan
  const J = plan.indices.length
  const G = plan.groupCount
  const D = plan.totals.length
  const lastCell = new Int32Array(D).fill(-1)
  for (let cell = 0; cell < cells.count; cell++) {
    for (let k = unitDomainStart[cells.unit[cell]]; k < unitDomainStart[cells.unit[cell] + 1]; k++) lastCell[unitDomains[k]] = cell
  }
  const room = new Int32Array(D).fill(-1)
  const free: number[] = []
  let rooms = 0
  let tables = new Float64Array(0)
  const scores = new Float64Array(plan.groups.classes.tallied.length * plan.groups.classes.stride)
  for (let cell = 0; cell < cells.count; cell++) {
    const from = start[cell]
    const n = start[cell + 1] - from
    const u = cells.unit[cell]
    for (let k = unitDomainStart[u]; k < unitDomainStart[u + 1]; k++) {
      const d = unitDomains[k]
      const pair = pairOfGroup[d * G + cells.group[cell]]
      if (pair < 0) throw new Error('rows in a group that pass one did not find in the domain')
      if (room[d] < 0) {
        room[d] = free.pop() ?? rooms++
        if ((room[d] + 1) * tableSize > tables.length) { const more = new Float64Array(2 * (room[d] + 1) * tableSize); more.set(tables); tables = more }
        domainTables(plan, d, tables, room[d] * tableSize, scores)
      }
      const at = room[d] * tableSize
      for (let j = 0; j < J; j++) {
        if (scored[d * J + j] === 0) continue
        // Lookups of all but the last chunk into score[], the last one added as the squares are summed.
        const last = refStart[j + 1] - 1
        for (let e = refStart[j]; e < last; e++) lookUp(score, e === refStart[j], tables, at + tableAt[e], codes, from * C + refChunk[e], C, n)
        const squares = squaredScores(score, last > refStart[j], tables, at + tableAt[last], codes, from * C + refChunk[last], C, n, rowWeight, from)
        out[pair * J + j] += rowWeight === null ? squares * (cells.weight as Float64Array)[cell] ** 2 : squares
      }
      if (lastCell[d] === cell) { free.push(room[d]); room[d] = -1 }
    }
  }
}

/** score[i] = (or +=) the table's value for row i's code. */
function lookUp (score: Float64Array, first: boolean, values: Float64Array, table: number, codes: Uint16Array, at: number, C: number, n: number): void {
  if (first) for (let i = 0; i < n; i++, at += C) score[i] = values[table + codes[at]]
  else for (let i = 0; i < n; i++, at += C) score[i] += values[table + codes[at]]
}

/** Σ_i (w_i · (score[i] if `withScore`, + the table's value for row i's code))², with w_i = 1 when `weight` is null. */
function squaredScores (score: Float64Array, withScore: boolean, values: Float64Array, table: number, codes: Uint16Array, at: number, C: number, n: number, weight: Float64Array | null, from: number): number {
  let sum = 0
  // One loop per case: a test inside the loop costs as much as the lookup.
  if (weight === null && withScore) {
    for (let i = 0; i < n; i++, at += C) { const t = score[i] + values[table + codes[at]]; sum += t * t }
  } else if (weight === null) {
    for (let i = 0; i < n; i++, at += C) { const t = values[table + codes[at]]; sum += t * t }
  } else {
    for (let i = 0; i < n; i++, at += C) {
      const wt = weight[from + i] * ((withScore ? score[i] : 0) + values[table + codes[at]])
      sum += wt * wt
    }
  }
  return sum
}

/** The totals with pass two's Σ t² (summed over every batch of the sample) in place for the row-scored indices. */
export function withRowScores (totals: readonly DomainTotals[], plan: RowScorePlan, squares: Float64Array): DomainTotals[] {
  const J = plan.indices.length
  return totals.map((t, d) => {
    const sumT2 = t.sumT2.slice()
    const G = t.groups.length
    plan.indices.forEach((m, j) => {
      for (let i = 0; i < G; i++) sumT2[m * G + i] = squares[(plan.pairStart[d] + i) * J + j]
    })
    return { ...t, sumT2 }
  })
}
