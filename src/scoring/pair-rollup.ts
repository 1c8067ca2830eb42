/**
 * A calibrated computation's tallies (calibrated-tallies.ts) have a cell per (unit, class) pair and group: on a
 * province, some 160,000 cells, eight times its units' cells. They are read once, here, and added up into what
 * the rest reads: their units' cells, with each pair's g in the weights (the domains' totals), and per pair, its
 * Σ w and Σ c_h w² of each class (what calibration adds to the variance: pairRatioTotals). Pass two still reads
 * the rows in the pairs' cells (their codes, not these counts).
 */
import type { Room } from './batch.js'
import { ratioClasses } from './estimate.js'
import { join, js, kernel, type KernelSource } from './kernel.js'
import type { IndexPlan } from './plan.js'
import { cellWidth, type Tallies } from './tally.js'

/** The pairs' tallies added up (rolledUp). */
export interface RolledUp {
  /**
   * Their units' cells, (unit, group) numbered unit by unit with groups ascending: Σ g·w and Σ (g·w)² per
   * class. Only the classes some ratio counts (ratioClasses) are added up; the others stay 0, and nothing reads
   * them (the domains' totals read each ratio's classes).
   */
  readonly units: Tallies
  /** Per pair k and class at [k × W + class]: Σ w and Σ c_h w² (0 when clustered) of its rows, before calibration. */
  readonly pairW: Float64Array
  readonly pairSquares: Float64Array
}

/**
 * The pairs' tallies added up in one pass: into their units' cells, each pair cell's weights multiplied by its
 * g (`cellG`), and into sums per pair with c_h of each cell's stratum (`factor`, per cell: 0 when clustered).
 * A unit's pairs are neighbours, and so are their cells (calibrated-tallies.ts numbers them so).
 */
export function rolledUp(
  pairs: Tallies,
  plan: IndexPlan,
  cellG: Float64Array,
  pairUnit: Uint32Array,
  units: string[],
  factor: Float64Array,
  room: Room
): RolledUp {
  const cellOf = new Int32Array(pairs.cells)
  // Each group's cell in the unit at hand (−1: none yet), and the unit's groups.
  const placeOfGroup = new Int32Array(pairs.cellGroup.reduce((most, g) => Math.max(most, g + 1), 0)).fill(-1)
  const groups: number[] = []
  const cellUnit: number[] = []
  const cellGroup: number[] = []
  for (let from = 0, to = 0; from < pairs.cells; from = to) {
    const u = pairUnit[pairs.cellUnit[from]]
    for (; to < pairs.cells && pairUnit[pairs.cellUnit[to]] === u; to++)
      if (placeOfGroup[pairs.cellGroup[to]] < 0) groups.push((placeOfGroup[pairs.cellGroup[to]] = pairs.cellGroup[to]))
    for (const group of groups.sort((a, b) => a - b)) {
      placeOfGroup[group] = cellUnit.length
      cellUnit.push(u)
      cellGroup.push(group)
    }
    for (let c = from; c < to; c++) cellOf[c] = placeOfGroup[pairs.cellGroup[c]]
    for (const group of groups.splice(0)) placeOfGroup[group] = -1
  }
  const W = cellWidth(pairs.classes)
  const size = cellUnit.length * W
  const count = new Uint32Array(room(4 * size), 0, size)
  const sumW = new Float64Array(room(8 * size), 0, size)
  const sumW2 = new Float64Array(room(8 * size), 0, size)
  const cellRows = new Float64Array(cellUnit.length)
  for (let c = 0; c < pairs.cells; c++) cellRows[cellOf[c]] += pairs.cellRows[c]
  const pairW = new Float64Array(pairUnit.length * W)
  const pairSquares = new Float64Array(pairUnit.length * W)
  const weighed = pairs.cellWeight === null
  // Each kind of kernel reads either the cells' weights or their Σ w and Σ w²: the other's stand-ins go unread.
  kernel<RollUp>(rollUpSource(plan, weighed))(
    pairs.cells,
    cellOf,
    pairs.cellUnit,
    pairs.cellWeight ?? cellG,
    cellG,
    factor,
    pairs.count,
    pairs.sumW ?? sumW,
    pairs.sumW2 ?? sumW2,
    count,
    sumW,
    sumW2,
    pairW,
    pairSquares
  )
  const unitTallies: Tallies = {
    ...pairs,
    units,
    cells: cellUnit.length,
    capacity: cellUnit.length,
    cellUnit: Uint32Array.from(cellUnit),
    cellGroup: Uint32Array.from(cellGroup),
    cellRows,
    count,
    cellWeight: null,
    sumW,
    sumW2
  }
  return { units: unitTallies, pairW, pairSquares }
}

/**
 * Per ratio q and (unit, class) pair k, at [(q × pairs + k) × 4] (a domain's pairs are neighbours: a statistic
 * reads its ratios' totals in order): Σ w·y, Σ w·x over the pair's rows, then Σ c_h w²·y and Σ c_h w²·x (0
 * when clustered), from the pairs' sums of each class (RolledUp), the weights before calibration.
 */
export function pairRatioTotals(rolled: RolledUp, plan: IndexPlan, pairs: number): Float64Array {
  const W = cellWidth(plan.classes)
  const ratios = ratioClasses(plan)
  // Each ratio's classes in flat arrays: ratio q's are entryStart[q] to entryStart[q + 1].
  const Q = ratios.length
  const entryStart = new Int32Array(Q + 1)
  for (let q = 0; q < Q; q++) entryStart[q + 1] = entryStart[q] + ratios[q].length
  const at = Int32Array.from(ratios.flat(), (e) => e.at)
  const ey = Float64Array.from(ratios.flat(), (e) => e.y)
  const ex = Float64Array.from(ratios.flat(), (e) => e.x)
  const { pairW, pairSquares } = rolled
  const totals = new Float64Array(pairs * Q * 4)
  // Pair by pair, its sums in cache while each ratio's totals are written (in as many sequential streams).
  for (let k = 0; k < pairs; k++)
    for (let q = 0; q < Q; q++) {
      const out = (q * pairs + k) * 4
      for (let e = entryStart[q]; e < entryStart[q + 1]; e++) {
        const from = k * W + at[e]
        totals[out] += ey[e] * pairW[from]
        totals[out + 1] += ex[e] * pairW[from]
        totals[out + 2] += ey[e] * pairSquares[from]
        totals[out + 3] += ex[e] * pairSquares[from]
      }
    }
  return totals
}

type RollUp = (
  cells: number,
  cellOf: Int32Array,
  cellPair: Uint32Array,
  cellWeight: Float64Array,
  cellG: Float64Array,
  factor: Float64Array,
  pairCount: Uint32Array,
  pairSumW: Float64Array,
  pairSumW2: Float64Array,
  count: Uint32Array,
  sumW: Float64Array,
  sumW2: Float64Array,
  pairW: Float64Array,
  pairSquares: Float64Array
) => void

/**
 * The kernel (kernel.ts) of rolledUp, over the classes some ratio counts, written out: per pair cell c, with
 * u, k, f the places of its unit's cell, its pair and itself (× W), and n its count of a class:
 *  - cells sharing a weight w (`weighed` false): count[u] += n; sumW[u] += n·g·w; sumW2[u] += n·(g·w)²;
 *    pairW[k] += n·w; pairSquares[k] += n·c_h·w²;
 *  - rows of mixed weights, from the cell's Σ w and Σ w² (s, s2): count[u] += n; sumW[u] += g·s;
 *    sumW2[u] += g²·s2; pairW[k] += s; pairSquares[k] += c_h·s2.
 * Written generically, this loop took twice as long over a province's 160,000 × 75 tallied classes.
 */
export function rollUpSource(plan: IndexPlan, weighed: boolean): KernelSource {
  const W = cellWidth(plan.classes)
  const counted = [...new Set(ratioClasses(plan).flatMap((entries) => entries.map((e) => e.at)))].sort((a, b) => a - b)
  const adds = counted.map((a) =>
    weighed
      ? js`{
        const s = pairSumW[f + ${a}], s2 = pairSumW2[f + ${a}]
        count[u + ${a}] += pairCount[f + ${a}]; sumW[u + ${a}] += g * s; sumW2[u + ${a}] += g2 * s2
        pairW[k + ${a}] += s; pairSquares[k + ${a}] += ch * s2
      }`
      : js`{
        const n = pairCount[f + ${a}]
        count[u + ${a}] += n; sumW[u + ${a}] += n * gw; sumW2[u + ${a}] += n * gw2
        pairW[k + ${a}] += n * w; pairSquares[k + ${a}] += n * chw2
      }`
  )
  const weights = weighed
    ? js`const g = cellG[c], g2 = g * g, ch = factor[c]`
    : js`const w = cellWeight[c], gw = cellG[c] * w, gw2 = gw * gw, chw2 = factor[c] * w * w`
  return {
    name: `calibration: the pairs' tallies added up into their units' cells and per pair, ${weighed ? 'rows of mixed weights' : 'cells sharing a weight'} (pair-rollup.ts)`,
    params: [
      'cells',
      'cellOf',
      'cellPair',
      'cellWeight',
      'cellG',
      'factor',
      'pairCount',
      'pairSumW',
      'pairSumW2',
      'count',
      'sumW',
      'sumW2',
      'pairW',
      'pairSquares'
    ],
    body: js`
    for (let c = 0; c < cells; c++) {
      const u = cellOf[c] * ${W}, k = cellPair[c] * ${W}, f = c * ${W}
      ${weights}
      ${join(adds, js`\n      `)}
    }`
  }
}
