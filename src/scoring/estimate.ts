import type { Design } from './batch.js'
import { groupCount } from './cells.js'
import { sameClasses, type AnswerClasses } from './classes.js'
import { join, js, kernel, real, type Js, type KernelSource } from './kernel.js'
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
export function domainTotals(
  tallies: Tallies,
  design: Design,
  plan: IndexPlan,
  domains: readonly Domain[]
): DomainTotals[] {
  if (!sameClasses(tallies.classes, plan.classes)) throw new Error('these tallies count answers for other indices')
  const sums = new GroupSums(tallies, design, plan.ratios.length)
  const unitOf = new Map(tallies.units.map((u, i) => [u, i]))
  const cellsOfUnit: number[][] = tallies.units.map(() => [])
  for (let c = 0; c < tallies.cells; c++) cellsOfUnit[tallies.cellUnit[c]].push(c)
  const ofUnit = cellsOfUnit.map((cells) => Int32Array.from(cells))
  const kernels = domainKernels(plan, cellWidth(plan.classes))
  const pool = new Pool((n) => new Float64Array(n))
  return domains.map((domain) => {
    const units = domain.units.flatMap((name) => {
      const u = unitOf.get(name)
      return u === undefined ? [] : [u]
    })
    sums.of(units.length === 1 ? ofUnit[units[0]] : Int32Array.from(units.flatMap((u) => cellsOfUnit[u])))
    return totalsOf(domain, sums, plan, kernels, pool)
  })
}

/**
 * Zeroed typed arrays carved from large blocks: a campaign's thousands of domains each want a few small
 * arrays, and allocating each on its own costs more than filling them.
 */
export class Pool<A extends Float64Array | Int32Array> {
  private block: A
  private used = 0

  constructor(private readonly make: (n: number) => A) {
    this.block = make(0)
  }

  take(n: number): A {
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
  /** Per ratio, the domain's R = Y/X and 1/X (0 where X = 0), for the scores' kernel. */
  readonly R: Float64Array
  readonly inverseX: Float64Array
  /** The place of each group of the design among the domain's (−1: none of its rows). */
  readonly placeOfGroup: Int32Array
  private readonly stratumOfGroup: ArrayLike<number>
  /** Each domain keeps its groups and strata: carved from blocks. */
  private readonly pool = new Pool((n) => new Int32Array(n))

  constructor(
    readonly tallies: Tallies,
    design: Design,
    readonly ratios: number
  ) {
    this.R = new Float64Array(ratios)
    this.inverseX = new Float64Array(ratios)
    this.width = cellWidth(tallies.classes)
    this.clustered = tallies.clustered
    const G = groupCount(design, tallies.clustered)
    this.placeOfGroup = new Int32Array(G).fill(-1)
    this.stratumOfGroup = tallies.clustered
      ? (design.psuStratum as Uint32Array)
      : Int32Array.from({ length: G }, (_, g) => g)
  }

  of(cells: Int32Array): void {
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
    // A unit's domain has one cell per group: its sums are set from the cells, not added up from zeros.
    const oneCellEach = cells.length === groups.length && t.cellWeight !== null
    if (this.count.length < size) {
      this.count = new Float64Array(size)
      this.sumW = new Float64Array(size)
      this.sumW2 = new Float64Array(size)
    } else if (!oneCellEach) {
      this.count.fill(0, 0, size)
      this.sumW.fill(0, 0, size)
      this.sumW2.fill(0, 0, size)
    }
    const perRatio = groups.length * this.ratios
    if (this.ratioY.length < perRatio) {
      this.ratioY = new Float64Array(perRatio)
      this.ratioX = new Float64Array(perRatio)
      this.ratioN = new Float64Array(perRatio)
    }
    this.rows = sumCells(this, cells, oneCellEach)
    for (let i = 0; i < groups.length; i++) this.placeOfGroup[groups[i]] = -1
  }
}

/** Adds the cells into their groups' sums; returns their rows. */
function sumCells(sums: GroupSums, cells: Int32Array, set: boolean): number {
  const t = sums.tallies
  const W = sums.width
  let rows = 0
  for (let k = 0; k < cells.length; k++) {
    const c = cells[k]
    rows += t.cellRows[c]
    const to = sums.placeOfGroup[t.cellGroup[c]] * W
    if (set) setCell(sums.count, sums.sumW, sums.sumW2, to, t.count, c * W, (t.cellWeight as Float64Array)[c], W)
    else if (t.cellWeight) addCell(sums.count, sums.sumW, sums.sumW2, to, t.count, c * W, t.cellWeight[c], W)
    else
      addWeighedCell(
        sums.count,
        sums.sumW,
        sums.sumW2,
        to,
        t.count,
        t.sumW as Float64Array,
        t.sumW2 as Float64Array,
        c * W,
        W
      )
  }
  return rows
}

function setCell(
  count: Float64Array,
  sumW: Float64Array,
  sumW2: Float64Array,
  to: number,
  from: Uint32Array,
  at: number,
  w: number,
  W: number
): void {
  const w2 = w * w
  for (let k = 0; k < W; k++) {
    const n = from[at + k]
    count[to + k] = n
    sumW[to + k] = n * w
    sumW2[to + k] = n * w2
  }
}

function addCell(
  count: Float64Array,
  sumW: Float64Array,
  sumW2: Float64Array,
  to: number,
  from: Uint32Array,
  at: number,
  w: number,
  W: number
): void {
  const w2 = w * w
  for (let k = 0; k < W; k++) {
    const n = from[at + k]
    count[to + k] += n
    sumW[to + k] += n * w
    sumW2[to + k] += n * w2
  }
}

function addWeighedCell(
  count: Float64Array,
  sumW: Float64Array,
  sumW2: Float64Array,
  to: number,
  from: Uint32Array,
  fromW: Float64Array,
  fromW2: Float64Array,
  at: number,
  W: number
): void {
  for (let k = 0; k < W; k++) {
    count[to + k] += from[at + k]
    sumW[to + k] += fromW[at + k]
    sumW2[to + k] += fromW2[at + k]
  }
}

/**
 * Per ratio and group: Σ w·y, Σ w·x, valid rows; then per index the scores' Σ t per group (linear in those:
 * Σ_r (c_r/X_r)(Σw·y − R_r·Σw·x)), Σ t² per group for single-question indices (from Σw² per class), and df.
 */
function totalsOf(
  domain: Domain,
  sums: GroupSums,
  plan: IndexPlan,
  kernels: DomainKernels,
  pool: Pool<Float64Array>
): DomainTotals {
  const { groups, strata, stratumStart, clustered, rows, sumW, sumW2, count, ratioY, ratioX, ratioN, R, inverseX } =
    sums
  const G = groups.length
  const Q = plan.ratios.length
  const M = plan.specs.length
  const Y = pool.take(Q)
  const X = pool.take(Q)
  const n = pool.take(Q)
  const totals: DomainTotals = {
    domain,
    clustered,
    rows,
    strata,
    groups,
    stratumStart,
    Y,
    X,
    n,
    sumT: pool.take(M * G),
    sumT2: pool.take(M * G),
    df: pool.take(M)
  }
  kernels.ratios(G, count, sumW, ratioY, ratioX, ratioN, Y, X, n)
  for (let q = 0; q < Q; q++) {
    R[q] = X[q] > 0 ? Y[q] / X[q] : 0
    inverseX[q] = X[q] > 0 ? 1 / X[q] : 0
  }
  kernels.scores(G, sumW2, ratioY, ratioX, R, inverseX, totals.sumT, totals.sumT2)
  for (let m = 0; m < M; m++) {
    if (pointEstimate(plan, totals, m) === null) {
      // No estimate, no scores (the kernel summed what it could of the index's ratios).
      totals.sumT.fill(0, m * G, (m + 1) * G)
      totals.sumT2.fill(0, m * G, (m + 1) * G)
    } else if (plan.specs[m].simple) {
      totals.df[m] = validDf(sums, ratioN, plan.termRatio[plan.termStart[m]] * G)
    } else {
      totals.df[m] = (clustered ? G : rows) - strata.length
    }
  }
  return totals
}

/** Each ratio's classes that count (y or x not 0): their place in a group's sums (column place × stride + class), y and x. */
export function ratioClasses(plan: IndexPlan): Array<Array<{ at: number; y: number; x: number }>> {
  const { classes } = plan
  return plan.ratios.map((ratio) =>
    ratio.columns.flatMap((c) =>
      Array.from({ length: classes.count[c] }, (_, k) => {
        const s = classes.slot[c * classes.stride + k]
        return { at: classes.position[c] * classes.stride + k, y: ratio.y[s], x: ratio.x[s] }
      }).filter((e) => e.y !== 0 || e.x !== 0)
    )
  )
}

type RatioSums = (
  G: number,
  count: Float64Array,
  sumW: Float64Array,
  ratioY: Float64Array,
  ratioX: Float64Array,
  ratioN: Float64Array,
  Y: Float64Array,
  X: Float64Array,
  n: Float64Array
) => void
type GroupScores = (
  G: number,
  sumW2: Float64Array,
  ratioY: Float64Array,
  ratioX: Float64Array,
  R: Float64Array,
  inverseX: Float64Array,
  sumT: Float64Array,
  sumT2: Float64Array
) => void
interface DomainKernels {
  ratios: RatioSums
  scores: GroupScores
}

/**
 * The kernels (kernel.ts) of a domain's totals, group by group (group i's sums start at i × W):
 *  - `ratios`: per ratio q, its Σ w·y, Σ w·x and valid rows (x > 0) in group i, into ratioY/X/N[q × G + i],
 *    and over all groups into Y[q], X[q], n[q];
 *  - `scores`: with R[q] = Y/X and inverseX[q] = 1/X of the domain (0 where X = 0), per group each ratio's
 *    linearised total z_q = (Σw·y − R_q·Σw·x)/X_q; each index's Σ t = Σ over its terms of c_r · z_r; each
 *    single-question index's Σ t² = Σ over its column's classes of (c/X · (y − R·x))² · Σw², the class
 *    values `linearScores` gives, written out here per class.
 */
function domainKernels(plan: IndexPlan, W: number): DomainKernels {
  return { ratios: kernel<RatioSums>(ratiosSource(plan, W)), scores: kernel<GroupScores>(scoresSource(plan, W)) }
}

const sum = (terms: Js[]): Js => (terms.length > 0 ? join(terms, js` + `) : js`0`)
const times = (k: number, x: Js): Js => (k === 1 ? x : js`${real(k)} * ${x}`)

export function ratiosSource(plan: IndexPlan, W: number): KernelSource {
  const Q = plan.ratios.length
  const ratioLines = ratioClasses(plan).map(
    (cs, q) => js`{
        const y = ${sum(cs.filter((e) => e.y !== 0).map((e) => times(e.y, js`sumW[b + ${e.at}]`)))}
        const x = ${sum(cs.filter((e) => e.x !== 0).map((e) => times(e.x, js`sumW[b + ${e.at}]`)))}
        const c = ${sum(cs.filter((e) => e.x > 0).map((e) => js`count[b + ${e.at}]`))}
        ratioY[${q} * G + i] = y; ratioX[${q} * G + i] = x; ratioN[${q} * G + i] = c
        Y${q} += y; X${q} += x; n${q} += c
      }`
  )
  const ratios = Array.from({ length: Q }, (_, q) => q)
  return {
    name: "domain totals: each ratio's Σ w·y, Σ w·x and valid answers per group and over the domain (estimate.ts)",
    params: ['G', 'count', 'sumW', 'ratioY', 'ratioX', 'ratioN', 'Y', 'X', 'n'],
    body: js`
    let ${join(
      ratios.map((q) => js`Y${q} = 0, X${q} = 0, n${q} = 0`),
      js`, `
    )}
    for (let i = 0, b = 0; i < G; i++, b += ${W}) {
      ${join(ratioLines, js`\n      `)}
    }
    ${join(
      ratios.map((q) => js`Y[${q}] = Y${q}; X[${q}] = X${q}; n[${q}] = n${q}`),
      js`\n    `
    )}`
  }
}

export function scoresSource(plan: IndexPlan, W: number): KernelSource {
  const classes = ratioClasses(plan)
  const used = [...new Set(plan.termRatio)].sort((a, b) => a - b)
  const squares: Js[] = []
  const lines = plan.specs.map((spec, m) => {
    const terms = Array.from({ length: plan.termStart[m + 1] - plan.termStart[m] }, (_, k) => plan.termStart[m] + k)
    const line = js`sumT[${m} * G + i] = ${sum(terms.map((k) => times(plan.termCoef[k], js`z${plan.termRatio[k]}`)))}`
    if (!spec.simple || terms.length !== 1) return line
    const [k] = terms
    const q = plan.termRatio[k]
    const parts = classes[q].map((e, j) => {
      squares.push(
        js`const t${m}_${j} = (${real(plan.termCoef[k])} * v${q} * (${real(e.y)} - R${q} * ${real(e.x)})) ** 2`
      )
      return js`t${m}_${j} * sumW2[b + ${e.at}]`
    })
    return js`${line}\n      sumT2[${m} * G + i] = ${sum(parts)}`
  })
  return {
    name: "domain totals: each index's Σ t per group, and Σ t² of single-question indices (estimate.ts)",
    params: ['G', 'sumW2', 'ratioY', 'ratioX', 'R', 'inverseX', 'sumT', 'sumT2'],
    body: js`
    ${join(
      used.map((q) => js`const R${q} = R[${q}], v${q} = inverseX[${q}]`),
      js`\n    `
    )}
    ${join(squares, js`\n    `)}
    for (let i = 0, b = 0; i < G; i++, b += ${W}) {
      ${join(
        used.map((q) => js`const z${q} = (ratioY[${q} * G + i] - R${q} * ratioX[${q} * G + i]) * v${q}`),
        js`\n      `
      )}
      ${join(lines, js`\n      `)}
    }`
  }
}

/** degf as R counts it on the subset with a valid answer to the question: its PSUs (or rows) minus its strata. */
function validDf(sums: GroupSums, ratioN: Float64Array, from: number): number {
  const { stratumStart, clustered } = sums
  let rows = 0
  let psus = 0
  let strata = 0
  for (let h = 0; h < sums.strata.length; h++) {
    let inStratum = 0
    for (let i = stratumStart[h]; i < stratumStart[h + 1]; i++) {
      const n = ratioN[from + i]
      if (n > 0) {
        rows += n
        psus++
        inStratum++
      }
    }
    if (inStratum > 0) strata++
  }
  return (clustered ? psus : rows) - strata
}

/** θ = Σ_r c_r · Y_r/X_r of index m, before its scale and offset; null when a ratio has no valid answer. */
export function pointEstimate(plan: IndexPlan, totals: DomainTotals, m: number): number | null {
  let theta = 0
  for (let k = plan.termStart[m]; k < plan.termStart[m + 1]; k++) {
    const q = plan.termRatio[k]
    if (!(totals.X[q] > 0)) return null
    theta += (plan.termCoef[k] * totals.Y[q]) / totals.X[q]
  }
  return theta
}

/**
 * The linearised score of index m in a domain (which must have an estimate) per column and answer class:
 * a row's score is w · Σ_columns table[place(column) · stride + class], with (c_r/X_r)(y_r − R_r·x_r) summed
 * over the ratios reading the column. Only the index's columns are written.
 */
export function linearScores(
  plan: IndexPlan,
  m: number,
  totals: DomainTotals,
  classes: AnswerClasses,
  table: Float64Array
): void {
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
export function indexVariance(design: Design, totals: DomainTotals, m: number, lonely: LonelyPsuRule): number {
  return groupedVariance(
    design,
    totals.clustered,
    totals.strata,
    totals.stratumStart,
    totals.sumT,
    totals.sumT2,
    m * totals.groups.length,
    lonely
  )
}
