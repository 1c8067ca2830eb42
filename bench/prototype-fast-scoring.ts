/**
 * A measured proposal for src/scoring (not used by the service): computeIndices' figures (estimates, SEs,
 * df, CIs of every index of every domain) computed with a different data layout, checked against
 * computeIndices on the same data. What changes, each measured on the 1M-row province:
 *
 *   1. Cells numbered unit-major (unit, then stratum/PSU) from a dense key table, and each row's cell id
 *      computed once (`cellRow`), instead of a first-seen numbering through an Int32Array per row.
 *   2. Pass one counts only, into a Uint32Array, when the weight is constant within every cell (weights
 *      N_h/n_h, the usual case; checked in one pass): Σw and Σw² are count·w and count·w² of the cell.
 *      The loop goes column by column, so the working set is one column's counts (≈ 1 MB for 20,000 cells)
 *      instead of ≈ 120 MB of three Float64Arrays written row by row (src tally: 1.3–2.5 s here, mostly
 *      cache and TLB misses). Otherwise (weights varying within a cell) the src-like row loop, on the
 *      unit-major cells.
 *   3. Per domain, its cells' tallies summed per group (stratum or PSU) once; every total, single-question
 *      SE and df of the domain is then read from G × width numbers instead of cells × width per index
 *      (src re-reads every cell of the domain for every index in domainTotals, tallyScores and
 *      degreesOfFreedom: 20,000 cells × 31 indices for the province).
 *   4. Pass two (rowScores) in row order: per row, each ratio's Σy and Σx over its columns once (they do not
 *      depend on the domain); per domain then two numbers per ratio (1/X, R/X) instead of a slot table per
 *      column and index (3.5 KB per domain, read at random); Σt, Σt² accumulated in a flat Float64Array per
 *      (domain, group) numbered densely (the province's stay hot in cache), instead of a Map lookup per
 *      row × domain × index. An index that is a combination of earlier ones (overall = mean of the
 *      factors) gets its score from theirs, by linearity, instead of from its 22 ratios again.
 *   5. The t quantile of the logit interval memoised by df (stdlib's qt costs ≈ 3 µs; 31,031 calls), and
 *      each result built as one object literal instead of `{ ...base, … }` spreads.
 *
 * Tried and dropped: counting-sorting the rows by cell and scanning them in that order. The sort itself is
 * cheap (≈ 30 ms) but reading 1M rows of 25 bytes in permuted order costs ≈ 200 ms here (one cache and TLB
 * miss per row), more than it saves. If rows arrive already grouped by (unit, stratum), e.g. from an
 * ORDER BY in the loader, any row-order pass gets that locality for free.
 *
 * Reused from src as they are: indexSpecs, ratiosOf, scoreTables, pointEstimate, indexVariance, the intervals.
 *
 * Usage: node --import tsx bench/prototype-fast-scoring.ts [--runs=5] [--rows=1000000] [--units=1000]
 *        [--strata=20] [--vary-weights]   (--vary-weights: weights no longer constant within a stratum,
 *        to check the general path)
 * Writes bench/results/prototype-fast-scoring.json.
 */
import qt from '@stdlib/stats-base-dists-t-quantile'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { readResponsesCsv } from '../src/cli/responses-csv.js'
import { MISSING, designOfBatch, type Design, type ResponseBatch } from '../src/scoring/batch.js'
import { computeIndices, type DomainResult, type IndexResult } from '../src/scoring/compute.js'
import { indexVariance, pointEstimate, ratiosOf, scoreTables, type Domain, type DomainTotals, type GroupScores, type RatioTotals } from '../src/scoring/estimate.js'
import { proportionInterval, waldInterval, type Interval } from '../src/scoring/intervals.js'
import type { Instrument } from '../src/scoring/instrument.js'
import { indexSpecs, scoringOptions, slotCount, type IndexSpec, type Ratio, type ScoringOptions } from '../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'
import { median, round, synthesize, table, timeRuns, writeResult } from './lib.js'

const slotTable = (slots: number): Uint8Array => {
  const t = new Uint8Array(256)
  for (let a = 0; a < 256; a++) t[a] = a === MISSING ? slots - 1 : Math.min(a, slots - 1)
  return t
}

// ---------------------------------------------------------------------------------------------------------
// 1–2. Cells and pass one

export interface FastTallies {
  cells: number
  width: number
  cellUnit: Uint32Array
  cellGroup: Uint32Array
  /** Cells of unit u are unitStart[u] .. unitStart[u + 1]. */
  unitStart: Uint32Array
  cellRow: Int32Array
  /** Column-major: [column][cell][slot], so that a pass over one column touches one contiguous block. */
  count: Uint32Array
  /** Constant-weight path: the weight of each cell, and no sumW/sumW2 arrays. */
  cellWeight: Float64Array | null
  /** General path: [column][cell][slot]. */
  sumW: Float64Array | null
  sumW2: Float64Array | null
}

/** Hot loops are top-level functions taking typed arrays as parameters: no closure-captured variables. */
function countColumns (count: Uint32Array, answers: Uint8Array, cellRow: Int32Array, slotOf: Uint8Array, N: number, K: number, cells: number, slots: number): void {
  for (let c = 0; c < K; c++) {
    const base = c * cells * slots
    for (let r = 0, at = c; r < N; r++, at += K) count[base + cellRow[r] * slots + slotOf[answers[at]]]++
  }
}

function weighColumns (count: Uint32Array, sumW: Float64Array, sumW2: Float64Array, answers: Uint8Array, weight: Float64Array, cellRow: Int32Array, slotOf: Uint8Array, N: number, K: number, cells: number, slots: number): void {
  for (let c = 0; c < K; c++) {
    const base = c * cells * slots
    for (let r = 0, at = c; r < N; r++, at += K) {
      const j = base + cellRow[r] * slots + slotOf[answers[at]]
      const w = weight[r]
      count[j]++; sumW[j] += w; sumW2[j] += w * w
    }
  }
}

export function fastTally (batch: ResponseBatch, design: Design, slots: number): FastTallies {
  const K = batch.columns.length
  const width = K * slots
  const G = batch.psu ? (design.psus as readonly string[]).length : design.strata.length
  const U = batch.units.length
  const N = batch.size
  const { answers, unit, stratum, psu, weight } = batch
  const keyCell = new Int32Array(U * G)
  for (let r = 0; r < N; r++) keyCell[unit[r] * G + (psu ? psu[r] : stratum ? stratum[r] : 0)] = 1
  const unitStart = new Uint32Array(U + 1)
  let cells = 0
  for (let u = 0; u < U; u++) {
    unitStart[u] = cells
    for (let k = u * G; k < (u + 1) * G; k++) keyCell[k] = keyCell[k] === 1 ? cells++ : -1
  }
  unitStart[U] = cells
  const cellUnit = new Uint32Array(cells)
  const cellGroup = new Uint32Array(cells)
  for (let k = 0; k < U * G; k++) if (keyCell[k] >= 0) { cellUnit[keyCell[k]] = Math.floor(k / G); cellGroup[keyCell[k]] = k % G }
  const cellRow = new Int32Array(N)
  for (let r = 0; r < N; r++) cellRow[r] = keyCell[unit[r] * G + (psu ? psu[r] : stratum ? stratum[r] : 0)]

  // Is the weight constant within every cell?
  const cellWeight = new Float64Array(cells).fill(Number.NaN)
  let constant = true
  if (weight) {
    for (let r = 0; r < N; r++) {
      const c = cellRow[r]
      const w = cellWeight[c]
      if (w !== w) cellWeight[c] = weight[r] // NaN: first row of the cell
      else if (w !== weight[r]) { constant = false; break }
    }
  } else cellWeight.fill(1)

  const slotOf = slotTable(slots)
  const count = new Uint32Array(cells * width)
  if (constant) {
    countColumns(count, answers, cellRow, slotOf, N, K, cells, slots)
    return { cells, width, cellUnit, cellGroup, unitStart, cellRow, count, cellWeight, sumW: null, sumW2: null }
  }
  const sumW = new Float64Array(cells * width)
  const sumW2 = new Float64Array(cells * width)
  weighColumns(count, sumW, sumW2, answers, weight as Float64Array, cellRow, slotOf, N, K, cells, slots)
  return { cells, width, cellUnit, cellGroup, unitStart, cellRow, count, cellWeight: null, sumW, sumW2 }
}

/** Adds one cell's tallies into a group's row of the aggregate ([group][column][slot]) at `to`. */
function addCell (count: Uint32Array, w: number, aggN: Float64Array, aggW: Float64Array, aggW2: Float64Array, cell: number, cells: number, K: number, slots: number, to: number): void {
  const w2 = w * w
  for (let c = 0; c < K; c++) {
    const from = (c * cells + cell) * slots
    const at = to + c * slots
    for (let s = 0; s < slots; s++) {
      const n = count[from + s]
      if (n !== 0) { aggN[at + s] += n; aggW[at + s] += n * w; aggW2[at + s] += n * w2 }
    }
  }
}

function addCellWeighted (count: Uint32Array, sumW: Float64Array, sumW2: Float64Array, aggN: Float64Array, aggW: Float64Array, aggW2: Float64Array, cell: number, cells: number, K: number, slots: number, to: number): void {
  for (let c = 0; c < K; c++) {
    const from = (c * cells + cell) * slots
    const at = to + c * slots
    for (let s = 0; s < slots; s++) { aggN[at + s] += count[from + s]; aggW[at + s] += sumW[from + s]; aggW2[at + s] += sumW2[from + s] }
  }
}

// ---------------------------------------------------------------------------------------------------------
// 3. Per domain: its tallies summed per group, then totals, single-question SEs and df from those

interface DomainPart {
  totals: DomainTotals
  /** Results of the single-question indices (and of every index without an estimate), by spec index. */
  simple: Array<IndexResult | null>
  /** df of indices over all rows of the domain (mixed ones). */
  dfAll: number
}

function domainParts (batch: ResponseBatch, design: Design, t: FastTallies, specs: readonly IndexSpec[], domains: readonly Domain[], slots: number, options: ScoringOptions): DomainPart[] {
  const { width } = t
  const G = batch.psu ? (design.psus as readonly string[]).length : design.strata.length
  const clustered = batch.psu !== null
  const stratumOf = (g: number) => clustered ? (design.psuStratum as Uint32Array)[g] : g
  const unitIndex = new Map(batch.units.map((u, i) => [u, i]))
  const ratios = ratiosOf(specs)
  const localOf = new Int32Array(G).fill(-1)
  let aggN = new Float64Array(width * 32)
  let aggW = new Float64Array(width * 32)
  let aggW2 = new Float64Array(width * 32)
  const K = batch.columns.length
  return domains.map((domain) => {
    // Σ over the domain's cells, per group.
    const groups: number[] = []
    for (const name of domain.units) {
      const u = unitIndex.get(name)
      if (u === undefined) continue
      for (let cell = t.unitStart[u]; cell < t.unitStart[u + 1]; cell++) {
        const g = t.cellGroup[cell]
        let gi = localOf[g]
        if (gi < 0) {
          gi = localOf[g] = groups.length
          groups.push(g)
          if (aggN.length < groups.length * width) {
            const grow = (a: Float64Array) => { const b = new Float64Array(2 * a.length); b.set(a); return b }
            aggN = grow(aggN); aggW = grow(aggW); aggW2 = grow(aggW2)
          }
          aggN.fill(0, gi * width, (gi + 1) * width); aggW.fill(0, gi * width, (gi + 1) * width); aggW2.fill(0, gi * width, (gi + 1) * width)
        }
        if (t.cellWeight) addCell(t.count, t.cellWeight[cell], aggN, aggW, aggW2, cell, t.cells, K, slots, gi * width)
        else addCellWeighted(t.count, t.sumW as Float64Array, t.sumW2 as Float64Array, aggN, aggW, aggW2, cell, t.cells, K, slots, gi * width)
      }
    }
    for (const g of groups) localOf[g] = -1
    const Gd = groups.length

    const strata = new Set(groups.map(stratumOf))
    let rows = 0
    for (let gi = 0; gi < Gd; gi++) for (let s = 0; s < slots; s++) rows += aggN[gi * width + s]
    const totalsByRatio = new Map<Ratio, RatioTotals>()
    for (const ratio of ratios) {
      let Y = 0; let X = 0; let n = 0
      for (let gi = 0; gi < Gd; gi++) {
        for (const col of ratio.columns) {
          const base = gi * width + col * slots
          for (let s = 0; s < slots; s++) {
            Y += ratio.y[s] * aggW[base + s]
            X += ratio.x[s] * aggW[base + s]
            if (ratio.x[s] > 0) n += aggN[base + s]
          }
        }
      }
      totalsByRatio.set(ratio, { Y, X, n })
    }
    const totals: DomainTotals = { domain, cells: [], rows, strata, ratios: totalsByRatio }
    const dfAll = (clustered ? Gd : rows) - strata.size

    const simple = specs.map((spec): IndexResult | null => {
      const theta = pointEstimate(spec, totals)
      if (!design.probability || theta === null) return result(spec, totals, theta, null, 0, options)
      if (!spec.simple) return null
      const scores: GroupScores = new Map()
      const tables = scoreTables(spec, totals, slots)
      for (let gi = 0; gi < Gd; gi++) {
        let sumT = 0; let sumT2 = 0
        for (const [col, tbl] of tables) {
          const base = gi * width + col * slots
          for (let s = 0; s < slots; s++) { sumT += tbl[s] * aggW[base + s]; sumT2 += tbl[s] * tbl[s] * aggW2[base + s] }
        }
        scores.set(groups[gi], [sumT, sumT2])
      }
      const variance = indexVariance(scores, design, clustered, strata, options.lonelyPsu)
      // df as computeIndices counts it: rows with a valid answer, groups holding one, strata holding one.
      const ratio = spec.ratios[0]
      const col = ratio.columns[0]
      let df = dfAll
      if (col !== undefined) {
        let dfRows = 0; let dfGroups = 0
        const dfStrata = new Set<number>()
        for (let gi = 0; gi < Gd; gi++) {
          let inSubset = 0
          const base = gi * width + col * slots
          for (let s = 0; s < slots; s++) if (ratio.x[s] > 0) inSubset += aggN[base + s]
          if (inSubset === 0) continue
          dfRows += inSubset; dfGroups++; dfStrata.add(stratumOf(groups[gi]))
        }
        df = (clustered ? dfGroups : dfRows) - dfStrata.size
      }
      return result(spec, totals, theta, variance, df, options)
    })
    return { totals, simple, dfAll }
  })
}

// ---------------------------------------------------------------------------------------------------------
// 4. Pass two

/** Pass two's row loop: acc[(domain, group)][index] += (t, t²); cellDg gives the (domain, group) of each (cell, domain of its unit). */
function scoreRows (acc: Float64Array, cellDg: Int32Array, L: number, answers: Uint8Array, unit: Uint32Array, weight: Float64Array, cellRow: Int32Array,
  domainStart: Int32Array, domainList: Int32Array, slotOf: Uint8Array, slots: number, K: number, N: number,
  Q: number, colStart: Int32Array, cols: Int32Array, yTable: Float64Array, xTable: Float64Array, invX: Float64Array, rOverX: Float64Array,
  M: number, termStart: Int32Array, tRatio: Int32Array, tCoef: Float64Array,
  partStart: Int32Array, partSpec: Int32Array, partCoef: Float64Array): void {
  const rowY = new Float64Array(Q)
  const rowX = new Float64Array(Q)
  const u = new Float64Array(Q)
  const t = new Float64Array(M)
  for (let r = 0; r < N; r++) {
    const d0 = domainStart[unit[r]]
    const d1 = domainStart[unit[r] + 1]
    if (d0 === d1) continue
    const w = weight[r]
    const row = r * K
    for (let q = 0; q < Q; q++) {
      let y = 0; let x = 0
      for (let k = colStart[q], o = q * slots; k < colStart[q + 1]; k++) {
        const s = o + slotOf[answers[row + cols[k]]]
        y += yTable[s]; x += xTable[s]
      }
      rowY[q] = y; rowX[q] = x
    }
    const cellBase = cellRow[r] * L
    for (let di = 0; di < d1 - d0; di++) {
      const dgBase = cellDg[cellBase + di] * M * 2
      const dq = domainList[d0 + di] * Q
      for (let q = 0; q < Q; q++) u[q] = invX[dq + q] * rowY[q] - rOverX[dq + q] * rowX[q]
      for (let m = 0; m < M; m++) {
        let sum = 0
        const p0 = partStart[m]
        const p1 = partStart[m + 1]
        if (p0 < p1) {
          for (let k = p0; k < p1; k++) sum += partCoef[k] * t[partSpec[k]] // a mean of indices computed before
        } else {
          const end = termStart[m + 1]
          for (let k = termStart[m]; k < end; k++) sum += tCoef[k] * u[tRatio[k]]
          sum *= w
        }
        t[m] = sum
        const a = dgBase + m * 2
        acc[a] += sum; acc[a + 1] += sum * sum
      }
    }
  }
}

/**
 * A row's linearised score of a mixed index in a domain is Σ_r c_r/X_r · (Σ_{j∈r} y_r[slot_j] − R_r Σ_{j∈r} x_r[slot_j])
 * over the index's ratios r (what scoreTables tabulates per column and slot). The inner sums do not depend on
 * the domain: they are computed once per row (Yr, Xr per ratio), and each domain then needs two numbers per
 * ratio, 1/X_r and R_r/X_r, instead of a table of slots per column (3.5 KB per domain here, read at random
 * when rows come in no particular order).
 */
export function fastRowScores (batch: ResponseBatch, t: FastTallies, specs: readonly IndexSpec[], totals: readonly DomainTotals[], slots: number): GroupScores[][] {
  const K = batch.columns.length
  const M = specs.length
  const D = totals.length
  const unitIndex = new Map(batch.units.map((u, i) => [u, i]))
  const domainsOfUnit: number[][] = batch.units.map(() => [])
  totals.forEach((tt, d) => { for (const u of tt.domain.units) { const i = unitIndex.get(u); if (i !== undefined) domainsOfUnit[i].push(d) } })
  // Ratios used by the mixed indices, their columns and indicator tables, flattened.
  const ratios = ratiosOf(specs)
  const Q = ratios.length
  const ratioIndex = new Map(ratios.map((r, i) => [r, i]))
  const colStart = new Int32Array(Q + 1)
  const ratioCols: number[] = []
  const yTable = new Float64Array(Q * slots)
  const xTable = new Float64Array(Q * slots)
  ratios.forEach((r, q) => { colStart[q] = ratioCols.length; ratioCols.push(...r.columns); yTable.set(r.y, q * slots); xTable.set(r.x, q * slots) })
  colStart[Q] = ratioCols.length
  const cols = Int32Array.from(ratioCols)
  // Each index: its (ratio, coefficient) terms, the same in every domain.
  const termStart = new Int32Array(M + 1)
  const termRatio: number[] = []
  const termCoef: number[] = []
  specs.forEach((spec, m) => { termStart[m] = termRatio.length; spec.ratios.forEach((r, i) => { termRatio.push(ratioIndex.get(r) as number); termCoef.push(spec.coefs[i]) }) })
  termStart[M] = termRatio.length
  const tRatio = Int32Array.from(termRatio)
  const tCoef = Float64Array.from(termCoef)
  // An index that is a combination of indices before it (overall = mean of the factors): the same linear
  // score, from theirs. Found from the terms alone: earlier indices whose ratio sets partition this one's
  // and whose coefficients are proportional to its own on their ratios.
  const partStart = new Int32Array(M + 1)
  const partSpec: number[] = []
  const partCoef: number[] = []
  for (let m = 0; m < M; m++) {
    partStart[m] = partSpec.length
    const own = new Map<number, number>()
    for (let k = termStart[m]; k < termStart[m + 1]; k++) own.set(tRatio[k], (own.get(tRatio[k]) ?? 0) + tCoef[k])
    const covered = new Set<number>()
    const found: Array<[number, number]> = []
    for (let m2 = 0; m2 < m; m2++) {
      const ks = Array.from({ length: termStart[m2 + 1] - termStart[m2] }, (_, i) => termStart[m2] + i)
      if (ks.length === 0 || !ks.every((k) => own.has(tRatio[k]) && !covered.has(tRatio[k]))) continue
      const lambda = (own.get(tRatio[ks[0]]) as number) / tCoef[ks[0]]
      if (!ks.every((k) => Math.abs((own.get(tRatio[k]) as number) - lambda * tCoef[k]) <= 1e-15 * Math.abs(lambda * tCoef[k]))) continue
      if (new Set(ks.map((k) => tRatio[k])).size !== ks.length) continue
      ks.forEach((k) => covered.add(tRatio[k]))
      found.push([m2, lambda])
    }
    if (found.length > 1 && covered.size === own.size) for (const [m2, lambda] of found) { partSpec.push(m2); partCoef.push(lambda) }
  }
  partStart[M] = partSpec.length
  // Per domain and ratio: 1/X and R/X (0 and 0 when X ≤ 0: scoreTables leaves such a ratio out).
  const invX = new Float64Array(D * Q)
  const rOverX = new Float64Array(D * Q)
  for (let d = 0; d < D; d++) {
    for (let q = 0; q < Q; q++) {
      const rt = totals[d].ratios.get(ratios[q]) as RatioTotals
      if (rt.X > 0) { invX[d * Q + q] = 1 / rt.X; rOverX[d * Q + q] = rt.Y / rt.X / rt.X }
    }
  }
  const domainStart = new Int32Array(domainsOfUnit.length + 1)
  for (let u = 0; u < domainsOfUnit.length; u++) domainStart[u + 1] = domainStart[u] + domainsOfUnit[u].length
  const domainList = Int32Array.from(domainsOfUnit.flat())
  // Accumulators per (domain, group), numbered densely: the province's 20 stay hot in cache.
  const L = Math.max(1, ...domainsOfUnit.map((ds) => ds.length))
  const cellDg = new Int32Array(t.cells * L)
  const dgDomain: number[] = []
  const dgGroup: number[] = []
  const dgOf = new Map<number, number>()
  let G = 0
  for (let cell = 0; cell < t.cells; cell++) G = Math.max(G, t.cellGroup[cell] + 1)
  for (let cell = 0; cell < t.cells; cell++) {
    const ds = domainsOfUnit[t.cellUnit[cell]]
    const g = t.cellGroup[cell]
    for (let di = 0; di < ds.length; di++) {
      const key = ds[di] * G + g
      let dg = dgOf.get(key)
      if (dg === undefined) { dg = dgDomain.length; dgOf.set(key, dg); dgDomain.push(ds[di]); dgGroup.push(g) }
      cellDg[cell * L + di] = dg
    }
  }
  const acc = new Float64Array(dgDomain.length * M * 2)
  const weight = batch.weight ?? new Float64Array(batch.size).fill(1)
  scoreRows(acc, cellDg, L, batch.answers, batch.unit, weight, t.cellRow, domainStart, domainList, slotTable(slots), slots, K, batch.size,
    Q, colStart, cols, yTable, xTable, invX, rOverX, M, termStart, tRatio, tCoef, partStart, Int32Array.from(partSpec), Float64Array.from(partCoef))
  const out: GroupScores[][] = totals.map(() => specs.map(() => new Map()))
  for (let dg = 0; dg < dgDomain.length; dg++) {
    for (let m = 0; m < M; m++) out[dgDomain[dg]][m].set(dgGroup[dg], [acc[(dg * M + m) * 2], acc[(dg * M + m) * 2 + 1]])
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------
// 5. Results: src's result(), with the logit interval's t quantile memoised by df

const quantiles = new Map<number, number>()
const tQuantile = (p: number, df: number): number => {
  if (!(df > 0)) return Number.NaN
  const key = df * 4 + Math.round(p * 1e6) / 1e6 // one level per run in practice; p kept in the key for safety
  let q = quantiles.get(key)
  if (q === undefined) { q = qt(p, df) as number; quantiles.set(key, q) }
  return q
}
const expit = (x: number): number => 1 / (1 + Math.exp(-x))

/**
 * src/scoring/compute.ts's result() (not exported there), with the logit interval inlined on the memoised
 * quantile and the object built as one literal: `{ ...base, estimate, … }` spreads cost ≈ 70 ms per 47,047
 * results in the profile of this benchmark.
 */
function result (spec: IndexSpec, totals: DomainTotals, theta: number | null, variance: number | null, df: number, options: ScoringOptions): IndexResult {
  let n = 0
  for (const r of spec.ratios) n += totals.ratios.get(r)?.n ?? 0
  if (theta === null) return { code: spec.code, kind: spec.kind, n, estimate: null, se: null, df: null, ci: null }
  const estimate = spec.scale * theta + spec.offset
  if (variance === null) return { code: spec.code, kind: spec.kind, n, estimate, se: null, df: null, ci: null, nonProbability: true }
  const se = Math.abs(spec.scale) * Math.sqrt(Math.max(variance, 0))
  const rowsForBeta = spec.simple ? n : totals.rows
  let ci: Interval
  if (spec.proportion && options.interval === 'logit' && estimate > 0 && estimate < 1 && se !== 0) {
    const eta = Math.log(estimate / (1 - estimate))
    const half = tQuantile(1 - (1 - options.level) / 2, df) * se / (estimate * (1 - estimate))
    ci = { lower: expit(eta - half), upper: expit(eta + half), method: 'logit' }
  } else {
    ci = spec.proportion ? proportionInterval(options.interval, estimate, se, df, rowsForBeta, options.level) : waldInterval(estimate, se, df, options.level)
  }
  return { code: spec.code, kind: spec.kind, n, estimate, se, df, ci }
}

export interface Phases { tallyMs: number, domainsMs: number, rowScoresMs: number, mixedMs: number }

export function fastComputeIndices (batch: ResponseBatch, design: Design, instrument: Instrument, options: ScoringOptions, domains: readonly Domain[], phases?: Phases): DomainResult[] {
  let t0 = performance.now()
  const lap = (key: keyof Phases) => { if (phases) { const t = performance.now(); phases[key] = t - t0; t0 = t } }
  const slots = slotCount(instrument)
  const specs = indexSpecs(instrument, options, batch.columns)
  const tallies = fastTally(batch, design, slots)
  lap('tallyMs')
  const parts = domainParts(batch, design, tallies, specs, domains, slots, options)
  lap('domainsMs')
  const mixed = specs.filter((s) => !s.simple)
  const mixedScores = design.probability && mixed.length > 0 ? fastRowScores(batch, tallies, mixed, parts.map((p) => p.totals), slots) : []
  lap('rowScoresMs')
  const clustered = batch.psu !== null
  const out = parts.map((part, d) => ({
    domain: part.totals.domain.id,
    rows: part.totals.rows,
    indices: specs.map((spec, i) => {
      const done = part.simple[i]
      if (done !== null) return done
      const theta = pointEstimate(spec, part.totals) as number
      const variance = indexVariance(mixedScores[d][mixed.indexOf(spec)], design, clustered, part.totals.strata, options.lonelyPsu)
      return result(spec, part.totals, theta, variance, part.dfAll, options)
    })
  }))
  lap('mixedMs')
  return out
}

// ---------------------------------------------------------------------------------------------------------
// The measurement

function compare (a: DomainResult[], b: DomainResult[]): { values: number, maxRelDiff: number, dfMismatches: number } {
  let values = 0; let maxRelDiff = 0; let dfMismatches = 0
  const rel = (x: number | null | undefined, y: number | null | undefined) => {
    if (x === null || x === undefined || y === null || y === undefined) return x === y ? 0 : Number.POSITIVE_INFINITY
    return Math.abs(x - y) / Math.max(Math.abs(x), 1e-300)
  }
  for (let d = 0; d < a.length; d++) {
    if (a[d].domain !== b[d].domain || a[d].rows !== b[d].rows) return { values, maxRelDiff: Number.POSITIVE_INFINITY, dfMismatches }
    for (let i = 0; i < a[d].indices.length; i++) {
      const x = a[d].indices[i]; const y = b[d].indices[i]
      if (x.df !== y.df || x.n !== y.n) dfMismatches++
      maxRelDiff = Math.max(maxRelDiff, rel(x.estimate, y.estimate), rel(x.se, y.se), rel(x.ci?.lower, y.ci?.lower), rel(x.ci?.upper, y.ci?.upper))
      values++
    }
  }
  return { values, maxRelDiff, dfMismatches }
}

const isMain = process.argv[1]?.endsWith('prototype-fast-scoring.ts') === true
if (isMain) {
  const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' }, rows: { type: 'string', default: '1000000' }, units: { type: 'string', default: '1000' }, strata: { type: 'string', default: '20' }, seed: { type: 'string', default: '20240601' }, 'vary-weights': { type: 'boolean', default: false } } })
  const RUNS = Number(args.runs)

  // First, the R-survey fixtures of test/ (clustered, fpc, weighted, lonely-PSU designs): same figures?
  const fixtures = new URL('../test/fixtures/r-survey/', import.meta.url)
  const fixtureChecks: Array<{ name: string, values: number, maxRelDiff: number, dfMismatches: number }> = []
  for (const name of ['srs', 'stratified_fpc', 'clustered', 'weighted', 'clustered_fpc', 'lonely.adjust', 'lonely.average']) {
    const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, fixtures), 'utf8')) as { csv: string, lonelyPsu: string }
    const { batch, design } = readResponsesCsv(readFileSync(new URL(expected.csv, fixtures), 'utf8'), STANDARD_INSTRUMENT)
    const fixtureDomains = [{ id: 'all', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
    for (const interval of ['logit', 'beta'] as const) {
      const options = scoringOptions({ lonelyPsu: expected.lonelyPsu, interval })
      const check = compare(computeIndices(batch, design, STANDARD_INSTRUMENT, options, fixtureDomains), fastComputeIndices(batch, design, STANDARD_INSTRUMENT, options, fixtureDomains))
      fixtureChecks.push({ name: `${name} (${interval})`, ...check })
    }
  }
  const fixturesOk = fixtureChecks.every((c) => c.maxRelDiff < 1e-12 && c.dfMismatches === 0)
  console.log(`R-survey fixtures: ${fixtureChecks.length} cases, ${fixtureChecks.reduce((n, c) => n + c.values, 0)} indices, max relative difference ${Math.max(...fixtureChecks.map((c) => c.maxRelDiff)).toExponential(2)}, df/n mismatches ${fixtureChecks.reduce((n, c) => n + c.dfMismatches, 0)}: ${fixturesOk ? 'same figures' : 'DIFFERENT'}`)
  const synthetic = synthesize({ rows: Number(args.rows), units: Number(args.units), strata: Number(args.strata), seed: Number(args.seed) })
  const { batch } = synthetic
  if (args['vary-weights']) { const w = batch.weight as Float64Array; for (let r = 0; r < batch.size; r++) w[r] *= 0.8 + 0.4 * ((r * 2654435761) % 1000) / 1000 }
  const design = designOfBatch(batch, synthetic.strata, synthetic.population)
  const options = scoringOptions()
  const domains = [{ id: 'province', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
  console.log(`prototype vs computeIndices: ${batch.size.toLocaleString('en-US')} rows × ${batch.columns.length}, ${domains.length} domains`)

  const reference = computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains)
  const src = await timeRuns(() => computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains), Math.min(RUNS, 3), 0)
  console.log(`  computeIndices (src): ${src.times.map((t) => round(t, 0)).join(', ')} ms`)
  const phaseRuns: Phases[] = []
  const fast = await timeRuns(() => { const p = {} as Phases; const r = fastComputeIndices(batch, design, STANDARD_INSTRUMENT, options, domains, p); phaseRuns.push(p); return r }, RUNS, 1)
  phaseRuns.shift() // the warm-up
  console.log(`  prototype: ${fast.times.map((t) => round(t, 0)).join(', ')} ms`)
  const check = compare(reference, fast.last)
  const phases = Object.fromEntries((['tallyMs', 'domainsMs', 'rowScoresMs', 'mixedMs'] as const).map((k) => [k, round(median(phaseRuns.map((p) => p[k])))])) as unknown as Phases

  console.log('\n' + table([
    ['what', 'median ms'],
    ['computeIndices (src)', round(src.median)],
    ['prototype, total', round(fast.median)],
    ['  pass one: cells, then counts column by column', phases.tallyMs],
    ['  per domain: group sums → totals, single-question SEs, df, CIs', phases.domainsMs],
    ['  pass two (rowScores), ratio sums per row, (domain, group) accumulators', phases.rowScoresMs],
    ['  mixed indices: variance, CIs', phases.mixedMs]
  ]))
  console.log(`speed-up ${round(src.median / fast.median, 1)}×; same figures as computeIndices: ${check.values.toLocaleString('en-US')} indices, max relative difference ${check.maxRelDiff.toExponential(2)}, df/n mismatches ${check.dfMismatches}`)
  const path = writeResult(args['vary-weights'] ? 'prototype-fast-scoring-varied-weights' : 'prototype-fast-scoring', {
    rows: batch.size, domains: domains.length,
    computeIndicesSrc: { medianMs: round(src.median), runsMs: src.times.map((t) => round(t)) },
    prototype: { medianMs: round(fast.median), runsMs: fast.times.map((t) => round(t)), phases },
    speedup: round(src.median / fast.median, 2),
    check,
    fixtureChecks
  }, { computeIndicesTargetMs: 150 }, [
    'Prototype in bench/prototype-fast-scoring.ts (see its header): unit-major cells and a cell id per row; pass one counts only, column by column, when the weight is constant in each cell; per-domain sums per group before totals, single-question SEs and df; pass two in row order with flat per-cell accumulators; logit-interval t quantile memoised by df. indexSpecs, scoreTables, pointEstimate, indexVariance and the intervals are src code.',
    `Weights: ${args['vary-weights'] ? 'varied within strata (--vary-weights): the general pass-one path' : 'N_h/n_h, constant within strata: the counting path'}.`
  ])
  console.log(`wrote ${path}`)
}
