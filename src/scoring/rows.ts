import type { Design, ResponseBatch } from './batch.js'
import { cellsOf, groupCount, type Cells } from './cells.js'
import type { AnswerClasses } from './classes.js'
import { Pool, linearScores, type DomainTotals } from './estimate.js'
import { cellCodes, type CellCodes, type ColumnGroups } from './groups.js'
import { join, js, kernel, real, type Js, type KernelSource } from './kernel.js'
import type { IndexPlan } from './plan.js'

/**
 * Pass two, for the indices whose score mixes questions (factor and overall means, pooled shares): their
 * Σ t² per domain and group needs each row's score, a sum over several columns with the domain's ratios from
 * pass one. Like the tallies, these sums add up over disjoint batches of rows (given pass one's totals).
 *
 * A row's score in a domain is a sum of per-column, per-class values. The columns an index reads come in
 * chunks (e.g. one factor's criteria), and a row's classes in a chunk make one code from its
 * groups' codes (mixed radix): the row's score is one table lookup per chunk, in tables made for each domain.
 * Pass one left the group codes in cell order, where the tables and accumulators of a cell's domains stay in
 * cache while its rows are scored. An index that is a sum of other row-scored indices (the overall index as
 * the mean of the factors) takes its scores from theirs: t = Σ λ_k t_k, no lookups of its own.
 */
export interface RowScorePlan extends RowLayout {
  readonly totals: readonly DomainTotals[]
  /** Whether index j has an estimate in domain d: [d × indices + j] (else it is not scored). */
  readonly scored: Uint8Array
  /** Accumulators, one per (domain, group) pair: [domain × groupCount + group] → pair (−1: no rows there). */
  readonly groupCount: number
  readonly pairOfGroup: Int32Array
  /** The pairs of domain d are pairStart[d] + i, i its groups' places in its totals. */
  readonly pairStart: Int32Array
}

/** Where pass two finds each row-scored index's values: everything of its plan that does not depend on the domains. */
export interface RowLayout {
  readonly plan: IndexPlan
  readonly groups: ColumnGroups
  /** The plan's indices scored row by row (those mixing questions). */
  readonly indices: Int32Array
  /** The groups of each chunk, in radix order: its code is Σ radix_i · (code of group i), the radix the product of the codes before. */
  readonly chunkGroups: readonly Int32Array[]
  /** Codes of chunk c: 0 ≤ code < chunkCodes[c]; its columns, in radix order. */
  readonly chunkCodes: Int32Array
  readonly chunkColumns: readonly Int32Array[]
  /** The chunks index j (of `indices`) looks up: refChunk[e] for refStart[j] ≤ e < refStart[j + 1]; none when it is derived. */
  readonly refStart: Int32Array
  readonly refChunk: Int32Array
  /** Where ref e's values start among a domain's tables, and the tables' size. */
  readonly tableAt: Int32Array
  readonly tableSize: number
  /**
   * Derived indices: index j's score is Σ partCoef[k] · (score of index partIndex[k]) for
   * partStart[j] ≤ k < partStart[j + 1], parts being indices (of `indices`) with lookups of their own.
   */
  readonly partStart: Int32Array
  readonly partIndex: Int32Array
  readonly partCoef: Float64Array
}

/** A domain's tables stay within a few tens of KB (a factor of 7 criteria: 3⁷ = 2,187 codes, one chunk). */
const MAX_CHUNK_CODES = 4096

/** Whether mixed indices need pass two: for a probability design without clusters (with clusters Σ t per PSU is enough). */
export const rowScoresNeeded = (plan: IndexPlan, design: Design, clustered: boolean): boolean =>
  design.probability && !clustered && plan.specs.some((s) => !s.simple)

export function rowScorePlan(plan: IndexPlan, design: Design, totals: readonly DomainTotals[]): RowScorePlan {
  const layout = rowLayout(plan)
  const { indices } = layout
  const scored = new Uint8Array(totals.length * indices.length)
  totals.forEach((t, d) =>
    indices.forEach((i, j) => {
      scored[d * indices.length + j] = hasEstimate(plan, t, i) ? 1 : 0
    })
  )
  const G = groupCount(design, totals[0]?.clustered ?? false)
  const pairStart = offsets(totals.map((t) => t.groups.length))
  const pairOfGroup = new Int32Array(totals.length * G).fill(-1)
  totals.forEach((t, d) =>
    t.groups.forEach((g, i) => {
      pairOfGroup[d * G + g] = pairStart[d] + i
    })
  )
  return { ...layout, totals, scored, groupCount: G, pairOfGroup, pairStart }
}

/** Pass two's chunks, lookups and derived indices for a plan (the same for every set of domains). */
export function rowLayout(plan: IndexPlan): RowLayout {
  const { groups } = plan
  const indices = Int32Array.from(plan.specs.flatMap((s, i) => (s.simple ? [] : [i])))
  // Chunks: consecutive groups of a run that mixed indices read, their codes multiplying to at most the bound.
  const chunks: number[][] = []
  const chunkRun: number[] = []
  const codesOf = (chunk: number[]) => chunk.reduce((n, g) => n * groups.codes[g], 1)
  for (let g = 0; g < groups.codes.length; g++) {
    const run = groups.run[g]
    if (plan.runReaders[run].length === 0) continue
    const last = chunks[chunks.length - 1]
    if (run === chunkRun[chunkRun.length - 1] && codesOf(last) * groups.codes[g] <= MAX_CHUNK_CODES) last.push(g)
    else {
      chunks.push([g])
      chunkRun.push(run)
    }
  }
  const chunkGroups = chunks.map((chunk) => Int32Array.from(chunk))
  const chunkCodes = Int32Array.from(chunks, codesOf)
  const chunkColumns = chunks.map((chunk) =>
    Int32Array.from(chunk.flatMap((g) => Array.from(groups.columns.subarray(groups.start[g], groups.start[g + 1]))))
  )
  const parts = derivations(plan, indices)
  const refs = Array.from(indices, (i, j) =>
    parts[j].length > 0 ? [] : chunkRun.flatMap((run, c) => (plan.runReaders[run].includes(i) ? [c] : []))
  )
  const refStart = offsets(refs.map((r) => r.length))
  const refChunk = Int32Array.from(refs.flat())
  const tableAt = offsets(Array.from(refChunk, (c) => chunkCodes[c]))
  return {
    plan,
    groups,
    indices,
    chunkGroups,
    chunkCodes,
    chunkColumns,
    refStart,
    refChunk,
    tableAt: tableAt.subarray(0, refChunk.length),
    tableSize: tableAt[refChunk.length],
    partStart: offsets(parts.map((p) => p.length)),
    partIndex: Int32Array.from(parts.flat(), ([k]) => k),
    partCoef: Float64Array.from(parts.flat(), ([, c]) => c)
  }
}

/**
 * For each index of `indices`, the indices (of `indices`, with lookups of their own) it is the sum of, with
 * their factors λ: [] when it has lookups of its own. Index j is Σ λ_k · index k when its terms split into
 * those of the k's, each scaled by one λ_k: then so do its linearised scores, in every domain (the ratios,
 * hence their R and X, are the same). Indices with fewer terms are decided first: the factors before the
 * overall index that is their mean.
 */
function derivations(plan: IndexPlan, indices: Int32Array): Array<Array<[number, number]>> {
  const terms = Array.from(indices, (i) => {
    const coef = new Map<number, number>()
    for (let k = plan.termStart[i]; k < plan.termStart[i + 1]; k++)
      coef.set(plan.termRatio[k], (coef.get(plan.termRatio[k]) ?? 0) + plan.termCoef[k])
    return coef
  })
  const parts: Array<Array<[number, number]>> = Array.from(indices, () => [])
  const own: number[] = []
  for (const j of Array.from(indices.keys()).sort((x, y) => terms[x].size - terms[y].size)) {
    const covered = new Set<number>()
    for (const k of own) {
      const lambda = [...terms[k]].map(([q, c]) => (covered.has(q) ? Number.NaN : (terms[j].get(q) ?? Number.NaN) / c))
      if (lambda.every((l) => Math.abs(l - lambda[0]) <= 1e-12 * Math.abs(lambda[0]))) {
        parts[j].push([k, lambda[0]])
        for (const q of terms[k].keys()) covered.add(q)
      }
    }
    if (covered.size !== terms[j].size) {
      parts[j] = []
      own.push(j)
    }
  }
  return parts
}

/** Where each of consecutive runs of these lengths starts, and where the last ends. */
function offsets(lengths: readonly number[]): Int32Array {
  const start = new Int32Array(lengths.length + 1)
  lengths.forEach((n, i) => {
    start[i + 1] = start[i] + n
  })
  return start
}

const hasEstimate = (plan: IndexPlan, t: DomainTotals, i: number): boolean => {
  for (let k = plan.termStart[i]; k < plan.termStart[i + 1]; k++) if (!(t.X[plan.termRatio[k]] > 0)) return false
  return true
}

/** The value of every code of a chunk: Σ over its columns of the score of the column's class in the code. */
function chunkTable(
  values: Float64Array,
  at: number,
  columns: Int32Array,
  classes: AnswerClasses,
  scores: Float64Array
): void {
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
function domainTables(plan: RowScorePlan, d: number, tables: Float64Array, at: number, scores: Float64Array): void {
  const J = plan.indices.length
  for (let j = 0; j < J; j++) {
    if (plan.scored[d * J + j] === 0 || plan.refStart[j] === plan.refStart[j + 1]) continue
    linearScores(plan.plan, plan.indices[j], plan.totals[d], plan.groups.classes, scores)
    for (let e = plan.refStart[j]; e < plan.refStart[j + 1]; e++)
      chunkTable(tables, at + plan.tableAt[e], plan.chunkColumns[plan.refChunk[e]], plan.groups.classes, scores)
  }
}

/**
 * A batch as pass two reads it: its units, its cells and its rows' group codes in cell order. Pass one makes
 * it (tallyRows); it is 1 byte per row and group, so a streamed national run can keep it for pass two
 * instead of reading the answers again.
 */
export interface CodedRows {
  readonly units: readonly string[]
  readonly cells: Cells
  readonly codes: CellCodes
}

/** A batch's coded rows, for pass two on a batch that pass one did not see. */
export function codedRows(batch: ResponseBatch, design: Design, groups: ColumnGroups): CodedRows {
  const cells = cellsOf(batch, design)
  return { units: batch.units, cells, codes: cellCodes(batch, cells, groups) }
}

/**
 * Σ t² of every row-scored index per (domain, group) pair: `[pair × indices + j]`. The rows can be any set of
 * rows of the design (a chunk of a larger sample: sums of disjoint chunks add up).
 */
export function rowScores(rows: CodedRows, plan: RowScorePlan): Float64Array {
  // The domains of each unit of the batch, by name.
  const domainsOf = new Map<string, number[]>()
  plan.totals.forEach((t, d) => {
    for (const u of t.domain.units) domainsOf.set(u, [...(domainsOf.get(u) ?? []), d])
  })
  const ofUnit = rows.units.map((u) => domainsOf.get(u) ?? [])
  const out = new Float64Array(plan.pairStart[plan.totals.length] * plan.indices.length)
  scoreCells(out, plan, rows.cells, rows.codes, offsets(ofUnit.map((ds) => ds.length)), Int32Array.from(ofUnit.flat()))
  return out
}

/**
 * Cell by cell, for its unit's domains (two at a time): each index's score of every row of the cell, and
 * Σ (w·t)² added to the domain's pair for the cell's group. A domain's tables are made just before its first
 * cell, and their room is reused after its last cell: with unit-major cells, a unit's domain lives for its
 * cells only, and tables are in cache when read.
 */
function scoreCells(
  out: Float64Array,
  plan: RowScorePlan,
  cells: Cells,
  { codes, weight }: CellCodes,
  unitDomainStart: Int32Array,
  unitDomains: Int32Array
): void {
  const { start } = cells
  const { tableSize, pairOfGroup, scored } = plan
  const J = plan.indices.length
  const G = plan.groupCount
  const D = plan.totals.length
  const lastCell = new Int32Array(D).fill(-1)
  for (let cell = 0; cell < cells.count; cell++) {
    for (let k = unitDomainStart[cells.unit[cell]]; k < unitDomainStart[cells.unit[cell] + 1]; k++)
      lastCell[unitDomains[k]] = cell
  }
  const room = new Int32Array(D).fill(-1)
  const free: number[] = []
  let rooms = 0
  let tables = new Float64Array(0)
  const scores = new Float64Array(plan.groups.classes.tallied.length * plan.groups.classes.stride)
  const one = squaresKernel(plan, 1, weight !== null)
  const two = squaresKernel(plan, 2, weight !== null)
  const sums = new Float64Array(2 * J)
  const w = weight ?? new Float64Array(0)
  for (let cell = 0; cell < cells.count; cell++) {
    const u = cells.unit[cell]
    const from = start[cell]
    const n = start[cell + 1] - from
    const w2 = weight === null ? (cells.weight as Float64Array)[cell] ** 2 : 1
    for (let k = unitDomainStart[u]; k < unitDomainStart[u + 1]; k += 2) {
      const pair = k + 1 < unitDomainStart[u + 1]
      for (let side = 0; side < (pair ? 2 : 1); side++) {
        const d = unitDomains[k + side]
        if (room[d] >= 0) continue
        room[d] = free.pop() ?? rooms++
        if ((room[d] + 1) * tableSize > tables.length) {
          const more = new Float64Array(2 * (room[d] + 1) * tableSize)
          more.set(tables)
          tables = more
        }
        domainTables(plan, d, tables, room[d] * tableSize, scores)
      }
      if (pair)
        two(sums, tables, room[unitDomains[k]] * tableSize, room[unitDomains[k + 1]] * tableSize, codes, from, n, w)
      else one(sums, tables, room[unitDomains[k]] * tableSize, 0, codes, from, n, w)
      for (let side = 0; side < (pair ? 2 : 1); side++) {
        const d = unitDomains[k + side]
        const at = pairOfGroup[d * G + cells.group[cell]]
        if (at < 0) throw new Error('rows in a group that pass one did not find in the domain')
        for (let j = 0; j < J; j++) if (scored[d * J + j] === 1) out[at * J + j] += w2 * sums[side * J + j]
        if (lastCell[d] === cell) {
          free.push(room[d])
          room[d] = -1
        }
      }
    }
  }
}

type Squares = (
  sums: Float64Array,
  values: Float64Array,
  table0: number,
  table1: number,
  codes: Uint8Array,
  from: number,
  n: number,
  weight: Float64Array
) => void

const squaresKernel = (layout: RowLayout, domains: 1 | 2, weighted: boolean): Squares =>
  kernel<Squares>(squaresSource(layout, domains, weighted))

/**
 * The kernel (kernel.ts) of pass two, for one or two domains at once (their tables at table0, table1 in
 * `values`): over the n rows from place `from`, each row's chunk codes from its group codes (codes[p × G + g]);
 * each index with lookups of its own scores s_j = Σ over its chunks of the table's value for the chunk's code,
 * a derived index Σ λ_k s_k; sums[side × J + j] = Σ (w·s_j)², w the row's weight when `weighted` (else 1, the
 * cell's weight being applied by the caller). Scores of an index without an estimate in a domain are summed
 * too, from stale tables, and not used.
 */
export function squaresSource(layout: RowLayout, domains: 1 | 2, weighted: boolean): KernelSource {
  const { chunkGroups, refStart, refChunk, tableAt, partStart, partIndex, partCoef } = layout
  const J = layout.indices.length
  const G = layout.groups.codes.length
  const used = [...new Set(refChunk)].sort((a, b) => a - b)
  const chunkCodes = used.map((e) => {
    let radix = 1
    const terms = Array.from(chunkGroups[e], (g) => {
      const term = js`${radix} * codes[p + ${g}]`
      radix *= layout.groups.codes[g]
      return term
    })
    return js`const c${e} = ${join(terms, js` + `)}`
  })
  const lines: Js[] = []
  const derived = (j: number) => partStart[j] < partStart[j + 1]
  for (let side = 0; side < domains; side++) {
    // Indices with lookups of their own first, then those derived from them, whatever their order in `indices`.
    for (const j of [...Array(J).keys()].sort((a, b) => Number(derived(a)) - Number(derived(b)))) {
      const own = Array.from(
        refChunk.subarray(refStart[j], refStart[j + 1]),
        (e, i) => js`values[table${side} + ${tableAt[refStart[j] + i]} + c${e}]`
      )
      const parts = Array.from(
        partIndex.subarray(partStart[j], partStart[j + 1]),
        (k, i) => js`${real(partCoef[partStart[j] + i])} * s${side}_${k}`
      )
      // An index reading no column of the batch (never scored) has neither lookups nor parts: 0.
      const score = own.length + parts.length > 0 ? join([...own, ...parts], js` + `) : js`0`
      lines.push(js`const s${side}_${j} = ${score}`)
    }
    for (let j = 0; j < J; j++)
      lines.push(js`a${side}_${j} += ${weighted ? js`w2 * ` : js``}s${side}_${j} * s${side}_${j}`)
  }
  const accumulators = Array.from({ length: domains * J }, (_, k) => js`a${Math.floor(k / J)}_${k % J}`)
  return {
    name: `pass two: Σ (w·t)² of every row-scored index over a cell's rows, ${domains === 1 ? 'one domain' : 'two domains at once'}, ${weighted ? 'rows of mixed weights' : "the cell's weight applied after"} (rows.ts)`,
    params: ['sums', 'values', 'table0', 'table1', 'codes', 'from', 'n', 'weight'],
    body: js`
    let ${join(
      accumulators.map((a) => js`${a} = 0`),
      js`, `
    )}
    for (let i = 0, p = from * ${G}; i < n; i++, p += ${G}) {
      ${weighted ? js`const w2 = weight[from + i] * weight[from + i]` : js``}
      ${join(chunkCodes, js`\n      `)}
      ${join(lines, js`\n      `)}
    }
    ${join(
      accumulators.map((a, k) => js`sums[${k}] = ${a}`),
      js`\n    `
    )}`
  }
}

/** The totals with pass two's Σ t² (summed over every batch of the sample) in place for the row-scored indices. */
export function withRowScores(
  totals: readonly DomainTotals[],
  plan: RowScorePlan,
  squares: Float64Array
): DomainTotals[] {
  const J = plan.indices.length
  const pool = new Pool((n) => new Float64Array(n))
  return totals.map((t, d) => {
    const sumT2 = pool.take(t.sumT2.length)
    sumT2.set(t.sumT2)
    const G = t.groups.length
    for (let j = 0; j < J; j++) {
      const m = plan.indices[j]
      for (let i = 0; i < G; i++) sumT2[m * G + i] = squares[(plan.pairStart[d] + i) * J + j]
    }
    return { ...t, sumT2 }
  })
}
