import type { Design, ResponseBatch } from './batch.js'
import { calibratedIndices } from './calibrated-indices.js'
import { calibratedTotals } from './calibrated-tallies.js'
import type { CalibratedWeights } from './calibration.js'
import { cellsOf } from './cells.js'
import { domainTotals, indexVariance, pointEstimate, type Domain, type DomainTotals } from './estimate.js'
import { proportionInterval, waldInterval, type Interval } from './intervals.js'
import type { Instrument } from './instrument.js'
import { indexSpecs, slotCount, type IndexKind, type IndexSpec, type ScoringOptions } from './methods.js'
import { codeGeneration } from './kernel.js'
import { indexPlan, type IndexPlan } from './plan.js'
import { referenceTotals } from './reference.js'
import { rowScorePlan, rowScores, rowScoresNeeded, withRowScores, type CodedRows } from './rows.js'
import { tallyRows, type Tallies } from './tally.js'
import { publishedSe } from './variance.js'

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

/**
 * Every index of the instrument for every domain, with design-based SEs (Taylor linearisation, R survey's
 * rules), degrees of freedom and intervals. Estimates and single-question SEs come from the tallies (pass
 * one); indices that mix questions take a second pass over the rows. With `calibration` (calibrateWeights
 * of this batch), the figures are those of the calibrated design (calibrated-tallies.ts).
 */
export function computeIndices(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  domains: readonly Domain[],
  {
    calibration,
    onTallies
  }: {
    calibration?: CalibratedWeights
    /** Called with pass one's tallies when the uncalibrated figures are compiled (for differencesFromWhole). */
    onTallies?: (tallies: Tallies) => void
  } = {}
): DomainResult[] {
  // A process that may not compile code gets the same figures from the formulas, row by row.
  if (calibration && !codeGeneration) return calibratedIndices(batch, design, instrument, options, domains, calibration)
  const plan = planOf(batch.columns, instrument, options)
  if (calibration)
    return calibratedTotals(batch, design, plan, domains, calibration, options.lonelyPsu).map(({ totals, variance }) =>
      // Beta intervals use the whole sample's row count, as R's nrow() of a calibrated subset does.
      figures(plan, options, totals, (m) => variance[m], batch.size)
    )
  if (codeGeneration) {
    const { results, tallies } = scoreBatch(batch, design, instrument, options, domains)
    onTallies?.(tallies)
    return results
  }
  return referenceTotals(batch, design, plan, domains).map((t) => domainResult(plan, design, options, t))
}

/** The scoring loops' plan for a batch of these columns (parts of one batch share it). */
export const planOf = (columns: readonly string[], instrument: Instrument, options: ScoringOptions): IndexPlan =>
  indexPlan(indexSpecs(instrument, options, columns), columns, slotCount(instrument))

/**
 * computeIndices, also returning the batch's tallies, to add into larger totals (a province's into the
 * nation's), and its coded rows, for a later pass two with those totals. Its passes are compiled: it needs
 * a process that allows code generation.
 */
export function scoreBatch(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  domains: readonly Domain[]
): { results: DomainResult[]; tallies: Tallies; rows: CodedRows } {
  const plan = planOf(batch.columns, instrument, options)
  const cells = cellsOf(batch, design)
  const { tallies, codes } = tallyRows(batch, cells, plan.groups)
  const rows = { units: batch.units, cells, codes }
  return { results: domainResults(tallies, rows, design, plan, options, domains), tallies, rows }
}

/** The domains' figures from pass one's tallies and, where pass two is needed, the coded rows. */
export function domainResults(
  tallies: Tallies,
  rows: CodedRows,
  design: Design,
  plan: IndexPlan,
  options: ScoringOptions,
  domains: readonly Domain[]
): DomainResult[] {
  let totals = domainTotals(tallies, design, plan, domains)
  if (rowScoresNeeded(plan, design, tallies.clustered)) {
    const passTwo = rowScorePlan(plan, design, totals)
    totals = withRowScores(totals, passTwo, rowScores(rows, passTwo))
  }
  return totals.map((t) => domainResult(plan, design, options, t))
}

/** The published figures of a domain from its totals (with pass two's sums in them where needed). */
export function domainResult(
  plan: IndexPlan,
  design: Design,
  options: ScoringOptions,
  totals: DomainTotals
): DomainResult {
  return figures(plan, options, totals, (m) =>
    design.probability ? indexVariance(design, totals, m, options.lonelyPsu) : null
  )
}

/**
 * A domain's figures from its totals and each index's variance (asked only where there is an estimate);
 * `betaRows`, when given, is the row count of every Beta interval.
 */
function figures(
  plan: IndexPlan,
  options: ScoringOptions,
  totals: DomainTotals,
  variance: (m: number) => number | null,
  betaRows?: number
): DomainResult {
  return {
    domain: totals.domain.id,
    rows: totals.rows,
    indices: plan.specs.map((_, m) => {
      const theta = pointEstimate(plan, totals, m)
      return result(plan, m, totals, theta, theta === null ? null : variance(m), options, betaRows)
    })
  }
}

function result(
  plan: IndexPlan,
  m: number,
  totals: DomainTotals,
  theta: number | null,
  variance: number | null,
  options: ScoringOptions,
  betaRows?: number
): IndexResult {
  const spec = plan.specs[m]
  let n = 0
  for (let k = plan.termStart[m]; k < plan.termStart[m + 1]; k++) n += totals.n[plan.termRatio[k]]
  if (theta === null) return indexResult(spec, n, null, null, null, null)
  const estimate = spec.scale * theta + spec.offset
  if (variance === null) return indexResult(spec, n, estimate, null, null, null)
  const se = publishedSe(variance, spec.scale)
  const df = totals.df[m]
  const rowsForBeta = betaRows ?? (spec.simple ? n : totals.rows)
  // With no degrees of freedom (one PSU per stratum) there is no t quantile, hence no interval.
  const ci =
    df < 1
      ? null
      : spec.proportion
        ? proportionInterval(options.interval, estimate, se, df, rowsForBeta, options.level)
        : waldInterval(estimate, se, df, options.level)
  return indexResult(spec, n, estimate, se, df, ci)
}

/**
 * An index's figure as published: no estimate, an estimate without an SE (self-selected responses), or an
 * estimate with its SE, df and interval (null without degrees of freedom).
 */
export function indexResult(
  spec: IndexSpec,
  n: number,
  estimate: number | null,
  se: number | null,
  df: number | null,
  ci: Interval | null
): IndexResult {
  // One object literal per case: spreading a common base costs more than everything else here, per figure.
  if (estimate === null) return { code: spec.code, kind: spec.kind, n, estimate: null, se: null, df: null, ci: null }
  if (se === null)
    return { code: spec.code, kind: spec.kind, n, estimate, se: null, df: null, ci: null, nonProbability: true }
  return { code: spec.code, kind: spec.kind, n, estimate, se, df, ci }
}
