/**
 * The methodology's estimation (README, "Scoring"; the formulas of QĐ 2640/QĐ-BNV as R's survey package
 * computes them), summed row by row the slow and obvious way: no tallies, no answer classes, no compiled
 * loops. The tests hold the fast passes to it; `computeIndices` uses it when the process may not compile code
 * (`node --disallow-code-generation-from-strings`). The variance of the totals is variance.ts's.
 */
import type { Design, ResponseBatch } from './batch.js'
import { answerSlot } from './classes.js'
import type { Domain, DomainTotals } from './estimate.js'
import type { Ratio } from './methods.js'
import type { IndexPlan } from './plan.js'

/** y_j or x_j of a ratio for row j: its table's value at the row's answer, summed over the ratio's columns. */
export function rowValue(batch: ResponseBatch, slots: number, ratio: Ratio, table: Float64Array, j: number): number {
  let v = 0
  for (const c of ratio.columns) v += table[answerSlot(batch.answers[j * batch.columns.length + c], slots)]
  return v
}

/** Valid answers of row j to a ratio: its columns where x > 0 (a pooled ratio counts each question). */
export function validAnswers(batch: ResponseBatch, slots: number, ratio: Ratio, j: number): number {
  let n = 0
  for (const c of ratio.columns) if (ratio.x[answerSlot(batch.answers[j * batch.columns.length + c], slots)] > 0) n++
  return n
}

/** The ratio estimate's totals over rows: Y = Σ_j w_j·y_j and X = Σ_j w_j·x_j (R̂ = Y/X, Hájek). */
export function ratioTotals(
  batch: ResponseBatch,
  slots: number,
  ratio: Ratio,
  rows: readonly number[]
): { Y: number; X: number } {
  let Y = 0
  let X = 0
  for (const j of rows) {
    Y += weightOf(batch, j) * rowValue(batch, slots, ratio, ratio.y, j)
    X += weightOf(batch, j) * rowValue(batch, slots, ratio, ratio.x, j)
  }
  return { Y, X }
}

/** Taylor linearisation of R̂ = Y/X for row j: z_j = w_j·(y_j − R̂·x_j)/X. */
export const linearisedValue = (w: number, y: number, x: number, Y: number, X: number): number =>
  (w * (y - (Y / X) * x)) / X

/** Degrees of freedom: PSUs − strata (each row its own PSU without clusters), over the groups given. */
export const degreesOfFreedom = (psus: number, strata: number): number => psus - strata

export const weightOf = (batch: ResponseBatch, j: number): number => (batch.weight ? batch.weight[j] : 1)

/** A row's group for the variance: its PSU, or its stratum when each row is its own PSU. */
const groupOf = (batch: ResponseBatch, j: number): number => (batch.psu ? batch.psu[j] : (batch.stratum?.[j] ?? 0))

/** Each domain's totals (see `domainTotalsOf`), the batch's rows found once per unit. */
export function referenceTotals(
  batch: ResponseBatch,
  design: Design,
  plan: IndexPlan,
  domains: readonly Domain[]
): DomainTotals[] {
  const rowsOfUnit = batch.units.map((): number[] => [])
  for (let j = 0; j < batch.size; j++) rowsOfUnit[batch.unit[j]].push(j)
  const unitOf = new Map(batch.units.map((u, i) => [u, i]))
  return domains.map((domain) => {
    const units = new Set(domain.units.flatMap((name) => unitOf.get(name) ?? []))
    const rows = [...units].flatMap((u) => rowsOfUnit[u]).sort((a, b) => a - b)
    return domainTotalsOf(batch, design, plan, domain, rows)
  })
}

/**
 * A domain's totals, as the fast passes give them (estimate.ts, `DomainTotals`), from the formulas above:
 * the domain's groups stratum by stratum; per ratio Y, X and valid answers; per index (a contrast Σ_r c_r·R̂_r,
 * whose linearised value is t_j = Σ_r c_r·z_rj) and group Σ t_j and Σ t_j²; degrees of freedom counted on the
 * rows with a valid answer for a single-question index, on all the domain's rows otherwise.
 */
function domainTotalsOf(
  batch: ResponseBatch,
  design: Design,
  plan: IndexPlan,
  domain: Domain,
  rows: readonly number[]
): DomainTotals {
  const { slots } = plan.classes
  const clustered = batch.psu !== null
  const stratumOf = (g: number) => (clustered ? (design.psuStratum as Uint32Array)[g] : g)
  const byGroup = new Map<number, number[]>()
  for (const j of rows) {
    const g = groupOf(batch, j)
    const inGroup = byGroup.get(g)
    if (inGroup) inGroup.push(j)
    else byGroup.set(g, [j])
  }
  const groups = Int32Array.from(byGroup.keys()).sort((a, b) => stratumOf(a) - stratumOf(b) || a - b)
  const strata = Int32Array.from(new Set(Array.from(groups, stratumOf)))
  const stratumStart = Int32Array.from({ length: strata.length + 1 }, (_, h) =>
    h < strata.length ? groups.findIndex((g) => stratumOf(g) === strata[h]) : groups.length
  )
  const G = groups.length
  const place = new Map(Array.from(groups, (g, i) => [g, i]))
  const rowsOfGroup = Array.from(groups, (g) => byGroup.get(g) as number[])

  const Q = plan.ratios.length
  const totals = plan.ratios.map((ratio) => ratioTotals(batch, slots, ratio, rows))
  const Y = Float64Array.from(totals, (t) => t.Y)
  const X = Float64Array.from(totals, (t) => t.X)
  const validInGroup = plan.ratios.map((ratio) =>
    rowsOfGroup.map((inGroup) => inGroup.reduce((n, j) => n + validAnswers(batch, slots, ratio, j), 0))
  )
  const n = Float64Array.from({ length: Q }, (_, q) => validInGroup[q].reduce((a, b) => a + b, 0))

  const M = plan.specs.length
  const sumT = new Float64Array(M * G)
  const sumT2 = new Float64Array(M * G)
  const df = new Float64Array(M)
  for (let m = 0; m < M; m++) {
    const terms = Array.from({ length: plan.termStart[m + 1] - plan.termStart[m] }, (_, k) => plan.termStart[m] + k)
    if (!terms.every((k) => X[plan.termRatio[k]] > 0)) continue
    for (const j of rows) {
      const w = weightOf(batch, j)
      let t = 0
      for (const k of terms) {
        const q = plan.termRatio[k]
        const ratio = plan.ratios[q]
        const y = rowValue(batch, slots, ratio, ratio.y, j)
        const x = rowValue(batch, slots, ratio, ratio.x, j)
        t += plan.termCoef[k] * linearisedValue(w, y, x, Y[q], X[q])
      }
      const at = m * G + (place.get(groupOf(batch, j)) as number)
      sumT[at] += t
      sumT2[at] += t * t
    }
    if (plan.specs[m].simple) {
      const valid = validInGroup[plan.termRatio[terms[0]]]
      const used = Array.from(groups.keys()).filter((i) => valid[i] > 0)
      const psus = clustered ? used.length : used.reduce((s, i) => s + valid[i], 0)
      df[m] = degreesOfFreedom(psus, new Set(used.map((i) => stratumOf(groups[i]))).size)
    } else {
      df[m] = degreesOfFreedom(clustered ? G : rows.length, strata.length)
    }
  }
  return { domain, clustered, rows: rows.length, strata, groups, stratumStart, Y, X, n, sumT, sumT2, df }
}
