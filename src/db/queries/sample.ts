import { and, asc, count, eq, isNotNull, ne, sql, type SQL } from 'drizzle-orm'
import { plain, quoted } from '../array-literals.js'
import { rows, type Db } from '../client.js'
import { campaigns, frameRecords, sampleSlots } from '../schema.js'
import { sealedContactsOf, stratifyFrame } from './frame.js'
import { Problem } from '../../problems.js'

/** Slots per statement of a draw. */
const DRAW_CHUNK = 10_000
type Slot = typeof sampleSlots.$inferSelect

/** The frame's strata (by unit, or unit × channel) with their sizes N_h. */
export async function frameStrata(db: Db, campaignId: string, by: 'unit' | 'unit-channel') {
  await stratifyFrame(db, campaignId, by)
  const rows = await db
    .select({
      stratum: frameRecords.stratum,
      unitId: frameRecords.unitId,
      channel: sql<string | null>`${by === 'unit' ? sql`null` : frameRecords.channel}`,
      n: count()
    })
    .from(frameRecords)
    .where(eq(frameRecords.campaignId, campaignId))
    .groupBy(frameRecords.stratum, frameRecords.unitId, sql`3`)
    .orderBy(frameRecords.stratum)
  return rows.map((r) => ({ stratum: r.stratum, unitId: r.unitId, channel: r.channel, populationSize: Number(r.n) }))
}

export async function saveDesign(db: Db, campaignId: string, design: unknown): Promise<void> {
  await db.update(campaigns).set({ sampleDesign: design, updatedAt: new Date() }).where(eq(campaigns.id, campaignId))
}

/** The frame as a draw reads it: dossier code, stratum, completion time. */
export const frameForDraw = (db: Db, campaignId: string) =>
  db
    .select({
      id: frameRecords.dossierCode,
      recordId: frameRecords.id,
      stratum: frameRecords.stratum,
      unitId: frameRecords.unitId,
      completedAt: frameRecords.completedAt
    })
    .from(frameRecords)
    .where(eq(frameRecords.campaignId, campaignId))

export type NewSlot = Omit<typeof sampleSlots.$inferInsert, 'id'>

/**
 * Stores a drawn sample and its seed; a campaign has one draw (conflict when one is stored already). A statement
 * per DRAW_CHUNK slots, each column one array parameter (unnest), as a frame upload stores its records: a
 * province's sample with its reserves is tens of thousands of slots.
 */
export async function storeDraw(db: Db, campaignId: string, slots: NewSlot[], seed: string): Promise<void> {
  const [{ n }] = await db.select({ n: count() }).from(sampleSlots).where(eq(sampleSlots.campaignId, campaignId))
  if (n > 0) throw new Problem('sample-already-drawn', 'The sample of this campaign is already drawn.')
  for (let i = 0; i < slots.length; i += DRAW_CHUNK) {
    const chunk = slots.slice(i, i + DRAW_CHUNK)
    const of = <T>(value: (slot: NewSlot) => T) => chunk.map(value)
    await db.execute(sql`
      insert into sample_slots (campaign_id, record_id, dossier_code, unit_id, stratum, role, reserve_rank,
                                inclusion_probability, base_weight, status)
      select ${campaignId}::uuid, r, d, u, st, ro, rr, p, w, s
      from unnest(${plain(of((x) => x.recordId ?? null))}::uuid[], ${quoted(of((x) => x.dossierCode))}::text[],
                  ${plain(of((x) => x.unitId))}::uuid[], ${quoted(of((x) => x.stratum))}::text[],
                  ${quoted(of((x) => x.role))}::text[], ${plain(of((x) => x.reserveRank ?? null))}::integer[],
                  ${plain(of((x) => x.inclusionProbability))}::float8[], ${plain(of((x) => x.baseWeight))}::float8[],
                  ${quoted(of((x) => x.status))}::text[])
        as x(r, d, u, st, ro, rr, p, w, s)`)
  }
  await db.update(campaigns).set({ sampleSeed: seed, updatedAt: new Date() }).where(eq(campaigns.id, campaignId))
}

const toSlot = (row: Slot) => ({
  id: row.id,
  dossierCode: row.dossierCode,
  unitId: row.unitId,
  stratum: row.stratum,
  role: row.role as 'main' | 'reserve',
  reserveRank: row.reserveRank,
  inclusionProbability: row.inclusionProbability,
  baseWeight: row.baseWeight,
  status: row.status as 'pending',
  replacesSlotId: row.replacesSlotId,
  reason: row.reason
})

/**
 * `within`: only the slots of these units (a surveyor's), decided before any contact detail is read. With
 * `contacts`, each slot carries its record's sealed contact details (null when it has none).
 */
export async function listSlots(
  db: Db,
  campaignId: string,
  filter: { role?: string; unitId?: string; status?: string; contacts: boolean; within?: Set<string> }
) {
  const conditions: SQL[] = [eq(sampleSlots.campaignId, campaignId)]
  if (filter.role) conditions.push(eq(sampleSlots.role, filter.role))
  if (filter.unitId) conditions.push(eq(sampleSlots.unitId, filter.unitId))
  if (filter.status) conditions.push(eq(sampleSlots.status, filter.status))
  const rows = (
    await db
      .select()
      .from(sampleSlots)
      .where(and(...conditions))
      .orderBy(
        asc(sampleSlots.stratum),
        asc(sampleSlots.role),
        asc(sampleSlots.reserveRank),
        asc(sampleSlots.dossierCode)
      )
  ).filter((row) => filter.within?.has(row.unitId) ?? true)
  const sealed = filter.contacts
    ? await sealedContactsOf(
        db,
        rows.flatMap((r) => (r.recordId ? [r.recordId] : []))
      )
    : new Map<string, Buffer>()
  return rows.map((row) => ({
    slot: toSlot(row),
    recordId: row.recordId,
    sealedContact: (row.recordId && sealed.get(row.recordId)) || null
  }))
}

export async function findSlot(db: Db, campaignId: string, slotId: string): Promise<Slot> {
  const [slot] = await db
    .select()
    .from(sampleSlots)
    .where(and(eq(sampleSlots.id, slotId), eq(sampleSlots.campaignId, campaignId)))
  if (!slot) throw new Problem('not-found', `No sample slot ${slotId} in this campaign.`)
  return slot
}

const FINAL = new Set(['responded', 'reserve'])

/** A surveyor's contact outcome for an issued slot. */
export async function recordOutcome(db: Db, campaignId: string, slotId: string, status: string, note?: string) {
  const slot = await findSlot(db, campaignId, slotId)
  if (FINAL.has(slot.status)) throw new Problem('slot-final', `The slot is ${slot.status}: its outcome cannot change.`)
  const [row] = await db
    .update(sampleSlots)
    .set({ status, reason: note ?? slot.reason, updatedAt: new Date() })
    .where(eq(sampleSlots.id, slotId))
    .returning()
  return toSlot(row)
}

/**
 * A response posted with the code of a dossier drawn as a reserve (it counted after-service) answers the slot
 * once the reserve is released, and the slot is responded. Whether one did.
 */
async function linkResponseToSlot(db: Db, campaignId: string, slotId: string): Promise<boolean> {
  const linked = rows(
    await db.execute(sql`
    with linked as (
      update responses r set slot_id = s.id from sample_slots s
      where s.campaign_id = ${campaignId} and r.campaign_id = ${campaignId} and r.slot_id is null
        and r.dossier_code = s.dossier_code and s.id = ${slotId}
      returning s.id)
    update sample_slots set status = 'responded', updated_at = now() where id in (select id from linked)
    returning id`)
  ) as Array<{ id: string }>
  return linked.length > 0
}

/** Replaces an issued slot by the next reserve of its stratum, recording why. */
export async function replaceSlot(db: Db, campaignId: string, slotId: string, reason: string, note?: string) {
  return db.transaction(async (tx) => {
    const slot = await findSlot(tx as unknown as Db, campaignId, slotId)
    if (FINAL.has(slot.status)) throw new Problem('slot-final', `The slot is ${slot.status}: it cannot be replaced.`)
    const [already] = await tx
      .select({ id: sampleSlots.id })
      .from(sampleSlots)
      .where(eq(sampleSlots.replacesSlotId, slotId))
    if (already) throw new Problem('slot-already-replaced', 'The slot is already replaced.')
    const [reserve] = await tx
      .select()
      .from(sampleSlots)
      .where(
        and(
          eq(sampleSlots.campaignId, campaignId),
          eq(sampleSlots.stratum, slot.stratum),
          eq(sampleSlots.status, 'reserve')
        )
      )
      .orderBy(asc(sampleSlots.reserveRank))
      .limit(1)
    if (!reserve) throw new Problem('reserve-exhausted', `No reserve is left in stratum ${slot.stratum}.`)
    await tx
      .update(sampleSlots)
      .set({ status: reason, reason: note ?? reason, updatedAt: new Date() })
      .where(eq(sampleSlots.id, slotId))
    // The guard on status makes two concurrent replacements take two different reserves.
    const [released] = await tx
      .update(sampleSlots)
      .set({ status: 'pending', replacesSlotId: slotId, reason: note ?? reason, updatedAt: new Date() })
      .where(and(eq(sampleSlots.id, reserve.id), eq(sampleSlots.status, 'reserve')))
      .returning()
    if (!released) throw new Problem('concurrent-change', 'The reserve was taken meanwhile; try again.')
    const answered = await linkResponseToSlot(tx as unknown as Db, campaignId, released.id)
    return toSlot(answered ? { ...released, status: 'responded' } : released)
  })
}

/** The issued slots' strata, units and statuses, each marked when a reserve was released in its place. */
export async function fieldOutcomes(db: Db, campaignId: string) {
  const slots = await db
    .select({
      stratum: sampleSlots.stratum,
      unitId: sampleSlots.unitId,
      status: sampleSlots.status,
      id: sampleSlots.id
    })
    .from(sampleSlots)
    .where(and(eq(sampleSlots.campaignId, campaignId), ne(sampleSlots.status, 'reserve')))
  const replaced = new Set(
    (
      await db
        .select({ id: sampleSlots.replacesSlotId })
        .from(sampleSlots)
        .where(and(eq(sampleSlots.campaignId, campaignId), isNotNull(sampleSlots.replacesSlotId)))
    ).map((r) => r.id)
  )
  return slots.map((s) => ({ stratum: s.stratum, unitId: s.unitId, status: s.status, replaced: replaced.has(s.id) }))
}
