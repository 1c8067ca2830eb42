import type { Design } from './batch.js'
import { groupCount } from './cells.js'
import { sameClasses, type AnswerClasses } from './classes.js'
import type { IndexPlan } from './plan.js'
import type { Tallies } from './tally.js'
import { groupedVariance, type LonelyPsuRule } from './variance.js'

/** A domain: the rows of some units (one unit, a province, everything), estimated with the full design. */
export interface Domain {
  id: string
  units: readonly string[]
}

/**
 * What the tallies give for a domain: its rows, groups and strata; Σw·y, Σw·x and valid answers of each
 * ratio; per index and group, Σ t of its linearised scores t = w · Σ_r c_r (y_r − R_r x_r)/X_r (Taylor
 * linearisation of the ratios), and Σ t² where the tallies hold it; the degrees of freedom.
 */
export interface DomainTotals {
  readonly domain: Domain
  readonly clustered: boolean
  readonly rows: number
  /** Strata holding rows of the domain, ascending: its variances sum over them. */
  readonly strata: Int32Array
  /**
   * Groups (strata, or PSUs when clustered) holding rows of the domain, stratum by stratum: those of strata[i]
   * are groups[g] for stratumStart[i] ≤ g < stratumStart[i + 1].
   */
  readonly groups: Int32Array
  readonly stratumStart: Int32Array
  /** Per ratio of the plan: Σ w·y, Σ w·x, and the rows with a valid answer (x > 0). */
  readonly Y: Float64Array
  readonly X: Float64Array
  readonly n: Float64Array
  /**
   * [index × groups + group]: Σ t and Σ t². Σ t is linear in the tallies, and so is Σ t² of a single-question
   * index (one answer per row). Σ t² of an index mixing questions needs the rows: 0 until pass two
   * (`withRowScores`) fills it. Indices without an estimate in the domain are left at 0.
   */
  readonly sumT: Float64Array
  readonly sumT2: Float64Array
  /** Degrees of freedom per index: R's degf on the rows the index uses (PSUs, or rows, minus strata). */
  readonly df: Float64Array
}

/** Point-estimate totals, scores and df of every index, for every domain, from the tallies. */
export function domainTotals (tallies: Tallies, design: Design, plan: IndexPlan, domains: readonly Domain[]): DomainTotals[] {
  if (!sameClasses(tallies.classes, plan.classes)) throw new Error('these tallies count answers for other indices')
  const sums = new GroupSums(tallies, design)
  const unitOf = new Map(tallies.units.map((u, i) => [u, i]))
  const cellsOfUnit: number[][] = tallies.units.map(() => [])
  for (let c = 0; c < tallies.cells; c++) cellsOfUnit[tallies.cellUnit[c]].push(c)
  const valid = validClasses(plan)
  return domains.map((domain) => {
    const cells = domain.units.flatMap((name) => { const u = unitOf.get(name); return u === undefined ? [] : cellsOfUnit[u] })
    sums.of(cells)
    return totalsOf(domain, sums, plan, valid)
  })
}

/**
 * A domain's tallies added up per group ([tallied column][group][class]: rows, Σw, Σw²), in buffers reused
 * from domain to domain: every total, score and df of the domain is then read from groups × columns × classes
 * numbers, not from every cell again for each index.
 */
class GroupSums {
  readonly classes: AnswerClasses
  readonly clustered: boolean
  strata = new Int32Array(0)
  groups = new Int32Array(0)
  stratumStart = new Int32Array(0)
  rows = 0
  count = new Float64Array(0)
  sumW = new Float64Array(0)
  sumW2 = new Float64Array(0)
  /** Room for one index's linearised scores per (column, class). */
  readonly scores: Float64Array
  /** The place of each group of the design among the domain's (−1: none of its rows). */
  readonly placeOfGroup: Int32Array
  private readonly stratumOfGroup: ArrayLike<number>

  constructor (readonly tallies: Tallies, design: Design) {
    this.classes = tallies.classes
    this.clustered = tallies.clustered
    const G = groupCount(design, tallies.clustered)
    this.placeOfGroup = new Int32Array(G).fill(-1)
    this.stratumOfGroup = tallies.clustered ? design.psuStratum as Uint32Array : Int32Array.from({ length: G }, (_, g) => g)
    this.scores = new Float64Array(this.classes.tallied.length * this.classes.stride)
  }

  of (cells: readonly number[]): void {
    const t = this.tallies
    const found: number[] = []
    for (const c of cells) {
      const g = t.cellGroup[c]
      if (this.placeOfGroup[g] === -1) { this.placeOfGroup[g] = 0; found.push(g) }
    }
    // Stratum by stratum, then by group: sorted as numbers stratum · G + group.
    const G = this.placeOfGroup.length
    const groups = Int32Array.from(Float64Array.from(found, (g) => this.stratumOfGroup[g] * G + g).sort(), (key) => key % G)
    const strata: number[] = []
    const stratumStart: number[] = []
    groups.forEach((g, i) => {
      this.placeOfGroup[g] = i
      const h = this.stratumOfGroup[g]
      if (strata[strata.length - 1] !== h) { strata.push(h); stratumStart.push(i) }
    })
    stratumStart.push(groups.length)
    this.groups = groups
    this.strata = Int32Array.from(strata)
    this.stratumStart = Int32Array.from(stratumStart)
    const { stride, tallied } = this.classes
    const size = tallied.length * groups.length * stride
    if (this.count.length < size) {
      this.count = new Float64Array(size)
      this.sumW = new Float64Array(size)
      this.sumW2 = new Float64Array(size)
    } else {
      this.count.fill(0, 0, size)
      this.sumW.fill(0, 0, size)
      this.sumW2.fill(0, 0, size)
    }
    this.rows = sumCells(this, Int32Array.from(cells))
    for (let i = 0; i < groups.length; i++) this.placeOfGroup[groups[i]] = -1
  }

  /** Where tallied column t, group i, class 0 is. */
  at (t: number, i: number): number {
    return (t * this.groups.length + i) * this.classes.stride
  }
}

/** Adds the cells into their groups' sums; returns their rows. */
function sumCells (sums: GroupSums, cells: Int32Array): number {
  const t = sums.tallies
  const { stride, tallied } = sums.classes
  const columnStep = t.capacity * stride
  const groupStep = sums.groups.length * stride
  let rows = 0
  for (let k = 0; k < cells.length; k++) {
    const c = cells[k]
    rows += t.cellRows[c]
    const at = sums.placeOfGroup[t.cellGroup[c]] * stride
    if (t.cellWeight) addCell(sums.count, sums.sumW, sums.sumW2, at, groupStep, t.count, c * stride, columnStep, t.cellWeight[c], tallied.length, stride)
    else addWeighedCell(sums.count, sums.sumW, sums.sumW2, at, groupStep, t.count, t.sumW as Float64Array, t.sumW2 as Float64Array, c * stride, columnStep, tallied.length, stride)
  }
  return rows
}

function addCell (count: Float64Array, sumW: Float64Array, sumW2: Float64Array, to: number, toStep: number, from: Uint32Array, at: number, step: number, w: number, columns: number, stride: number): void {
  const w2 = w * w
  for (let t = 0; t < columns; t++, to += toStep, at += step) {
    for (let k = 0; k < stride; k++) {
      const n = from[at + k]
      count[to + k] += n
      sumW[to + k] += n * w
      sumW2[to + k] += n * w2
    }
  }
}

function addWeighedCell (count: Float64Array, sumW: Float64Array, sumW2: Float64Array, to: number, toStep: number, from: Uint32Array, fromW: Float64Array, fromW2: Float64Array, at: number, step: number, columns: number, stride: number): void {
  for (let t = 0; t < columns; t++, to += toStep, at += step) {
    for (let k = 0; k < stride; k++) {
      count[to + k] += from[at + k]
      sumW[to + k] += fromW[at + k]
      sumW2[to + k] += fromW2[at + k]
    }
  }
}

/** Per single-question index, which classes of its column are valid answers ([index × stride + class]): the same in every domain. */
function validClasses (plan: IndexPlan): Uint8Array {
  const { stride, slot } = plan.classes
  const valid = new Uint8Array(plan.specs.length * stride)
  plan.specs.forEach((spec, m) => {
    if (!spec.simple) return
    const ratio = plan.ratios[plan.termRatio[plan.termStart[m]]]
    const column = plan.columnList[plan.columnStart[m]]
    for (let k = 0; k < stride; k++) valid[m * stride + k] = ratio.x[slot[column * stride + k]] > 0 ? 1 : 0
  })
  return valid
}

function totalsOf (domain: Domain, sums: GroupSums, plan: IndexPlan, valid: Uint8Array): DomainTotals {
  const { classes, groups, strata, stratumStart, clustered, rows } = sums
  const { stride, position } = classes
  const G = groups.length
  const Q = plan.ratios.length
  const Y = new Float64Array(Q)
  const X = new Float64Array(Q)
  const n = new Float64Array(Q)
  for (let q = 0; q < Q; q++) {
    const ratio = plan.ratios[q]
    for (const c of ratio.columns) {
      for (let k = 0; k < classes.count[c]; k++) {
        const s = classes.slot[c * stride + k]
        const y = ratio.y[s]
        const x = ratio.x[s]
        if (y === 0 && x === 0) continue
        for (let i = 0, at = sums.at(position[c], 0) + k; i < G; i++, at += stride) {
          Y[q] += y * sums.sumW[at]
          X[q] += x * sums.sumW[at]
          if (x > 0) n[q] += sums.count[at]
        }
      }
    }
  }
  const M = plan.specs.length
  const totals: DomainTotals = { domain, clustered, rows, strata, groups, stratumStart, Y, X, n, sumT: new Float64Array(M * G), sumT2: new Float64Array(M * G), df: new Float64Array(M) }
  const table = sums.scores
  for (let m = 0; m < M; m++) {
    if (pointEstimate(plan, totals, m) === null) continue
    linearScores(plan, m, totals, classes, table)
    for (let k = plan.columnStart[m]; k < plan.columnStart[m + 1]; k++) {
      const c = plan.columnList[k]
      addProducts(totals.sumT, m * G, table, position[c] * stride, classes.count[c], sums.sumW, sums.at(position[c], 0), stride, G, false)
    }
    const column = plan.columnList[plan.columnStart[m]]
    if (plan.specs[m].simple) {
      addProducts(totals.sumT2, m * G, table, position[column] * stride, classes.count[column], sums.sumW2, sums.at(position[column], 0), stride, G, true)
      totals.df[m] = validDf(sums, valid, m * stride, column)
    } else {
      totals.df[m] = (clustered ? G : rows) - strata.length
    }
  }
  return totals
}

/** out[to + i] += Σ_k s_k · values[at + i·stride + k] over groups i, with s the table's scores (squared if asked). */
function addProducts (out: Float64Array, to: number, table: Float64Array, from: number, classes: number, values: Float64Array, at: number, stride: number, groups: number, squared: boolean): void {
  for (let i = 0; i < groups; i++, at += stride) {
    let sum = 0
    for (let k = 0; k < classes; k++) sum += (squared ? table[from + k] * table[from + k] : table[from + k]) * values[at + k]
    out[to + i] += sum
  }
}

/** degf as R counts it on the subset with a valid answer to the question: its PSUs (or rows) minus its strata. */
function validDf (sums: GroupSums, valid: Uint8Array, from: number, column: number): number {
  const { classes, stratumStart, clustered } = sums
  const K = classes.count[column]
  let rows = 0
  let psus = 0
  let strata = 0
  for (let h = 0; h < sums.strata.length; h++) {
    let inStratum = 0
    for (let i = stratumStart[h]; i < stratumStart[h + 1]; i++) {
      let n = 0
      const at = sums.at(classes.position[column], i)
      for (let k = 0; k < K; k++) if (valid[from + k] === 1) n += sums.count[at + k]
      if (n > 0) { rows += n; psus++; inStratum++ }
    }
    if (inStratum > 0) strata++
  }
  return (clustered ? psus : rows) - strata
}

/** θ = Σ_r c_r · Y_r/X_r of index m, before its scale and offset; null when a ratio has no valid answer. */
export function pointEstimate (plan: IndexPlan, totals: DomainTotals, m: number): number | null {
  let theta = 0
  for (let k = plan.termStart[m]; k < plan.termStart[m + 1]; k++) {
    const q = plan.termRatio[k]
    if (!(totals.X[q] > 0)) return null
    theta += plan.termCoef[k] * totals.Y[q] / totals.X[q]
  }
  return theta
}

/**
 * The linearised score of index m in a domain (which must have an estimate) per column and answer class:
 * a row's score is w · Σ_columns table[place(column) · stride + class], with (c_r/X_r)(y_r − R_r·x_r) summed
 * over the ratios reading the column. Only the index's columns are written.
 */
export function linearScores (plan: IndexPlan, m: number, totals: DomainTotals, classes: AnswerClasses, table: Float64Array): void {
  const { stride, position } = classes
  for (let k = plan.columnStart[m]; k < plan.columnStart[m + 1]; k++) {
    const at = position[plan.columnList[k]] * stride
    table.fill(0, at, at + stride)
  }
  for (let k = plan.termStart[m]; k < plan.termStart[m + 1]; k++) {
    const q = plan.termRatio[k]
    const ratio = plan.ratios[q]
    const a = plan.termCoef[k] / totals.X[q]
    const R = totals.Y[q] / totals.X[q]
    for (const c of ratio.columns) {
      for (let cls = 0; cls < classes.count[c]; cls++) {
        const s = classes.slot[c * stride + cls]
        table[position[c] * stride + cls] += a * (ratio.y[s] - R * ratio.x[s])
      }
    }
  }
}

/** The design-based variance of index m's θ in a domain, from its scores per group. */
export function indexVariance (design: Design, totals: DomainTotals, m: number, lonely: LonelyPsuRule): number {
  return groupedVariance(design, totals.clustered, totals.strata, totals.stratumStart, totals.sumT, totals.sumT2, m * totals.groups.length, lonely)
}
