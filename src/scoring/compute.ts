import { MISSING, type Design, type ResponseBatch } from './batch.js'
import { domainTotals, indexVariance, pointEstimate, rowScores, scoreTables, tallyScores, type Domain, type DomainTotals, type GroupScores } from './estimate.js'
import { proportionInterval, waldInterval, type Interval } from './intervals.js'
import type { Instrument } from './instrument.js'
import { indexSpecs, slotCount, type IndexKind, type IndexSpec, type ScoringOptions } from './methods.js'
import { tally, type Tallies } from './tally.js'

/** One published figure: estimate, SE and interval as fractions (×100 for percent), unrounded. */
export interface IndexResult {
  code: string
  kind: IndexKind
  /** Valid answers behind the figure (pooled over questions for factor and overall indices). */
  n: number
  estimate: number | null
  se: number | null
  df: number | null
  ci: Interval | null
  /** Self-selected responses: no design-based SE or interval. */
  nonProbability?: true
}

export interface DomainResult {
  domain: string
  rows: number
  indices: IndexResult[]
}

/** degf as R counts it on a subset: distinct PSUs minus distinct strata holding at least one of its rows. */
function degreesOfFreedom (tallies: Tallies, design: Design, totals: DomainTotals, spec: IndexSpec | null): number {
  const S = tallies.slots
  const width = tallies.columns.length * S
  const ratio = spec?.simple ? spec.ratios[0] : null
  const col = ratio?.columns[0]
  const strata = new Set<number>()
  const psus = new Set<number>()
  let rows = 0
  for (const cell of totals.cells) {
    let inSubset = 0
    for (let s = 0; s < S; s++) {
      if (ratio === null || col === undefined) inSubset += tallies.count[cell * width + s]
      else if (ratio.x[s] > 0) inSubset += tallies.count[cell * width + col * S + s]
    }
    if (inSubset === 0) continue
    const g = tallies.cellGroup[cell]
    rows += inSubset
    psus.add(g)
    strata.add(tallies.clustered ? (design.psuStratum as Uint32Array)[g] : g)
  }
  return (tallies.clustered ? psus.size : rows) - strata.size
}

function result (spec: IndexSpec, totals: DomainTotals, theta: number | null, variance: number | null, df: number, options: ScoringOptions): IndexResult {
  const n = spec.ratios.reduce((sum, r) => sum + (totals.ratios.get(r)?.n ?? 0), 0)
  const base = { code: spec.code, kind: spec.kind, n }
  if (theta === null) return { ...base, estimate: null, se: null, df: null, ci: null }
  const estimate = spec.scale * theta + spec.offset
  if (variance === null) return { ...base, estimate, se: null, df: null, ci: null, nonProbability: true }
  // Scores that are all equal give a variance of rounding noise (Σt² − (Σt)²/n ≈ 1e-35): that is a zero.
  const raw = Math.sqrt(Math.max(variance, 0))
  const se = raw < 1e-12 ? 0 : Math.abs(spec.scale) * raw
  const rowsForBeta = spec.simple ? n : totals.rows
  // With no degrees of freedom (one PSU per stratum) there is no t quantile, hence no interval.
  const ci = df < 1
    ? null
    : spec.proportion
    ? proportionInterval(options.interval, estimate, se, df, rowsForBeta, options.level)
    : waldInterval(estimate, se, df, options.level)
  return { ...base, estimate, se, df, ci }
}

/**
 * Every index of the instrument for every domain, with design-based SEs (Taylor linearisation, R survey's
 * rules), degrees of freedom and intervals. Single-question indices come from the tallies; indices that mix
 * questions take a second pass over the rows.
 */
export function computeIndices (batch: ResponseBatch, design: Design, instrument: Instrument, options: ScoringOptions, domains: readonly Domain[]): DomainResult[] {
  const slots = slotCount(instrument)
  const specs = indexSpecs(instrument, options, batch.columns)
  const tallies = tally(batch, design, slots)
  const totals = domainTotals(tallies, design, specs, domains)
  const mixed = specs.filter((s) => !s.simple)
  const mixedScores = design.probability && mixed.length > 0 ? rowScores(batch, mixed, totals, slots) : []
  return totals.map((t, d) => ({
    domain: t.domain.id,
    rows: t.rows,
    indices: specs.map((spec) => {
      const theta = pointEstimate(spec, t)
      if (!design.probability || theta === null) return result(spec, t, theta, null, 0, options)
      const groups: GroupScores = spec.simple ? tallyScores(tallies, t, spec) : mixedScores[d][mixed.indexOf(spec)]
      const variance = indexVariance(groups, design, tallies.clustered, t.strata, options.lonelyPsu)
      return result(spec, t, theta, variance, degreesOfFreedom(tallies, design, t, spec.simple ? spec : null), options)
    })
  }))
}

/**
 * A − B for one index between two domains of the same design (unit vs unit, unit vs province), with the
 * covariance the shared strata and PSUs induce: the variance of the score difference over the full design.
 */
export function domainDifference (batch: ResponseBatch, design: Design, instrument: Instrument, options: ScoringOptions, code: string, a: Domain, b: Domain): { estimate: number | null, se: number | null } {
  const slots = slotCount(instrument)
  const spec = indexSpecs(instrument, options, batch.columns).find((s) => s.code === code)
  if (!spec) throw new Error(`unknown index ${code}`)
  const [ta, tb] = domainTotals(tally(batch, design, slots), design, [spec], [a, b])
  const [thetaA, thetaB] = [pointEstimate(spec, ta), pointEstimate(spec, tb)]
  if (thetaA === null || thetaB === null) return { estimate: null, se: null }
  const estimate = spec.scale * (thetaA - thetaB)
  if (!design.probability) return { estimate, se: null }
  const tables = [scoreTables(spec, ta, slots), scoreTables(spec, tb, slots)]
  const members = [new Set(a.units), new Set(b.units)]
  const groups: GroupScores = new Map()
  for (let r = 0; r < batch.size; r++) {
    const unit = batch.units[batch.unit[r]]
    let t = 0
    for (let side = 0; side < 2; side++) {
      if (!members[side].has(unit)) continue
      let score = 0
      for (const [col, table] of tables[side]) {
        const answer = batch.answers[r * batch.columns.length + col]
        score += table[answer === MISSING ? slots - 1 : answer]
      }
      t += side === 0 ? score : -score
    }
    t *= batch.weight ? batch.weight[r] : 1
    const g = batch.psu ? batch.psu[r] : batch.stratum ? batch.stratum[r] : 0
    const acc = groups.get(g) ?? [0, 0]
    acc[0] += t; acc[1] += t * t
    groups.set(g, acc)
  }
  const allStrata = new Set(design.strata.map((_, h) => h).filter((h) => design.psuCount[h] > 0))
  const variance = indexVariance(groups, design, batch.psu !== null, allStrata, options.lonelyPsu)
  return { estimate, se: Math.abs(spec.scale) * Math.sqrt(Math.max(variance, 0)) }
}
