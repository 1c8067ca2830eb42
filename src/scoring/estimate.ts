import type { Design } from './batch.js'
import { groupCount } from './cells.js'
import { sameClasses, type AnswerClasses } from './classes.js'
import type { IndexPlan } from './plan.js'
import { cellWidth, type Tallies } from './tally.js'
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
  const sums = new GroupSums(tallies, design, plan.ratios.length)
  const unitOf = new Map(tallies.units.map((u, i) => [u, i]))
  const cellsOfUnit: number[][] = tallies.units.map(() => [])
  for (let c = 0; c < tallies.cells; c++) cellsOfUnit[tallies.cellUnit[c]].push(c)
  const ofUnit = cellsOfUnit.map((cells) => Int32Array.from(cells))
  const ratios = ratioClasses(plan)
  const pool = new Pool((n) => new Float64Array(n))
  return domains.map((domain) => {
    const units = domain.units.flatMap((name) => { const u = unitOf.get(name); return u === undefined ? [] : [u] })
    sums.of(units.length === 1 ? ofUnit[units[0]] : Int32Array.from(units.flatMap((u) => cellsOfUnit[u])))
    return totalsOf(domain, sums, plan, ratios, pool)
  })
}

/**
 * Zeroed Float64Arrays carved from large blocks: a campaign's thousands of domains each want a few small
 * arrays, and allocating each on its own costs more than filling them.
 */
class Pool<A extends Float64Array | Int32Array> {
  private block: A
  private used = 0

  constructor (private readonly make: (n: number) => A) { this.block = make(0) }

  take (n: number): A {
    if (this.used + n > this.block.length) {
      this.block = this.make(Math.max(n, 1 << 16))
      this.used = 0
    }
    this.used += n
    return this.block.subarray(this.used - n, this.used) as A
  }
}

/**
 * A domain's tallies added up per group ([group][tallied column][class]: rows, Σw, Σw²), in buffers reused
 * from domain to domain: every total, score and df of the domain is then read from groups × columns × classes
 * numbers, not from every cell again for each index.
 */
class GroupSums {
  readonly width: number
  readonly clustered: boolean
  strata = new Int32Array(0)
  groups = new Int32Array(0)
  stratumStart = new Int32Array(0)
  rows = 0
  count = new Float64Array(0)
  sumW = new Float64Array(0)
  sumW2 = new Float64Array(0)
  /** Per ratio and group ([ratio × groups + group]): Σ w·y, Σ w·x and the rows with a valid answer (x > 0). */
  ratioY = new Float64Array(0)
  ratioX = new Float64Array(0)
  ratioN = new Float64Array(0)
  /** The place of each group of the design among the domain's (−1: none of its rows). */
  readonly placeOfGroup: Int32Array
  private readonly stratumOfGroup: ArrayLike<number>
  /** Each domain keeps its groups and strata: carved from blocks. */
  private readonly pool = new Pool((n) => new Int32Array(n))

  constructor (readonly tallies: Tallies, design: Design, readonly ratios: number) {
    this.width = cellWidth(tallies.classes)
    this.clustered = tallies.clustered
    const G = groupCount(design, tallies.clustered)
    this.placeOfGroup = new Int32Array(G).fill(-1)
    this.stratumOfGroup = tallies.clustered ? design.psuStratum as Uint32Array : Int32Array.from({ length: G }, (_, g) => g)
  }

  of (cells: Int32Array): void {
    const t = this.tallies
    const G = this.placeOfGroup.length
    // The domain's groups, stratum by stratum, then by group: as numbers stratum · G + group, sorted unless they come so.
    const found: number[] = []
    let sorted = true
    for (let k = 0; k < cells.length; k++) {
      const g = t.cellGroup[cells[k]]
      if (this.placeOfGroup[g] !== -1) continue
      this.placeOfGroup[g] = 0
      const key = this.stratumOfGroup[g] * G + g
      sorted &&= found.length === 0 || found[found.length - 1] < key
      found.push(key)
    }
    if (!sorted) found.sort((a, b) => a - b)
    const groups = this.pool.take(found.length)
    let S = 0
    for (let i = 0; i < found.length; i++) {
      groups[i] = found[i] % G
      this.placeOfGroup[groups[i]] = i
      if (i === 0 || this.stratumOfGroup[groups[i]] !== this.stratumOfGroup[groups[i - 1]]) S++
    }
    const strata = this.pool.take(S)
    const stratumStart = this.pool.take(S + 1)
    for (let i = 0, h = -1; i < groups.length; i++) {
      if (i > 0 && this.stratumOfGroup[groups[i]] === this.stratumOfGroup[groups[i - 1]]) continue
      strata[++h] = this.stratumOfGroup[groups[i]]
      stratumStart[h] = i
    }
    stratumStart[S] = groups.length
    this.groups = groups
    this.strata = strata
    this.stratumStart = stratumStart
    const size = groups.length * this.width
    if (this.count.length < size) {
      this.count = new Float64Array(size)
      this.sumW = new Float64Array(size)
      this.sumW2 = new Float64Array(size)
    } else {
      this.count.fill(0, 0, size)
      this.sumW.fill(0, 0, size)
      this.sumW2.fill(0, 0, size)
    }
    const perRatio = groups.length * this.ratios
    if (this.ratioY.length < perRatio) {
      this.ratioY = new Float64Array(perRatio)
      this.ratioX = new Float64Array(perRatio)
      this.ratioN = new Float64Array(perRatio)
    } else {
      this.ratioY.fill(0, 0, perRatio)
      this.ratioX.fill(0, 0, perRatio)
      this.ratioN.fill(0, 0, perRatio)
    }
    this.rows = sumCells(this, cells)
    for (let i = 0; i < groups.length; i++) this.placeOfGroup[groups[i]] = -1
  }
}

/** Adds the cells into their groups' sums; returns their rows. */
function sumCells (sums: GroupSums, cells: Int32Array): number {
  const t = sums.tallies
  const W = sums.width
  let rows = 0
  for (let k = 0; k < cells.length; k++) {
    const c = cells[k]
    rows += t.cellRows[c]
    const to = sums.placeOfGroup[t.cellGroup[c]] * W
    if (t.cellWeight) addCell(sums.count, sums.sumW, sums.sumW2, to, t.count, c * W, t.cellWeight[c], W)
    else addWeighedCell(sums.count, sums.sumW, sums.sumW2, to, t.count, t.sumW as Float64Array, t.sumW2 as Float64Array, c * W, W)
  }
  return rows
}

function addCell (count: Float64Array, sumW: Float64Array, sumW2: Float64Array, to: number, from: Uint32Array, at: number, w: number, W: number): void {
  const w2 = w * w
  for (let k = 0; k < W; k++) {
    const n = from[at + k]
    count[to + k] += n
    sumW[to + k] += n * w
    sumW2[to + k] += n * w2
  }
}

function addWeighedCell (count: Float64Array, sumW: Float64Array, sumW2: Float64Array, to: number, from: Uint32Array, fromW: Float64Array, fromW2: Float64Array, at: number, W: number): void {
  for (let k = 0; k < W; k++) {
    count[to + k] += from[at + k]
    sumW[to + k] += fromW[at + k]
    sumW2[to + k] += fromW2[at + k]
  }
}

/**
 * Each ratio's classes that count (y or x not 0): ratio q's are e in start[q] ≤ e < start[q + 1], each at
 * place at[e] in a group's sums (column place × stride + class), with the class's y[e] and x[e].
 */
interface RatioClasses { start: Int32Array, at: Int32Array, y: Float64Array, x: Float64Array }

function ratioClasses (plan: IndexPlan): RatioClasses {
  const { classes } = plan
  const start = [0]
  const at: number[] = []
  const y: number[] = []
  const x: number[] = []
  for (const ratio of plan.ratios) {
    for (const c of ratio.columns) {
      for (let k = 0; k < classes.count[c]; k++) {
        const s = classes.slot[c * classes.stride + k]
        if (ratio.y[s] === 0 && ratio.x[s] === 0) continue
        at.push(classes.position[c] * classes.stride + k)
        y.push(ratio.y[s])
        x.push(ratio.x[s])
      }
    }
    start.push(at.length)
  }
  return { start: Int32Array.from(start), at: Int32Array.from(at), y: Float64Array.from(y), x: Float64Array.from(x) }
}

/**
 * Per ratio and group: Σ w·y, Σ w·x, valid rows; then per index the scores' Σ t per group (linear in those:
 * Σ_r (c_r/X_r)(Σw·y − R_r·Σw·x)), Σ t² per group for single-question indices (from Σw² per class), and df.
 */
function totalsOf (domain: Domain, sums: GroupSums, plan: IndexPlan, ratios: RatioClasses, pool: Pool<Float64Array>): DomainTotals {
  const { groups, strata, stratumStart, clustered, rows, width, sumW, sumW2, count, ratioY, ratioX, ratioN } = sums
  const G = groups.length
  const Q = plan.ratios.length
  const M = plan.specs.length
  const Y = pool.take(Q)
  const X = pool.take(Q)
  const n = pool.take(Q)
  const totals: DomainTotals = { domain, clustered, rows, strata, groups, stratumStart, Y, X, n, sumT: pool.take(M * G), sumT2: pool.take(M * G), df: pool.take(M) }
  for (let q = 0; q < Q; q++) ratioSums(totals, q, ratioY, ratioX, ratioN, sumW, count, ratios, G, width)
  for (let m = 0; m < M; m++) {
    if (pointEstimate(plan, totals, m) === null) continue
    for (let k = plan.termStart[m]; k < plan.termStart[m + 1]; k++) {
      const q = plan.termRatio[k]
      addScores(totals.sumT, m * G, ratioY, ratioX, q * G, plan.termCoef[k] / X[q], Y[q] / X[q], G)
    }
    if (plan.specs[m].simple) {
      const q = plan.termRatio[plan.termStart[m]]
      const a = plan.termCoef[plan.termStart[m]] / X[q]
      const R = Y[q] / X[q]
      for (let e = ratios.start[q]; e < ratios.start[q + 1]; e++) {
        const t = a * (ratios.y[e] - R * ratios.x[e])
        addSquares(totals.sumT2, m * G, sumW2, ratios.at[e], t * t, G, width)
      }
      totals.df[m] = validDf(sums, ratioN, q * G)
    } else {
      totals.df[m] = (clustered ? G : rows) - strata.length
    }
  }
  return totals
}

/** Ratio q's Σ w·y, Σ w·x and valid rows, per group (into the group sums' ratio buffers) and in all (into the totals). */
function ratioSums (totals: DomainTotals, q: number, ratioY: Float64Array, ratioX: Float64Array, ratioN: Float64Array, sumW: Float64Array, count: Float64Array, ratios: RatioClasses, G: number, W: number): void {
  const to = q * G
  let Y = 0
  let X = 0
  let n = 0
  for (let e = ratios.start[q]; e < ratios.start[q + 1]; e++) {
    const y = ratios.y[e]
    const x = ratios.x[e]
    for (let i = 0, at = ratios.at[e]; i < G; i++, at += W) {
      const w = sumW[at]
      ratioY[to + i] += y * w
      ratioX[to + i] += x * w
      Y += y * w
      X += x * w
      if (x > 0) { ratioN[to + i] += count[at]; n += count[at] }
    }
  }
  totals.Y[q] = Y
  totals.X[q] = X
  totals.n[q] = n
}

/** out[to + i] += a · (Σw·y − R · Σw·x) of the ratio's group i. */
function addScores (out: Float64Array, to: number, ratioY: Float64Array, ratioX: Float64Array, from: number, a: number, R: number, G: number): void {
  for (let i = 0; i < G; i++) out[to + i] += a * (ratioY[from + i] - R * ratioX[from + i])
}

/** out[to + i] += t² · Σw² of the class at `at` in group i. */
function addSquares (out: Float64Array, to: number, sumW2: Float64Array, at: number, t2: number, G: number, W: number): void {
  for (let i = 0; i < G; i++, at += W) out[to + i] += t2 * sumW2[at]
}

/** degf as R counts it on the subset with a valid answer to the question: its PSUs (or rows) minus its strata. */
function validDf (sums: GroupSums, ratioN: Float64Array, from: number): number {
  const { stratumStart, clustered } = sums
  let rows = 0
  let psus = 0
  let strata = 0
  for (let h = 0; h < sums.strata.length; h++) {
    let inStratum = 0
    for (let i = stratumStart[h]; i < stratumStart[h + 1]; i++) {
      const n = ratioN[from + i]
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
