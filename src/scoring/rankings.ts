import Type, { type Static } from 'typebox'
import type { DomainResult } from './compute.js'
import type { IndexKind } from './methods.js'
import { waldInterval, type Interval } from './intervals.js'
import { RANK_SET_DRAWS, rankSets, type RankSetMethod, type RankSetOptions, type RankSets } from './rank-sets.js'

/** What rankings and comparisons need of a published figure (fractions, unrounded). */
export interface Figure {
  id: string
  estimate: number
  se: number | null
  df: number | null
}

/** A − B with its SE; `covariance` is 0 for independent samples (two campaigns, two separate designs). */
export function difference(
  a: Figure,
  b: Figure,
  level = 0.95,
  covariance = 0
): { estimate: number; se: number | null; df: number | null; ci: Interval | null } {
  const estimate = a.estimate - b.estimate
  if (a.se === null || b.se === null) return { estimate, se: null, df: null, ci: null }
  const se = Math.sqrt(Math.max(a.se * a.se + b.se * b.se - 2 * covariance, 0))
  // Welch–Satterthwaite would need the variance components' df; the smaller df is the conservative choice.
  const df = Math.min(a.df ?? Infinity, b.df ?? Infinity)
  return { estimate, se, df, ci: Number.isFinite(df) && df >= 1 ? waldInterval(estimate, se, df, level) : null }
}

/** Change against the previous year's figure of the same unit: two independent campaigns, variances add. */
export const yearOverYear = (current: Figure, previous: Figure, level = 0.95) => difference(current, previous, level)

export interface RankSet {
  lower: number
  upper: number
  level: number
  /** Marginal: covers this unit's rank; simultaneous: the sets of all units cover all ranks together. */
  method: RankSetMethod
  /** Bootstrap draws behind the critical value (seeded: the same figures give the same set everywhere). */
  draws: number
}

export interface Ranked extends Figure {
  /** 1 = highest; equal estimates share a rank (1, 2, 2, 4), compared unrounded. */
  rank: number
  /** The rank set as a pair, [rankSet.lower, rankSet.upper]. */
  rankInterval: [number, number]
  /** Confidence set for the rank (Mogstad, Romano, Shaikh & Wilhelm 2024; see rank-sets.ts). */
  rankSet: RankSet
  /** Units shown above / below this one by the same comparisons that give its rank set, in rank order. */
  significantlyAbove: string[]
  significantlyBelow: string[]
}

/** A rank without its confidence set. */
export type PointRanked = Figure & { rank: number; rankInterval: null }

/** The figures best first (ties by id), each ranked 1 + the number of higher estimates: equal ones share a rank. */
export function pointRanks(figures: readonly Figure[]): PointRanked[] {
  const sorted = [...figures].sort((a, b) => b.estimate - a.estimate || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  let rank = 1
  return sorted.map((figure, i) => {
    if (i > 0 && figure.estimate < sorted[i - 1].estimate) rank = i + 1
    return { ...figure, rank, rankInterval: null }
  })
}

/**
 * Independent figures as their rank sets take them, in pointRanks' order: the estimates and each one's variance
 * (NaN without an SE). rankUnits starts from it, and so do the sets made on other threads (share-pool.ts) that
 * it is handed back.
 */
export function rankSetInputs(figures: readonly Figure[]): {
  sorted: PointRanked[]
  estimate: number[]
  variance: number[]
} {
  const sorted = pointRanks(figures)
  return {
    sorted,
    estimate: sorted.map((f) => f.estimate),
    variance: sorted.map((f) => (f.se === null ? Number.NaN : f.se * f.se))
  }
}

/**
 * Ranks units by their unrounded estimate, with a confidence set for each rank at `level` (marginal by
 * default, simultaneous on request) and the units shown above and below each one by the same procedure.
 * `covariance(a, b)` is for units of one design (0 by default: independent samples). A unit without an SE
 * gets the set [1, n] and narrows no other.
 */
export function rankUnits(
  figures: readonly Figure[],
  level = 0.95,
  covariance: (a: string, b: string) => number = () => 0,
  options: RankSetOptions = {},
  /** The sets, when already made (on other threads) from rankSetInputs of these figures. */
  made?: RankSets
): Ranked[] {
  // Ties broken by id, so that the draws fall on the same units whatever order the caller lists them in.
  const { sorted, estimate, variance } = rankSetInputs(figures)
  const sets =
    made ??
    rankSets(
      estimate,
      (a, b) => {
        if (Number.isNaN(variance[a]) || Number.isNaN(variance[b])) return Number.NaN
        return a === b ? variance[a] : covariance(sorted[a].id, sorted[b].id)
      },
      level,
      options
    )
  const method = options.method ?? 'marginal'
  const draws = options.draws ?? RANK_SET_DRAWS
  return sorted.map((unit, i) => ({
    ...unit,
    rankInterval: [sets.lower[i], sets.upper[i]],
    rankSet: { lower: sets.lower[i], upper: sets.upper[i], level, method, draws },
    significantlyAbove: sets.above[i].map((k) => sorted[k].id),
    significantlyBelow: sets.below[i].map((k) => sorted[k].id)
  }))
}

/**
 * Ranks of every index of the units' results (per factor and criterion as well as overall), one ranking per
 * index code, each by rankUnits over the units with an estimate for it. `covariance(code, a, b)` for units of
 * one design; `kinds` the indices worth ranking (expectations and perception items are not league tables);
 * a ranking of more than `setsUpTo` units gets point ranks only (a rank set costs the square of the units).
 */
export function rankEveryIndex(
  units: readonly DomainResult[],
  level = 0.95,
  options: RankSetOptions & {
    kinds?: readonly IndexKind[]
    covariance?: (code: string, a: string, b: string) => number
    setsUpTo?: number
  } = {}
): Record<string, Array<Ranked | PointRanked>> {
  const { kinds = ['overall', 'factor', 'criterion'], covariance = () => 0, setsUpTo = Infinity, ...sets } = options
  const codes = [...new Set(units.flatMap((u) => u.indices.filter((i) => kinds.includes(i.kind)).map((i) => i.code)))]
  return Object.fromEntries(
    codes.map((code) => {
      const figures = units.flatMap((u) => {
        const i = u.indices.find((x) => x.code === code)
        return i === undefined || i.estimate === null
          ? []
          : [{ id: u.domain, estimate: i.estimate, se: i.se, df: i.df }]
      })
      const ranked =
        figures.length > setsUpTo
          ? pointRanks(figures)
          : rankUnits(figures, level, (a, b) => covariance(code, a, b), sets)
      return [code, ranked]
    })
  )
}

/** A unit's ranked figure in one publication: what a change against the previous publication needs. */
export type RankedFigure = Figure & { rank: number }

export interface RankChange {
  id: string
  rank: number
  /** The rank in the previous publication; null when the unit was not ranked there. */
  previousRank: number | null
  /** previousRank − rank: +5 rose five places, −28 fell 28 places; null without a previous rank. */
  places: number | null
  /** This figure minus the previous one, with its SE (two campaigns: variances add) and interval at `level`. */
  change: ReturnType<typeof difference> | null
  /** The change's interval excludes 0; null when either figure has no SE (or df) to judge it by. */
  significant: boolean | null
}

/**
 * The change of rank and of the figure against the previous publication, for each unit of `current`. The
 * caller maps last year's ids through predecessors (mergers) before: units are matched by id here.
 */
export function changesAgainstPrevious(
  current: readonly RankedFigure[],
  previous: readonly RankedFigure[],
  level = 0.95
): RankChange[] {
  const before = new Map(previous.map((p) => [p.id, p]))
  return current.map((unit) => {
    const last = before.get(unit.id)
    if (last === undefined)
      return { id: unit.id, rank: unit.rank, previousRank: null, places: null, change: null, significant: null }
    const change = yearOverYear(unit, last, level)
    return {
      id: unit.id,
      rank: unit.rank,
      previousRank: last.rank,
      places: last.rank - unit.rank,
      change,
      significant: change.ci === null ? null : change.ci.lower > 0 || change.ci.upper < 0
    }
  })
}

/** Where a figure stands against a target (Nghị quyết 76/NQ-CP: 90% by 2025, 95% by 2030). */
export function againstTarget(figure: { estimate: number; ci: Interval | null }, target: number) {
  const status =
    figure.ci === null
      ? figure.estimate >= target
        ? 'met'
        : 'not-met'
      : figure.ci.lower >= target
        ? 'met'
        : figure.ci.upper < target
          ? 'not-met'
          : 'undetermined'
  return { target, gap: figure.estimate - target, status: status as 'met' | 'not-met' | 'undetermined' }
}

/** The campaign's rule turning an index into PAR INDEX points (QĐ 876/QĐ-BNV; e.g. Yên Dũng: 38 points). */
export const ParRule = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('linear'),
        maxPoints: Type.Number({ minimum: 0, description: 'points = maxPoints × index' })
      },
      { additionalProperties: false }
    ),
    Type.Object(
      {
        kind: Type.Literal('bands'),
        bands: Type.Array(
          Type.Object(
            {
              min: Type.Number({
                minimum: 0,
                maximum: 1,
                description: 'lower bound of the index (fraction), unrounded'
              }),
              points: Type.Number({ minimum: 0 })
            },
            { additionalProperties: false }
          ),
          { minItems: 1 }
        )
      },
      { additionalProperties: false }
    )
  ],
  {
    $id: 'ParRule',
    examples: [
      { kind: 'linear', maxPoints: 38 },
      {
        kind: 'bands',
        bands: [
          { min: 0.95, points: 38 },
          { min: 0.9, points: 30 },
          { min: 0.8, points: 20 }
        ]
      }
    ]
  }
)
export type ParRule = Static<typeof ParRule>

export function parPoints(rule: ParRule, estimate: number): number {
  if (rule.kind === 'linear') return rule.maxPoints * estimate
  // Bands compare the unrounded index with each band's lower bound, highest band first.
  const band = [...rule.bands].sort((a, b) => b.min - a.min).find((b) => estimate >= b.min)
  return band?.points ?? 0
}
