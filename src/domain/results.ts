import {
  againstTarget,
  computeIndices,
  parPoints,
  qualityFlags,
  rankUnits,
  type CalibratedWeights,
  type Design,
  type IndexResult,
  type Instrument,
  type ParRule,
  type ResponseBatch,
  type ScoringOptions
} from '../scoring/index.js'
import type { Target } from '../schemas/campaigns.js'
import type { CampaignResults, Figure, UnitResult } from '../schemas/results.js'

/** The targets of Nghị quyết 76/NQ-CP (satisfaction ≥ 90% by 2025, ≥ 95% by 2030): a campaign's, unless it sets its own. */
export const NATIONAL_TARGETS: Target[] = [
  { value: 0.9, name: 'Nghị quyết 76/NQ-CP, 2025' },
  { value: 0.95, name: 'Nghị quyết 76/NQ-CP, 2030' }
]

/** The targets a unit is judged against: those for every unit, and those naming it (never the province's figure). */
const targetsOf = (targets: readonly Target[], unitId: string, isProvince: boolean) =>
  targets.filter((t) => t.units === undefined || (!isProvince && t.units.includes(unitId)))

/** A published figure in percent, unrounded: portals round for display only. */
export const figure = (r: IndexResult): Figure => ({
  answers: r.n,
  n: r.n,
  estimate: r.estimate === null ? null : r.estimate * 100,
  se: r.se === null ? null : r.se * 100,
  ci: r.ci ? [r.ci.lower * 100, r.ci.upper * 100] : null,
  ciMethod: r.ci?.method ?? null,
  df: r.df,
  ...(r.nonProbability ? { nonProbability: true } : {})
})

type Computed = ReturnType<typeof computeIndices>[number]

/**
 * A domain's figures, by kind: the overall index, factors, criteria, satisfaction and perception items by
 * code, expectations ranked by the share wanting each. `nonProbability` flags every one of them.
 */
export function indexFigures(d: Computed, nonProbability = false) {
  const flagged = (r: IndexResult): Figure => (nonProbability ? { ...figure(r), nonProbability: true } : figure(r))
  const pick = (kind: IndexResult['kind']) =>
    Object.fromEntries(d.indices.filter((i) => i.kind === kind && i.estimate !== null).map((i) => [i.code, flagged(i)]))
  const overall = d.indices.find((i) => i.kind === 'overall') as IndexResult
  return {
    overall: overall.estimate === null ? null : flagged(overall),
    factors: pick('factor'),
    criteria: pick('criterion'),
    satisfaction: pick('satisfaction'),
    perception: pick('perception'),
    expectations: d.indices
      .filter((i) => i.kind === 'expectation' && i.estimate !== null)
      .sort((a, b) => (b.estimate as number) - (a.estimate as number))
      .map((i, _, all) => ({
        code: i.code,
        ...flagged(i),
        rank: 1 + all.filter((o) => (o.estimate as number) > (i.estimate as number)).length
      }))
  }
}

export interface UnitInfo {
  id: string
  code: string | null
  name: string
  level: string
}

/**
 * Every index of the province and of each campaign unit, with ranks (and which differences are
 * significant), the gap to the campaign's targets and PAR INDEX points: the document a publication freezes.
 */
export function campaignResults(input: {
  batch: ResponseBatch
  design: Design
  instrument: Instrument
  options: ScoringOptions
  province: UnitInfo
  units: UnitInfo[]
  responseRate: (unitId: string | null) => number | null
  parRule: ParRule | null
  targets: readonly Target[]
  /** The batch's weights calibrated to the frame (calibrateWeights), when the campaign asks for it. */
  calibration?: CalibratedWeights
}): Pick<CampaignResults, 'responses' | 'probability' | 'options' | 'province' | 'units'> {
  const { batch, design, instrument, options, province, units, calibration } = input
  const domains = [{ id: province.id, units: batch.units }, ...units.map((u) => ({ id: u.id, units: [u.id] }))]
  const computed = computeIndices(batch, design, instrument, options, domains, { calibration })
  const overallOf = (d: Computed) => d.indices.find((i) => i.kind === 'overall') as IndexResult
  const ranked = rankUnits(
    computed.slice(1).flatMap((d, i) => {
      const o = overallOf(d)
      return o.estimate === null ? [] : [{ id: units[i].id, estimate: o.estimate, se: o.se, df: o.df }]
    }),
    options.level
  )
  // Respondents who gave one level to every criterion, per unit; strata of one PSU, for the province.
  const flags = qualityFlags(batch, design, {
    criteria: instrument.items.filter((i) => i.kind === 'criterion').map((i) => i.code)
  }).flatMap((f) => (f.code === 'straight-lining' || f.code === 'lonely-psu' ? [{ ...f, code: f.code }] : []))
  const qualityOf = (id: string, isProvince: boolean) =>
    flags.filter((f) => (isProvince ? f.code === 'lonely-psu' : f.subject === id))
  const resultOf = (info: UnitInfo, d: Computed, isProvince: boolean): UnitResult => {
    const overall = overallOf(d)
    const rank = ranked.find((r) => r.id === info.id)
    return {
      unitId: info.id,
      code: info.code,
      name: info.name,
      level: info.level,
      respondents: d.rows,
      responses: d.rows,
      responseRate: input.responseRate(isProvince ? null : info.id),
      ...indexFigures(d),
      rank: rank?.rank ?? null,
      rankInterval: rank?.rankInterval ?? null,
      targets:
        overall.estimate === null
          ? []
          : targetsOf(input.targets, info.id, isProvince).map((target) => ({
              ...againstTarget({ estimate: overall.estimate as number, ci: overall.ci }, target.value),
              ...(target.name === undefined ? {} : { name: target.name })
            })),
      parPoints: input.parRule && overall.estimate !== null ? parPoints(input.parRule, overall.estimate) : null,
      quality: qualityOf(info.id, isProvince)
    }
  }
  return {
    responses: batch.size,
    probability: design.probability,
    options,
    province: resultOf(province, computed[0], true),
    units: computed
      .slice(1)
      .map((d, i) => resultOf(units[i], d, false))
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity))
  }
}
export type { CampaignResults, UnitResult }
