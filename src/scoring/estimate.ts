import { MISSING, type Design, type ResponseBatch } from './batch.js'
import type { IndexSpec, Ratio } from './methods.js'
import type { Tallies } from './tally.js'
import { designVariance, type LonelyPsuRule, type StratumScores } from './variance.js'

/** A domain: the rows of some units (one unit, a province, everything), estimated with the full design. */
export interface Domain {
  id: string
  units: readonly string[]
}

/** Σ w·y, Σ w·x and the number of valid answers of one ratio in one domain. */
export interface RatioTotals { Y: number, X: number, n: number }

/** What pass one gives for a domain: its cells, rows, strata present, and each ratio's totals. */
export interface DomainTotals {
  domain: Domain
  cells: number[]
  rows: number
  strata: Set<number>
  ratios: Map<Ratio, RatioTotals>
}

const strataOfGroup = (design: Design, tallies: Tallies, group: number): number =>
  tallies.clustered ? (design.psuStratum as Uint32Array)[group] : group

export const ratiosOf = (specs: readonly IndexSpec[]): Ratio[] => [...new Set(specs.flatMap((s) => s.ratios))]

/** Point-estimate totals of every ratio, for every domain, from the tallies. */
export function domainTotals (tallies: Tallies, design: Design, specs: readonly IndexSpec[], domains: readonly Domain[]): DomainTotals[] {
  const S = tallies.slots
  const width = tallies.columns.length * S
  const cellsOfUnit = new Map<string, number[]>()
  tallies.cellUnit.forEach((u, i) => { cellsOfUnit.set(u, [...(cellsOfUnit.get(u) ?? []), i]) })
  const ratios = ratiosOf(specs)
  return domains.map((domain) => {
    const cells = domain.units.flatMap((u) => cellsOfUnit.get(u) ?? [])
    const strata = new Set(cells.map((c) => strataOfGroup(design, tallies, tallies.cellGroup[c])))
    let rows = 0
    for (const cell of cells) for (let s = 0; s < S; s++) rows += tallies.count[cell * width + s]
    const totals = new Map<Ratio, RatioTotals>()
    for (const ratio of ratios) {
      let Y = 0; let X = 0; let n = 0
      for (const cell of cells) {
        for (const col of ratio.columns) {
          const base = cell * width + col * S
          for (let s = 0; s < S; s++) {
            Y += ratio.y[s] * tallies.sumW[base + s]
            X += ratio.x[s] * tallies.sumW[base + s]
            if (ratio.x[s] > 0) n += tallies.count[base + s]
          }
        }
      }
      totals.set(ratio, { Y, X, n })
    }
    return { domain, cells, rows, strata, ratios: totals }
  })
}

/** θ = Σ_r c_r · Y_r/X_r, before the index's scale and offset; null when a ratio has no valid answer. */
export function pointEstimate (spec: IndexSpec, totals: DomainTotals): number | null {
  let theta = 0
  for (let i = 0; i < spec.ratios.length; i++) {
    const t = totals.ratios.get(spec.ratios[i]) as RatioTotals
    if (!(t.X > 0)) return null
    theta += spec.coefs[i] * t.Y / t.X
  }
  return theta
}

/**
 * The linearised score of an index as per-column, per-slot tables: a row's score is w · Σ_columns T[slot],
 * with T = Σ_r (c_r/X_r)(y_r − R_r·x_r) over the ratios using that column (Taylor linearisation of a ratio).
 */
export function scoreTables (spec: IndexSpec, totals: DomainTotals, slots: number): Map<number, Float64Array> {
  const tables = new Map<number, Float64Array>()
  spec.ratios.forEach((ratio, i) => {
    const t = totals.ratios.get(ratio) as RatioTotals
    if (!(t.X > 0)) return
    const a = spec.coefs[i] / t.X
    const R = t.Y / t.X
    for (const col of ratio.columns) {
      const table = tables.get(col) ?? new Float64Array(slots)
      for (let s = 0; s < slots; s++) table[s] += a * (ratio.y[s] - R * ratio.x[s])
      tables.set(col, table)
    }
  })
  return tables
}

/** Σ t and Σ t² per group (stratum, or PSU in clustered designs) of one index in one domain. */
export type GroupScores = Map<number, [number, number]>

/** Scores of a single-question index, per group, from the tallies alone: Σ t² = Σ_slots T² · Σ w². */
export function tallyScores (tallies: Tallies, totals: DomainTotals, spec: IndexSpec): GroupScores {
  const S = tallies.slots
  const width = tallies.columns.length * S
  const groups: GroupScores = new Map()
  for (const [col, table] of scoreTables(spec, totals, S)) {
    for (const cell of totals.cells) {
      const base = cell * width + col * S
      let sumT = 0; let sumT2 = 0
      for (let s = 0; s < S; s++) {
        sumT += table[s] * tallies.sumW[base + s]
        sumT2 += table[s] * table[s] * tallies.sumW2[base + s]
      }
      const g = tallies.cellGroup[cell]
      const acc = groups.get(g) ?? [0, 0]
      acc[0] += sumT; acc[1] += sumT2
      groups.set(g, acc)
    }
  }
  return groups
}

/**
 * Pass two over the rows, for indices whose score mixes several questions (factor and overall means,
 * pooled shares, differences): per domain and group, Σ t and Σ t² of each such index, given pass one's
 * totals. Like the tallies, these add up over disjoint batches of rows.
 */
export function rowScores (batch: ResponseBatch, specs: readonly IndexSpec[], totals: readonly DomainTotals[], slots: number): GroupScores[][] {
  const K = batch.columns.length
  const M = specs.length
  const unitIndex = new Map(batch.units.map((u, i) => [u, i]))
  const domainsOfUnit: number[][] = batch.units.map(() => [])
  totals.forEach((t, d) => { for (const u of t.domain.units) { const i = unitIndex.get(u); if (i !== undefined) domainsOfUnit[i].push(d) } })
  // Per (domain, index): the columns it reads and one flat table of slots per column.
  const columns: Int32Array[] = []
  const tables: Float64Array[] = []
  for (const t of totals) {
    for (const spec of specs) {
      const byColumn = [...scoreTables(spec, t, slots)]
      columns.push(Int32Array.from(byColumn.map(([c]) => c)))
      const flat = new Float64Array(byColumn.length * slots)
      byColumn.forEach(([, table], j) => flat.set(table, j * slots))
      tables.push(flat)
    }
  }
  const out: GroupScores[][] = totals.map(() => specs.map(() => new Map()))
  const { answers, unit, stratum, psu, weight } = batch
  const missingSlot = slots - 1
  for (let r = 0; r < batch.size; r++) {
    const ds = domainsOfUnit[unit[r]]
    if (ds.length === 0) continue
    const w = weight ? weight[r] : 1
    const group = psu ? psu[r] : stratum ? stratum[r] : 0
    const row = r * K
    for (const d of ds) {
      for (let m = 0; m < M; m++) {
        const cols = columns[d * M + m]
        const table = tables[d * M + m]
        let t = 0
        for (let j = 0; j < cols.length; j++) {
          const a = answers[row + cols[j]]
          t += table[j * slots + (a === MISSING ? missingSlot : a)]
        }
        t *= w
        const groups = out[d][m]
        const acc = groups.get(group)
        if (acc) { acc[0] += t; acc[1] += t * t } else groups.set(group, [t, t * t])
      }
    }
  }
  return out
}

/**
 * The variance of an index from its group scores. With clusters, a PSU's total is Σ t over its rows and
 * the row-level Σ t² is not used; without, each row is a PSU and Σ t² is already over PSUs.
 */
export function indexVariance (groups: GroupScores, design: Design, clustered: boolean, strata: ReadonlySet<number>, lonely: LonelyPsuRule): number {
  const byStratum = new Map<number, StratumScores>()
  for (const h of strata) {
    byStratum.set(h, { stratum: design.strata[h], psuCount: design.psuCount[h], fpc: design.fpc[h], sumT: 0, sumT2: 0 })
  }
  for (const [g, [sumT, sumT2]] of groups) {
    const s = byStratum.get(clustered ? (design.psuStratum as Uint32Array)[g] : g) as StratumScores
    s.sumT += sumT
    s.sumT2 += clustered ? sumT * sumT : sumT2
  }
  return designVariance([...byStratum.values()], lonely)
}
