import {
  againstTarget,
  computeIndices,
  differencesFromWhole,
  domainContrasts,
  parPoints,
  qualityFlags,
  rankEveryIndex,
  rankUnits,
  type CalibratedWeights,
  type Design,
  type Domain,
  type DomainResult,
  type IndexResult,
  type Instrument,
  type ParRule,
  type RankSets,
  type ResponseBatch,
  type ScoringOptions,
  type Tallies,
  type WholeDifference
} from '../scoring/index.js'
import type { PeerGroup, ProvinceFigure, Target } from '../schemas/campaigns.js'
import {
  INDEX_RANK_SET_UNITS,
  type CampaignResults,
  type Diagnosis,
  type Figure,
  type IndexRanks,
  type UnitResult
} from '../schemas/results.js'

/** The targets of Nghị quyết 76/NQ-CP (satisfaction ≥ 90% by 2025, ≥ 95% by 2030): a campaign's, unless it sets its own. */
export const NATIONAL_TARGETS: Target[] = [
  { value: 0.9, name: 'Nghị quyết 76/NQ-CP, 2025' },
  { value: 0.95, name: 'Nghị quyết 76/NQ-CP, 2030' }
]

/**
 * The targets a figure is judged against: those for every unit, and those naming it (a unit, by itself or by its
 * peer group; a group, by its code). The province's figure only by those for every unit.
 */
const targetsOf = (targets: readonly Target[], subject: { unitId?: string; group?: string }) =>
  targets.filter(
    (t) =>
      (t.units === undefined && t.groups === undefined) ||
      (subject.unitId !== undefined && t.units?.includes(subject.unitId)) ||
      (subject.group !== undefined && t.groups?.includes(subject.group))
  )

const judged = (targets: readonly Target[], overall: IndexResult) =>
  overall.estimate === null
    ? []
    : targets.map((target) => ({
        ...againstTarget({ estimate: overall.estimate as number, ci: overall.ci }, target.value),
        ...(target.name === undefined ? {} : { name: target.name })
      }))

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

/**
 * A domain's figures, by kind: the overall index, factors, criteria, satisfaction and perception items by
 * code, expectations ranked by the share wanting each. `nonProbability` flags every one of them.
 */
export function indexFigures(d: DomainResult, nonProbability = false) {
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

const overallOf = (d: DomainResult) => d.indices.find((i) => i.kind === 'overall') as IndexResult

/** The units' overall figures, for their ranking: units without an estimate left out. */
export const overallFigures = (units: readonly UnitInfo[], computed: readonly DomainResult[]) =>
  computed.flatMap((d, i) => {
    const o = overallOf(d)
    return o.estimate === null ? [] : [{ id: units[i].id, estimate: o.estimate, se: o.se, df: o.df }]
  })

/** Ranks of the units' overall figures (with rank sets, unless `made` already), best first. */
function rankOverall(units: readonly UnitInfo[], computed: readonly DomainResult[], level: number, made?: RankSets) {
  return rankUnits(overallFigures(units, computed), level, undefined, undefined, made)
}

/**
 * Each unit's ranks on every factor and criterion among `computed` (units' results, by unit id), with rank sets
 * for rankings of up to INDEX_RANK_SET_UNITS units.
 */
function indexRanks(computed: readonly DomainResult[], level: number): Map<string, IndexRanks> {
  const ranks = new Map(computed.map((d) => [d.domain, { factors: {}, criteria: {} } as IndexRanks]))
  const kindOf = new Map(computed.flatMap((d) => d.indices.map((i) => [i.code, i.kind] as const)))
  const rankings = rankEveryIndex(computed, level, { kinds: ['factor', 'criterion'], setsUpTo: INDEX_RANK_SET_UNITS })
  for (const [code, ranking] of Object.entries(rankings))
    for (const r of ranking) {
      const of = ranks.get(r.id) as IndexRanks
      ;(kindOf.get(code) === 'factor' ? of.factors : of.criteria)[code] = { rank: r.rank, rankInterval: r.rankInterval }
    }
  return ranks
}

/**
 * A unit's diagnosis from its differences with the province (in points): every criterion, and
 * the criteria significantly above (strengths, largest first) and below (weaknesses, largest shortfall first).
 */
function diagnosisOf(differences: readonly WholeDifference[]): Diagnosis {
  const verdict = (d: WholeDifference) =>
    d.ci === null || (d.ci.lower <= 0 && d.ci.upper >= 0) ? 'not-distinguishable' : d.estimate > 0 ? 'above' : 'below'
  const criteria = differences.filter((d) => d.kind === 'criterion')
  const ranked = (side: 'above' | 'below') =>
    criteria
      .filter((d) => verdict(d) === side)
      .sort((a, b) => (side === 'above' ? b.estimate - a.estimate : a.estimate - b.estimate))
      .map((d) => d.code)
  return {
    differences: Object.fromEntries(
      differences.map((d) => [
        d.code,
        {
          estimate: d.estimate * 100,
          se: d.se * 100,
          ci: d.ci ? [d.ci.lower * 100, d.ci.upper * 100] : null,
          verdict: verdict(d)
        }
      ])
    ),
    strengths: ranked('above'),
    weaknesses: ranked('below')
  }
}

/** How the province's figures were made, in words the publication carries. */
const provinceFigureMethod = (method: ProvinceFigure, groups: number) => ({
  method,
  description:
    method === 'pooled'
      ? "Over all the province's responses, weighted by the design"
      : `The unweighted mean of the ${groups} peer groups' figures; its SE from their covariance over the design (Wald interval)`
})

/** A batch's figures for campaignDomains, and its tallies (scoreBatch's, without the coded rows). */
export interface Scored {
  results: DomainResult[]
  tallies: Tallies
  /** The rank sets of the units' overall figures (rankSetInputs of overallFigures), when made on threads. */
  overallRankSets?: RankSets
}

/** The domains of a campaign's figures: the province (every row), each unit, each peer group. */
export const campaignDomains = (
  batch: ResponseBatch,
  province: UnitInfo,
  units: readonly UnitInfo[],
  groups: readonly PeerGroup[]
): Domain[] => [
  { id: province.id, units: batch.units },
  ...units.map((u) => ({ id: u.id, units: [u.id] })),
  ...groups.map((g) => ({ id: g.code, units: g.units }))
]

/**
 * Every index of the province and of each campaign unit, with ranks (and which differences are
 * significant), the gap to the campaign's targets and PAR INDEX points; with peer groups, each group's
 * figures and its units' ranks among themselves. The document a publication freezes.
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
  /** Peer groups (none by default) and how the province's figures are made ('pooled' by default). */
  groups?: readonly PeerGroup[]
  provinceFigure?: ProvinceFigure
  /** The batch's weights calibrated to the frame (calibrateWeights), when the campaign asks for it. */
  calibration?: CalibratedWeights
  /** Without calibration: the figures of campaignDomains and the tallies, when already scored (on threads). */
  scored?: Scored
}): Pick<
  CampaignResults,
  'responses' | 'probability' | 'options' | 'province' | 'provinceFigure' | 'units' | 'groups'
> {
  const { batch, design, instrument, options, province, units, groups = [], calibration } = input
  const provinceFigure = input.provinceFigure ?? 'pooled'
  const domains = campaignDomains(batch, province, units, groups)
  let tallies = input.scored?.tallies
  const computed =
    input.scored?.results ??
    computeIndices(batch, design, instrument, options, domains, { calibration, onTallies: (t) => (tallies = t) })
  const unitsComputed = computed.slice(1, 1 + units.length)
  const groupsComputed = computed.slice(1 + units.length)
  const ranked = rankOverall(units, unitsComputed, options.level, input.scored?.overallRankSets)
  const ranksOfIndices = indexRanks(unitsComputed, options.level)
  const groupOf = new Map(groups.flatMap((g) => g.units.map((id) => [id, g.code] as const)))
  const peerRanks = new Map(
    groups.flatMap((g) => {
      const members = units.flatMap((u, i) => (groupOf.get(u.id) === g.code ? [i] : []))
      const inGroup = rankOverall(
        members.map((i) => units[i]),
        members.map((i) => unitsComputed[i]),
        options.level
      )
      return inGroup.map((r) => [r.id, r] as const)
    })
  )
  const peerIndexRanks = new Map(
    groups.flatMap((g) => [
      ...indexRanks(
        unitsComputed.filter((d) => groupOf.get(d.domain) === g.code),
        options.level
      )
    ])
  )
  const provinceComputed =
    provinceFigure === 'mean-of-groups'
      ? {
          ...computed[0],
          indices: domainContrasts(
            batch,
            design,
            instrument,
            options,
            groups.map((g) => ({ domain: { id: g.code, units: g.units }, coef: 1 / groups.length })),
            { calibration }
          )
        }
      : computed[0]
  // Each unit against the pooled province (whatever the province's published figure), where figures have SEs.
  const diagnoses = new Map(
    differencesFromWhole(
      batch,
      design,
      instrument,
      options,
      computed[0],
      units.map((u, i) => ({ domain: domains[1 + i], result: unitsComputed[i] })),
      { calibration, tallies }
    ).flatMap((d) => (d.differences.length === 0 ? [] : [[d.domain, diagnosisOf(d.differences)] as const]))
  )
  // Respondents who gave one level to every criterion, per unit; strata of one PSU, for the province.
  const flags = qualityFlags(batch, design, {
    criteria: instrument.items.filter((i) => i.kind === 'criterion').map((i) => i.code)
  }).flatMap((f) => (f.code === 'straight-lining' || f.code === 'lonely-psu' ? [{ ...f, code: f.code }] : []))
  const qualityOf = (id: string, isProvince: boolean) =>
    flags.filter((f) => (isProvince ? f.code === 'lonely-psu' : f.subject === id))
  const resultOf = (info: UnitInfo, d: DomainResult, isProvince: boolean): UnitResult => {
    const overall = overallOf(d)
    const rank = ranked.find((r) => r.id === info.id)
    const group = groupOf.get(info.id)
    const peerRank = peerRanks.get(info.id)
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
      ...(isProvince ? {} : { ranks: ranksOfIndices.get(info.id) }),
      ...(group === undefined
        ? {}
        : {
            group: {
              code: group,
              rank: peerRank?.rank ?? null,
              rankInterval: peerRank?.rankInterval ?? null,
              ranks: peerIndexRanks.get(info.id)
            }
          }),
      targets: judged(targetsOf(input.targets, isProvince ? {} : { unitId: info.id, group }), overall),
      ...(diagnoses.has(info.id) ? { diagnosis: diagnoses.get(info.id) } : {}),
      parPoints: input.parRule && overall.estimate !== null ? parPoints(input.parRule, overall.estimate) : null,
      quality: qualityOf(info.id, isProvince)
    }
  }
  const byRank = (a: { rank: number | null }, b: { rank: number | null }) => (a.rank ?? Infinity) - (b.rank ?? Infinity)
  const unitResults = unitsComputed.map((d, i) => resultOf(units[i], d, false)).sort(byRank)
  return {
    responses: batch.size,
    probability: design.probability,
    options,
    province: resultOf(province, provinceComputed, true),
    provinceFigure: provinceFigureMethod(provinceFigure, groups.length),
    units: unitResults,
    groups: groups.map((g, k) => {
      const { overall, factors, criteria } = indexFigures(groupsComputed[k])
      const members = unitResults.filter((u) => u.group?.code === g.code)
      return {
        code: g.code,
        name: g.name,
        ...(g.instrument ? { instrument: g.instrument } : {}),
        respondents: groupsComputed[k].rows,
        overall,
        factors,
        criteria,
        targets: judged(targetsOf(input.targets, { group: g.code }), overallOf(groupsComputed[k])),
        units: members
          .sort((a, b) => byRank(a.group as { rank: number | null }, b.group as { rank: number | null }))
          .map((u) => u.unitId)
      }
    })
  }
}
export type { CampaignResults, UnitResult }
