import { and, asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm'
import type { Db } from '../client.js'
import { campaignEvents, campaignUnits, campaigns, instruments, orgUnits, sampleSlots } from '../schema.js'
import { getInstrument, lockInstrument } from './instruments.js'
import { subtreeIds } from './units.js'
import { transitionRefusal } from '../../domain/campaign-lifecycle.js'
import type { CampaignStatus } from '../../vocabulary.js'
import { Problem, type FieldError } from '../../problems.js'
import type { Campaign, CampaignInput } from '../../schemas/campaigns.js'
import { scoringOptions, type ScoringOptions } from '../../scoring/methods.js'

type Row = typeof campaigns.$inferSelect

async function toCampaign(db: Db, row: Row): Promise<Campaign> {
  const [instrument] = await db
    .select({ id: instruments.id, code: instruments.code, version: instruments.version })
    .from(instruments)
    .where(eq(instruments.id, row.instrumentId))
  const units = await db
    .select({ id: campaignUnits.unitId })
    .from(campaignUnits)
    .where(eq(campaignUnits.campaignId, row.id))
    .orderBy(asc(campaignUnits.unitId))
  return {
    id: row.id,
    status: row.status as CampaignStatus,
    name: row.name,
    year: row.year,
    provinceId: row.provinceId,
    instrument,
    units: units.map((u) => u.id),
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
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString()
  }
}

/** Checks a complete campaign definition against the database: province, units within it, instrument, dates. */
async function resolve(db: Db, input: CampaignInput): Promise<{ instrumentId: string; scoring: ScoringOptions }> {
  const errors: FieldError[] = []
  const fail = (pointer: string, detail: string) => errors.push({ in: 'body', pointer, detail })
  const [province] = await db.select().from(orgUnits).where(eq(orgUnits.id, input.provinceId))
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
  if (new Set(input.units).size !== input.units.length) fail('/units', 'lists a unit twice')
  let scoring: ScoringOptions | undefined
  try {
    scoring = scoringOptions(input.scoring ?? {})
  } catch (error) {
    fail('/scoring', (error as Error).message)
  }
  if (errors.length > 0 || !instrument || !scoring)
    throw new Problem('unprocessable', 'The campaign cannot be defined this way.', errors)
  return { instrumentId: instrument.id, scoring }
}

const columns = (input: CampaignInput, instrumentId: string, scoring: ScoringOptions) => ({
  name: input.name,
  year: input.year,
  provinceId: input.provinceId,
  instrumentId,
  sampled: input.sampled,
  periodStart: input.periodStart,
  periodEnd: input.periodEnd,
  collectionStart: input.collectionStart,
  collectionEnd: input.collectionEnd,
  marginOfError: input.marginOfError,
  confidenceLevel: input.confidenceLevel,
  channels: input.channels,
  scoring,
  parRule: input.parRule ?? null
})

export async function createCampaign(db: Db, input: CampaignInput): Promise<Campaign> {
  const { instrumentId, scoring } = await resolve(db, input)
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(campaigns)
      .values(columns(input, instrumentId, scoring))
      .returning()
    await tx.insert(campaignUnits).values(input.units.map((unitId) => ({ campaignId: created.id, unitId })))
    return created
  })
  return toCampaign(db, row)
}

export async function findCampaign(db: Db, id: string): Promise<Row> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id))
  if (!row) throw new Problem('not-found', `No campaign ${id}.`)
  return row
}

export const getCampaign = async (db: Db, id: string) => toCampaign(db, await findCampaign(db, id))

/** The campaign's province, or null when there is no such campaign. */
export async function campaignProvince(db: Db, id: string): Promise<string | null> {
  const [row] = await db.select({ provinceId: campaigns.provinceId }).from(campaigns).where(eq(campaigns.id, id))
  return row?.provinceId ?? null
}

/** `within`: only the campaigns of these provinces (a province administrator's units). */
export async function listCampaigns(
  db: Db,
  filter: { year?: number; provinceId?: string; status?: string; within?: Set<string> }
): Promise<Campaign[]> {
  const conditions: SQL[] = []
  if (filter.year !== undefined) conditions.push(eq(campaigns.year, filter.year))
  if (filter.provinceId) conditions.push(eq(campaigns.provinceId, filter.provinceId))
  if (filter.status) conditions.push(eq(campaigns.status, filter.status))
  const rows = await db
    .select()
    .from(campaigns)
    .where(and(...conditions))
    .orderBy(desc(campaigns.year), asc(campaigns.name))
  return Promise.all(rows.filter((row) => filter.within?.has(row.provinceId) ?? true).map((row) => toCampaign(db, row)))
}

/** Changes a draft; the merged definition is checked as a whole. */
export async function updateCampaign(db: Db, id: string, patch: Partial<CampaignInput>): Promise<Campaign> {
  const current = await getCampaign(db, id)
  if (current.status !== 'draft')
    throw new Problem('conflict', `The campaign is ${current.status}: only a draft can be changed.`)
  const merged: CampaignInput = {
    ...current,
    instrument: { code: current.instrument.code, version: current.instrument.version },
    ...patch
  }
  const { instrumentId, scoring } = await resolve(db, merged)
  await db.transaction(async (tx) => {
    await tx
      .update(campaigns)
      .set({ ...columns(merged, instrumentId, scoring), updatedAt: new Date() })
      .where(eq(campaigns.id, id))
    if (patch.units) {
      await tx.delete(campaignUnits).where(eq(campaignUnits.campaignId, id))
      await tx.insert(campaignUnits).values(patch.units.map((unitId) => ({ campaignId: id, unitId })))
    }
  })
  return getCampaign(db, id)
}

export async function sampleDrawn(db: Db, id: string): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(sampleSlots).where(eq(sampleSlots.campaignId, id))
  return n > 0
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
  const [{ n }] = await db.select({ n: count() }).from(campaignUnits).where(eq(campaignUnits.campaignId, id))
  const refusal = transitionRefusal(from, to, {
    sampled: row.sampled,
    scopeSize: n,
    sampleDrawn: await sampleDrawn(db, id)
  })
  if (refusal)
    throw new Problem('conflict', `The campaign cannot go from ${from} to ${to}: ${refusal}.`, [
      { in: 'body', pointer: '/to', detail: refusal }
    ])
  await db.transaction(async (tx) => {
    // The status guard makes two concurrent transitions from one status succeed at most once.
    const moved = await tx
      .update(campaigns)
      .set({ status: to, updatedAt: new Date() })
      .where(and(eq(campaigns.id, id), eq(campaigns.status, from)))
      .returning({ id: campaigns.id })
    if (moved.length === 0) throw new Problem('conflict', 'The campaign changed status meanwhile; read it again.')
    await tx
      .insert(campaignEvents)
      .values({ campaignId: id, fromStatus: from, toStatus: to, actor, note: note ?? null })
    if (from === 'draft') await lockInstrument(tx as unknown as Db, row.instrumentId)
  })
  return getCampaign(db, id)
}

export async function campaignEventsOf(db: Db, id: string) {
  await findCampaign(db, id)
  const rows = await db
    .select()
    .from(campaignEvents)
    .where(eq(campaignEvents.campaignId, id))
    .orderBy(asc(campaignEvents.at), asc(campaignEvents.id))
  return rows.map((e) => ({
    from: e.fromStatus as CampaignStatus,
    to: e.toStatus as CampaignStatus,
    actor: e.actor,
    note: e.note,
    at: e.at.toISOString()
  }))
}

export async function campaignUnitIds(db: Db, id: string): Promise<string[]> {
  return (
    await db.select({ id: campaignUnits.unitId }).from(campaignUnits).where(eq(campaignUnits.campaignId, id))
  ).map((r) => r.id)
}

export const unitsByIds = async (db: Db, ids: string[]) =>
  ids.length === 0 ? [] : db.select().from(orgUnits).where(inArray(orgUnits.id, ids))
