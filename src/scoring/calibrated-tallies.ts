/**
 * Every index of every domain under calibrated weights, from tallies: the figures of calibrated-indices.ts
 * (R's svyratio / svycontrast on postStratify(...) or calibrate(...), domains as subset()), which stays as the
 * row-by-row reference and serves processes that may not compile code.
 *
 * Why it can use the tallies: g is a function of a row's cells in the margins (its calibration class), so the
 * calibrated weight g·w is constant wherever w is. The rows are tallied by (unit, class) as if each pair were a
 * unit; rolled up into their units' cells with each pair's g in the weights (pair-rollup.ts), those tallies give
 * the uncalibrated passes (estimate.ts; rows.ts, over the pairs' cells with their weights scaled by g) every
 * point estimate and, per group, Σ a and Σ a² of a = g·w·r. What calibration adds to the variance
 * (calibrated-variance.ts) is linear in r within a class: b = Σ w m r and Σ c_h g² w² r m, which follow from
 * each cell's ratio totals under w and w². A statistic then costs its domain's cells, not its rows.
 */
import type { Design, ResponseBatch } from './batch.js'
import { CalibratedVariance, type ClassGroupSums } from './calibrated-variance.js'
import { numberKeys, type CalibratedWeights } from './calibration.js'
import { cellsOf, type Cells } from './cells.js'
import { domainTotals, pointEstimate, type Domain, type DomainTotals } from './estimate.js'
import type { CellCodes } from './groups.js'
import type { IndexPlan } from './plan.js'
import { rowScorePlan, rowScores, rowScoresNeeded, withRowScores } from './rows.js'
import { pairRatioTotals, rolledUp } from './pair-rollup.js'
import { tallyRows } from './tally.js'
import { KeptMemory } from './kept-memory.js'
import type { LonelyPsuRule } from './variance.js'

/** A domain's totals under the calibrated weights, and the variance of each index's θ (NaN without an estimate). */
export interface CalibratedTotals {
  readonly totals: DomainTotals
  readonly variance: Float64Array
}

/**
 * The rows' calibration classes within their units: (unit, class) pairs numbered unit by unit (so that a unit's
 * pairs are neighbours, as cells and pass two expect), each with its cell in every margin and its g.
 */
interface UnitClasses {
  readonly names: string[]
  /** Pair k's unit (its index in the batch's units). */
  readonly unit: Uint32Array
  readonly ofRow: Uint32Array
  /** Pair k's class, and its cell in margin m: cells[k × margins + m]. */
  readonly classOf: Uint32Array
  readonly cells: Int32Array
  readonly g: Float64Array
  /** Each unit's pairs, by the unit's name. */
  readonly ofUnit: ReadonlyMap<string, number[]>
}

function unitClasses(batch: ResponseBatch, calibrated: CalibratedWeights): UnitClasses {
  const { classOf, classCells, classes } = calibrated.model
  const M = calibrated.model.margins
  // Usually a margin holds the unit, and a class is within one unit: then the pairs are the classes.
  const unitOfClass = new Int32Array(classes).fill(-1)
  let nested = true
  for (let r = 0; r < batch.size && nested; r++) {
    const k = classOf[r]
    if (unitOfClass[k] === -1) unitOfClass[k] = batch.unit[r]
    else nested = unitOfClass[k] === batch.unit[r]
  }
  let ids = classOf
  let count = classes
  let unitOf = unitOfClass
  let classOfPair = Int32Array.from(unitOfClass.keys())
  if (!nested) {
    const keys = new Float64Array(batch.size)
    for (let r = 0; r < batch.size; r++) keys[r] = batch.unit[r] * classes + classOf[r]
    ;({ ids, count } = numberKeys(keys, batch.units.length * classes))
    unitOf = new Int32Array(count)
    classOfPair = new Int32Array(count)
    for (let r = 0; r < batch.size; r++) {
      unitOf[ids[r]] = batch.unit[r]
      classOfPair[ids[r]] = classOf[r]
    }
  }
  const order = Int32Array.from(unitOf.keys()).sort((a, b) => unitOf[a] - unitOf[b] || a - b)
  const rank = new Uint32Array(count)
  order.forEach((k, i) => (rank[k] = i))
  const names: string[] = []
  const unit = Uint32Array.from(order, (k) => unitOf[k])
  const classOfRanked = new Uint32Array(count)
  const cells = new Int32Array(count * M)
  const g = new Float64Array(count)
  const ofUnit = new Map<string, number[]>()
  order.forEach((k, i) => {
    const unit = batch.units[unitOf[k]]
    names.push(`${unit}\u0000${i}`)
    const pairs = ofUnit.get(unit)
    if (pairs) pairs.push(i)
    else ofUnit.set(unit, [i])
    classOfRanked[i] = classOfPair[k]
    cells.set(classCells.subarray(classOfPair[k] * M, (classOfPair[k] + 1) * M), i * M)
    g[i] = calibrated.factors[classOfPair[k]]
  })
  const ofRow = new Uint32Array(batch.size)
  for (let r = 0; r < batch.size; r++) ofRow[r] = rank[ids[r]]
  return { names, unit, ofRow, classOf: classOfRanked, cells, g, ofUnit }
}

/** The cells and row weights of pass two with each cell's weights multiplied by its g. */
function scaledByCell(cells: Cells, codes: CellCodes, g: Float64Array) {
  const weight = cells.weight ? cells.weight.map((w, c) => w * g[c]) : null
  let rowWeight = codes.weight
  if (rowWeight) {
    rowWeight = rowWeight.slice()
    for (let c = 0; c < cells.count; c++)
      for (let at = cells.start[c]; at < cells.start[c + 1]; at++) rowWeight[at] *= g[c]
  }
  return { cells: { ...cells, weight }, codes: { ...codes, weight: rowWeight } }
}

/**
 * Each cell's value of its pair, into `into`. A loop: TypedArray.from with a function walks an iterator, several
 * times slower over a province's pair cells.
 */
function perCell<A extends Uint32Array | Float64Array>(pairOfCell: Uint32Array, value: ArrayLike<number>, into: A): A {
  for (let c = 0; c < pairOfCell.length; c++) into[c] = value[pairOfCell[c]]
  return into
}

/**
 * Each cell's Σ g·w and Σ (g·w)² by its pair's class and its group, for the variance (classGroupSums): a cell
 * holds one pair's rows in one group. From the cell's shared weight, or from its rows' weights (cell order).
 */
function cellClassSums(cells: Cells, codes: CellCodes, classes: UnitClasses): ClassGroupSums {
  const sum = new Float64Array(cells.count)
  const squares = new Float64Array(cells.count)
  for (let c = 0; c < cells.count; c++) {
    if (cells.weight) {
      sum[c] = cells.rows[c] * cells.weight[c]
      squares[c] = cells.rows[c] * cells.weight[c] * cells.weight[c]
    } else
      for (let at = cells.start[c]; at < cells.start[c + 1]; at++) {
        const w = (codes.weight as Float64Array)[at]
        sum[c] += w
        squares[c] += w * w
      }
    const g = classes.g[cells.unit[c]]
    sum[c] *= g
    squares[c] *= g * g
  }
  return {
    group: cells.group,
    classOf: perCell(cells.unit, classes.classOf, new Uint32Array(cells.count)),
    sum,
    squares
  }
}

/** Memory of the pair tallies, kept on this thread from one computation to the next (kept-memory.ts). */
const pairMemory = new KeptMemory(256 * 2 ** 20)

/**
 * The domains' calibrated totals and variances. Nothing answered is made in the pair tallies' memory (the totals
 * are arrays of their own): it is free for the next computation once they are made.
 */
export const calibratedTotals = (...args: Parameters<typeof totalsOfPairs>): CalibratedTotals[] =>
  pairMemory.during(() => totalsOfPairs(...args))

function totalsOfPairs(
  batch: ResponseBatch,
  design: Design,
  plan: IndexPlan,
  domains: readonly Domain[],
  calibrated: CalibratedWeights,
  lonely: LonelyPsuRule
): CalibratedTotals[] {
  const classes = unitClasses(batch, calibrated)
  const pairs: ResponseBatch = { ...batch, units: classes.names, unit: classes.ofRow }
  const baseCells = cellsOf(pairs, design)
  const base = tallyRows(pairs, baseCells, plan.groups, pairMemory.room)
  const clustered = baseCells.clustered
  const cellG = perCell(baseCells.unit, classes.g, new Float64Array(baseCells.count))
  // A calibrated design has SEs even for self-selected responses (calibrated-indices.ts).
  const withSe = { ...design, probability: true }
  const variance = new CalibratedVariance(
    batch,
    design,
    calibrated,
    lonely,
    cellClassSums(baseCells, base.codes, classes)
  )
  // c_h of each cell's stratum (its group), for the pairs' Σ c_h w²: none when clustered.
  const factor = new Float64Array(baseCells.count)
  if (!clustered) for (let c = 0; c < baseCells.count; c++) factor[c] = variance.stratumFactor(baseCells.group[c])
  const rolled = rolledUp(base.tallies, plan, cellG, classes.unit, [...batch.units], factor, pairMemory.room)
  let totals = domainTotals(rolled.units, withSe, plan, domains)
  const pairsOf = domains.map((d) => Int32Array.from(d.units.flatMap((u) => classes.ofUnit.get(u) ?? [])))
  if (rowScoresNeeded(plan, withSe, clustered)) {
    // Pass two reads the rows in the pairs' cells: each domain named by its pairs there.
    const byPairs = totals.map((t, d) => ({
      ...t,
      domain: { id: t.domain.id, units: Array.from(pairsOf[d], (k) => classes.names[k]) }
    }))
    const passTwo = rowScorePlan(plan, withSe, byPairs)
    const { cells, codes } = scaledByCell(baseCells, base.codes, cellG)
    totals = withRowScores(totals, passTwo, rowScores({ units: classes.names, cells, codes }, passTwo))
  }
  const pairTotals = pairRatioTotals(rolled, plan, classes.names.length)
  const M = calibrated.model.margins
  const P = classes.names.length
  const seen = new Int32Array(calibrated.model.totals.length).fill(-1)
  const terms = {
    q: new Int32Array(plan.termRatio.length),
    a: new Float64Array(plan.termRatio.length),
    R: new Float64Array(plan.termRatio.length)
  }
  const variances = totals.map((t, d) => {
    const domainPairs = pairsOf[d]
    const { cells: touched, place } = domainCells(domainPairs, classes.cells, M, seen)
    // All the domain's statistics touch the same cells: one set for all, b and the fits on its cells.
    const set = variance.cellSet(touched)
    const b = new Float64Array(touched.length)
    const fits = new Float64Array(touched.length)
    const out = new Float64Array(plan.specs.length).fill(Number.NaN)
    const G = t.groups.length
    for (let m = 0; m < plan.specs.length; m++) {
      if (pointEstimate(plan, t, m) === null) continue
      const T = plan.termStart[m + 1] - plan.termStart[m]
      for (let j = 0; j < T; j++) {
        const q = plan.termRatio[plan.termStart[m] + j]
        terms.q[j] = q
        terms.a[j] = plan.termCoef[plan.termStart[m] + j] / t.X[q]
        terms.R[j] = t.Y[q] / t.X[q]
      }
      b.fill(0)
      fits.fill(0)
      for (let i = 0; i < domainPairs.length; i++) {
        const k = domainPairs[i]
        // Σ w r and Σ c_h w² r of the pair's rows, r = Σ_k a_k (y_k − R_k x_k); the latter times g², once more g·w.
        let r1 = 0
        let r2 = 0
        for (let j = 0; j < T; j++) {
          const at = (terms.q[j] * P + k) * 4
          r1 += terms.a[j] * (pairTotals[at] - terms.R[j] * pairTotals[at + 1])
          if (!clustered) r2 += terms.a[j] * (pairTotals[at + 2] - terms.R[j] * pairTotals[at + 3])
        }
        const fit = classes.g[k] ** 2 * r2
        for (let margin = 0; margin < M; margin++) {
          b[place[i * M + margin]] += r1
          fits[place[i * M + margin]] += fit
        }
      }
      const groups = variance.groupSums()
      let squares = 0
      for (let i = 0; i < G; i++) {
        const group = t.groups[i]
        groups.add(group, t.sumT[m * G + i])
        if (!clustered) squares += variance.stratumFactor(group) * t.sumT2[m * G + i]
      }
      out[m] = variance.combineOn(set, b, fits, groups, squares)
    }
    return out
  })
  return totals.map((t, d) => ({ totals: t, variance: variances[d] }))
}

/**
 * The cells a domain's pairs hold, as met, and the place among them of pair i's cell in margin m at
 * place[i × M + m] (`seen`: −1 for every cell, left so).
 */
function domainCells(
  pairs: Int32Array,
  pairCells: Int32Array,
  M: number,
  seen: Int32Array
): { cells: Int32Array; place: Int32Array } {
  const cells: number[] = []
  const place = new Int32Array(pairs.length * M)
  for (let i = 0; i < pairs.length; i++)
    for (let m = 0; m < M; m++) {
      const cell = pairCells[pairs[i] * M + m]
      if (seen[cell] === -1) {
        seen[cell] = cells.length
        cells.push(cell)
      }
      place[i * M + m] = seen[cell]
    }
  for (const cell of cells) seen[cell] = -1
  return { cells: Int32Array.from(cells), place }
}
