import type { Db } from '../db/client.js'
import {
  campaignEventRows,
  campaignProvince,
  campaignUnitIds,
  findCampaign,
  insertCampaign,
  instrumentRef,
  listCampaignRows,
  moveCampaign,
  sampleDrawn,
  setCampaignUnits,
  unitsByIds,
  updateCampaignColumns,
  type CampaignColumns,
  type CampaignRow
} from '../db/queries/campaigns.js'
import { getInstrument, lockInstrument } from '../db/queries/instruments.js'
import { subtreeIds } from '../db/queries/units.js'
import { hasApprovedPublication } from '../db/queries/results.js'
import { withTransaction } from '../db/transaction.js'
import { Problem, type FieldError } from '../problems.js'
import {
  DEFAULT_AFTER_SERVICE,
  type Calibration,
  type Campaign,
  type CampaignInput,
  type PeerGroup,
  type ProvinceFigure,
  type Target
} from '../schemas/campaigns.js'
import { questionnaireMismatches, scoringOptions, type Instrument, type ScoringOptions } from '../scoring/index.js'
import type { CampaignStatus } from '../vocabulary.js'
import { operationAllowed, transitionRefusal, type CampaignOperation } from './campaign-lifecycle.js'
import { questionnaireRefs } from './instruments.js'
import { NATIONAL_TARGETS } from './results.js'

/** A stored campaign as the contract shows it: with its instrument's code and version and its units. */
async function toCampaign(db: Db, row: CampaignRow): Promise<Campaign> {
  return {
    id: row.id,
    status: row.status as CampaignStatus,
    name: row.name,
    year: row.year,
    provinceId: row.provinceId,
    instrument: await instrumentRef(db, row.instrumentId),
    units: await campaignUnitIds(db, row.id),
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    collectionStart: row.collectionStart,
    collectionEnd: row.collectionEnd,
    marginOfError: row.marginOfError,
    confidenceLevel: row.confidenceLevel,
    channels: row.channels as Campaign['channels'],
    sampled: row.sampled,
    scoring: row.scoring as ScoringOptions,
    parRule: (row.parRule ?? null) as Campaign['parRule'],
    targets: (row.targets as Target[] | null) ?? NATIONAL_TARGETS,
    calibration: (row.calibration ?? null) as Calibration | null,
    afterService: (row.afterService as Calibration | null) ?? DEFAULT_AFTER_SERVICE,
    breakdownMinimum: row.breakdownMinimum,
    groups: (row.peerGroups as PeerGroup[] | null) ?? [],
    provinceFigure: row.provinceFigure as ProvinceFigure,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString()
  }
}

/** Checks a complete campaign definition against the database: province, units within it, instrument, dates. */
async function resolve(db: Db, input: CampaignInput): Promise<CampaignColumns> {
  const errors: FieldError[] = []
  const fail = (pointer: string, detail: string) => errors.push({ in: 'body', pointer, detail })
  const [province] = await unitsByIds(db, [input.provinceId])
  if (!province || province.level !== 'province') fail('/provinceId', 'is not a province')
  if (province) {
    const inProvince = new Set(await subtreeIds(db, [province.id]))
    input.units.forEach((id, i) => {
      if (!inProvince.has(id)) fail(`/units/${i}`, 'is not a unit of the province')
    })
  }
  const instrument = await getInstrument(db, input.instrument.code, input.instrument.version)
  if (!instrument) fail('/instrument', `no instrument ${input.instrument.code} version ${input.instrument.version}`)
  if (input.periodEnd < input.periodStart) fail('/periodEnd', 'is before periodStart')
  if (input.collectionEnd < input.collectionStart) fail('/collectionEnd', 'is before collectionStart')
  const measured = new Set(input.units)
  if (measured.size !== input.units.length) fail('/units', 'lists a unit twice')
  const groups = input.groups ?? []
  groupErrors(groups, measured, input.provinceFigure).forEach(([pointer, detail]) => fail(pointer, detail))
  for (const [i, group] of groups.entries()) {
    if (!group.instrument) continue
    const { code, version } = group.instrument
    const own = await getInstrument(db, code, version)
    if (!own) fail(`/groups/${i}/instrument`, `no instrument ${code} version ${version}`)
    else if (instrument)
      for (const detail of questionnaireMismatches(instrument.definition as Instrument, own.definition as Instrument))
        fail(`/groups/${i}/instrument`, `cannot be scored with the campaign's questionnaire: ${detail}`)
  }
  const groupCodes = new Set(groups.map((g) => g.code))
  input.targets?.forEach((target, i) => {
    target.units?.forEach((id, j) => {
      if (!measured.has(id)) fail(`/targets/${i}/units/${j}`, 'is not a unit of the campaign')
    })
    target.groups?.forEach((code, j) => {
      if (!groupCodes.has(code)) fail(`/targets/${i}/groups/${j}`, 'is not a peer group of the campaign')
    })
  })
  if (input.calibration && !input.sampled)
    fail(
      '/calibration',
      'only the official figures of a sampled campaign are calibrated (the after-service index always is)'
    )
  for (const field of ['calibration', 'afterService'] as const) {
    const option = input[field]
    if (option?.method === 'poststratify' && option.margins.length > 1)
      fail(`/${field}/margins`, 'poststratify takes one margin: cross-classify its variables in one margin')
  }
  let scoring: ScoringOptions | undefined
  try {
    scoring = scoringOptions(input.scoring ?? {})
  } catch (error) {
    fail('/scoring', (error as Error).message)
  }
  if (errors.length > 0 || !instrument || !scoring)
    throw new Problem('campaign-invalid', 'The campaign cannot be defined this way.', errors)
  return {
    name: input.name,
    year: input.year,
    provinceId: input.provinceId,
    instrumentId: instrument.id,
    sampled: input.sampled,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    collectionStart: input.collectionStart,
    collectionEnd: input.collectionEnd,
    marginOfError: input.marginOfError,
    confidenceLevel: input.confidenceLevel,
    channels: input.channels,
    scoring,
    parRule: input.parRule ?? null,
    targets: input.targets ?? null,
    calibration: input.calibration ?? null,
    afterService: input.afterService ?? null,
    breakdownMinimum: input.breakdownMinimum,
    peerGroups: groups.length > 0 ? groups : null,
    provinceFigure: input.provinceFigure
  }
}

/**
 * What is wrong with a campaign's peer groups, as (pointer, detail): codes are unique, groups hold units of
 * the campaign, each unit in one group at most; the mean of the groups needs two groups holding every unit.
 */
function groupErrors(
  groups: readonly PeerGroup[],
  measured: ReadonlySet<string>,
  provinceFigure: ProvinceFigure
): Array<[string, string]> {
  const errors: Array<[string, string]> = []
  const codes = new Set<string>()
  const groupOf = new Map<string, string>()
  groups.forEach((group, i) => {
    if (codes.has(group.code)) errors.push([`/groups/${i}/code`, `another group has the code ${group.code}`])
    codes.add(group.code)
    group.units.forEach((id, j) => {
      const pointer = `/groups/${i}/units/${j}`
      if (!measured.has(id)) errors.push([pointer, 'is not a unit of the campaign'])
      else if (groupOf.has(id)) errors.push([pointer, `is already in the group ${groupOf.get(id)}`])
      else groupOf.set(id, group.code)
    })
  })
  if (provinceFigure === 'mean-of-groups') {
    if (groups.length < 2) errors.push(['/provinceFigure', 'the mean of the groups needs two peer groups at least'])
    else if (groupOf.size < measured.size)
      errors.push([
        '/provinceFigure',
        `the mean of the groups needs every unit in a group: ${measured.size - groupOf.size} are in none`
      ])
  }
  return errors
}

/** The instruments a campaign's units answer: its own, and its groups' own (locked once it collects). */
async function questionnaireIds(db: Db, instrumentId: string, groups: readonly PeerGroup[] | null) {
  const own = await Promise.all(
    (groups ?? []).flatMap((g) => (g.instrument ? [getInstrument(db, g.instrument.code, g.instrument.version)] : []))
  )
  return [instrumentId, ...own.flatMap((row) => (row ? [row.id] : []))]
}

export { campaignProvince, findCampaign }

/** Whether the campaign's status (and, when it matters, its sample) allows `operation`. */
export const campaignAllows = (db: Db, campaign: CampaignRow, operation: CampaignOperation): Promise<boolean> =>
  operationAllowed(operation, campaign.status as CampaignStatus, () => sampleDrawn(db, campaign.id))

export const getCampaign = async (db: Db, id: string) => toCampaign(db, await findCampaign(db, id))

export async function createCampaign(db: Db, input: CampaignInput): Promise<Campaign> {
  const columns = await resolve(db, input)
  const row = await withTransaction(db, async (tx) => {
    const created = await insertCampaign(tx, columns)
    await setCampaignUnits(tx, created.id, input.units)
    return created
  })
  return toCampaign(db, row)
}

/** `within`: only the campaigns of these provinces (a province administrator's units). */
export async function listCampaigns(
  db: Db,
  filter: { year?: number; provinceId?: string; status?: string; within?: Set<string> }
): Promise<Campaign[]> {
  const rows = await listCampaignRows(db, filter)
  return Promise.all(rows.filter((row) => filter.within?.has(row.provinceId) ?? true).map((row) => toCampaign(db, row)))
}

/**
 * The fields that say how results are weighted, which breakdown figures are shown and how units are grouped
 * and the province's figure made: they change until results are published.
 */
const WEIGHTING_FIELDS: ReadonlySet<string> = new Set([
  'calibration',
  'afterService',
  'breakdownMinimum',
  'groups',
  'provinceFigure'
])

/** Each unit's questionnaire, named: its group's own, or the campaign's. */
function questionnaireOfUnit(campaign: Pick<CampaignInput, 'instrument' | 'groups'>) {
  const { ofUnit } = questionnaireRefs(campaign.instrument, campaign.groups)
  return (id: string) => `${ofUnit(id).code} version ${ofUnit(id).version}`
}

/** Once a campaign collects, its responses are stored as their units' questionnaires ask: regrouping keeps them. */
function questionnairesKept(current: Campaign, merged: CampaignInput): void {
  const [before, after] = [questionnaireOfUnit(current), questionnaireOfUnit(merged)]
  const moved = current.units.filter((id) => before(id) !== after(id))
  if (moved.length > 0)
    throw new Problem(
      'campaign-not-draft',
      `The campaign is ${current.status}: each unit keeps the questionnaire its responses answer.`,
      moved.slice(0, 100).map((id) => ({
        in: 'body' as const,
        pointer: '/groups',
        detail: `unit ${id} answers ${before(id)}, not ${after(id)}`
      })),
      undefined,
      { campaignStatus: current.status }
    )
}

/** Changes a draft, or only its weighting until it is published; the merged definition is checked as a whole. */
export async function updateCampaign(db: Db, id: string, patch: Partial<CampaignInput>): Promise<Campaign> {
  const row = await findCampaign(db, id)
  const weightingOnly = Object.keys(patch).every((field) => WEIGHTING_FIELDS.has(field))
  if (!(await campaignAllows(db, row, weightingOnly ? 'change-weighting' : 'edit')))
    throw new Problem(
      'campaign-not-draft',
      weightingOnly
        ? `The campaign is ${row.status}: its weighting, breakdowns and peer groups change only until results are published.`
        : `The campaign is ${row.status}: only a draft can be changed, apart from ${[...WEIGHTING_FIELDS].join(', ')} until it is published.`,
      undefined,
      undefined,
      { campaignStatus: row.status }
    )
  const current = await toCampaign(db, row)
  const merged: CampaignInput = {
    ...current,
    instrument: { code: current.instrument.code, version: current.instrument.version },
    ...patch
  }
  if (row.status !== 'draft') questionnairesKept(current, merged)
  const columns = await resolve(db, merged)
  await withTransaction(db, async (tx) => {
    await updateCampaignColumns(tx, id, columns)
    if (patch.units) await setCampaignUnits(tx, id, patch.units)
  })
  return getCampaign(db, id)
}

/** Moves a campaign along its lifecycle, recording who and when; the instrument is locked once it leaves draft. */
export async function transitionCampaign(
  db: Db,
  id: string,
  to: CampaignStatus,
  actor: string,
  note?: string
): Promise<Campaign> {
  const row = await findCampaign(db, id)
  const from = row.status as CampaignStatus
  const refusal = transitionRefusal(from, to, {
    sampled: row.sampled,
    scopeSize: (await campaignUnitIds(db, id)).length,
    sampleDrawn: await sampleDrawn(db, id),
    // Only publishing asks for it.
    approvedPublication: to === 'published' && (await hasApprovedPublication(db, id))
  })
  // Making results public without an approval has its own type, as the approval route's refusals do.
  if (refusal?.reason === 'not-approved')
    throw new Problem('publication-not-approved', `The campaign cannot be published: ${refusal.detail}.`, [
      { in: 'body', pointer: '/to', detail: refusal.detail }
    ])
  if (refusal)
    throw new Problem(
      'transition-refused',
      `The campaign cannot go from ${from} to ${to}: ${refusal.detail}.`,
      [{ in: 'body', pointer: '/to', detail: refusal.detail }],
      undefined,
      { reason: refusal.reason, campaignStatus: from }
    )
  await withTransaction(db, async (tx) => {
    if (!(await moveCampaign(tx, id, { from, to, actor, note: note ?? null })))
      throw new Problem('concurrent-change', 'The campaign changed status meanwhile; read it again.')
    if (from === 'draft')
      for (const id of await questionnaireIds(tx, row.instrumentId, row.peerGroups as PeerGroup[] | null))
        await lockInstrument(tx, id)
  })
  return getCampaign(db, id)
}

export async function campaignEventsOf(db: Db, id: string) {
  await findCampaign(db, id)
  return (await campaignEventRows(db, id)).map((e) => ({
    from: e.fromStatus as CampaignStatus,
    to: e.toStatus as CampaignStatus,
    actor: e.actor,
    note: e.note,
    at: e.at.toISOString()
  }))
}
