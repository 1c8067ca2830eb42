import { and, asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm'
import type { Db } from '../client.js'
import { campaignEvents, campaignUnits, campaigns, instruments, orgUnits, sampleSlots } from '../schema.js'
import { Problem } from '../../problems.js'

export type CampaignRow = typeof campaigns.$inferSelect
/** The columns a campaign's definition sets (its status, ids and timestamps are the database's). */
export type CampaignColumns = Omit<typeof campaigns.$inferInsert, 'id' | 'status' | 'createdAt' | 'updatedAt'>

export async function findCampaign(db: Db, id: string): Promise<CampaignRow> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id))
  if (!row) throw new Problem('not-found', `No campaign ${id}.`)
  return row
}

/** The code and version of a campaign's instrument. */
export async function instrumentRef(db: Db, instrumentId: string) {
  const [ref] = await db
    .select({ id: instruments.id, code: instruments.code, version: instruments.version })
    .from(instruments)
    .where(eq(instruments.id, instrumentId))
  return ref
}

/** The campaign's province, or null when there is no such campaign. */
export async function campaignProvince(db: Db, id: string): Promise<string | null> {
  const [row] = await db.select({ provinceId: campaigns.provinceId }).from(campaigns).where(eq(campaigns.id, id))
  return row?.provinceId ?? null
}

export async function listCampaignRows(
  db: Db,
  filter: { year?: number; provinceId?: string; status?: string }
): Promise<CampaignRow[]> {
  const conditions: SQL[] = []
  if (filter.year !== undefined) conditions.push(eq(campaigns.year, filter.year))
  if (filter.provinceId) conditions.push(eq(campaigns.provinceId, filter.provinceId))
  if (filter.status) conditions.push(eq(campaigns.status, filter.status))
  return db
    .select()
    .from(campaigns)
    .where(and(...conditions))
    .orderBy(desc(campaigns.year), asc(campaigns.name))
}

export async function insertCampaign(db: Db, columns: CampaignColumns): Promise<CampaignRow> {
  const [created] = await db.insert(campaigns).values(columns).returning()
  return created
}

export async function updateCampaignColumns(db: Db, id: string, columns: CampaignColumns): Promise<void> {
  await db
    .update(campaigns)
    .set({ ...columns, updatedAt: new Date() })
    .where(eq(campaigns.id, id))
}

/** The units a campaign measures, replacing any it had. */
export async function setCampaignUnits(db: Db, id: string, unitIds: string[]): Promise<void> {
  await db.delete(campaignUnits).where(eq(campaignUnits.campaignId, id))
  await db.insert(campaignUnits).values(unitIds.map((unitId) => ({ campaignId: id, unitId })))
}

export async function sampleDrawn(db: Db, id: string): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(sampleSlots).where(eq(sampleSlots.campaignId, id))
  return n > 0
}

/**
 * Sets the status and records who moved it; false when the campaign is no longer in `from`. The status guard
 * makes two concurrent transitions from one status succeed at most once.
 */
export async function moveCampaign(
  db: Db,
  id: string,
  move: { from: string; to: string; actor: string; note: string | null }
): Promise<boolean> {
  const moved = await db
    .update(campaigns)
    .set({ status: move.to, updatedAt: new Date() })
    .where(and(eq(campaigns.id, id), eq(campaigns.status, move.from)))
    .returning({ id: campaigns.id })
  if (moved.length === 0) return false
  await db
    .insert(campaignEvents)
    .values({ campaignId: id, fromStatus: move.from, toStatus: move.to, actor: move.actor, note: move.note })
  return true
}

export const campaignEventRows = (db: Db, id: string) =>
  db
    .select()
    .from(campaignEvents)
    .where(eq(campaignEvents.campaignId, id))
    .orderBy(asc(campaignEvents.at), asc(campaignEvents.id))

/** The campaign's units, in id order. */
export async function campaignUnitIds(db: Db, id: string): Promise<string[]> {
  return (
    await db
      .select({ id: campaignUnits.unitId })
      .from(campaignUnits)
      .where(eq(campaignUnits.campaignId, id))
      .orderBy(asc(campaignUnits.unitId))
  ).map((r) => r.id)
}

export const unitsByIds = async (db: Db, ids: string[]) =>
  ids.length === 0 ? [] : db.select().from(orgUnits).where(inArray(orgUnits.id, ids))
