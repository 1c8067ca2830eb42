import { and, asc, count, eq, isNotNull, ne, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../client.js'
import { campaigns, frameRecords, sampleSlots } from '../schema.js'
import { contactsOf, stratifyFrame } from './frame.js'
import type { FrameStratum } from '../../domain/sample-design.js'
import type { Sealer } from '../../plugins/personal-data.js'
import { Problem } from '../../problems.js'
import type { SampleDesign } from '../../schemas/sample.js'
import { drawSample, summariseProgress, type FieldStatus } from '../../sampling/index.js'

const CHUNK = 1000
type Slot = typeof sampleSlots.$inferSelect

/** The frame's strata (by unit, or unit × channel) with their sizes N_h. */
export async function frameStrata(db: Db, campaignId: string, by: 'unit' | 'unit-channel'): Promise<FrameStratum[]> {
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

export async function saveDesign(db: Db, campaignId: string, design: SampleDesign): Promise<void> {
  await db.update(campaigns).set({ sampleDesign: design, updatedAt: new Date() }).where(eq(campaigns.id, campaignId))
}

/**
 * Draws the sample from the stored frame and design and stores every slot with its inclusion probability,
 * in one transaction: a campaign has one draw, recorded with its seed and generator.
 */
export async function drawAndStore(db: Db, campaignId: string, design: SampleDesign, seed: string) {
  const frame = await db
    .select({
      id: frameRecords.dossierCode,
      recordId: frameRecords.id,
      stratum: frameRecords.stratum,
      unitId: frameRecords.unitId,
      completedAt: frameRecords.completedAt
    })
    .from(frameRecords)
    .where(eq(frameRecords.campaignId, campaignId))
  const draw = drawSample(
    frame.map((r) => ({ id: r.id, stratum: r.stratum, sortKey: r.completedAt.toISOString() })),
    {
      seed,
      method: design.request.drawMethod,
      allocation: design.strata.map((s) => ({ stratum: s.stratum, sampleSize: s.sampleSize })),
      reserveRate: design.request.reserveRate
    }
  )
  const slots = draw.units.map((u) => {
    const record = frame[u.frameIndex]
    return {
      campaignId,
      recordId: record.recordId,
      dossierCode: record.id,
      unitId: record.unitId,
      stratum: u.stratum,
      role: u.role,
      reserveRank: u.reserveRank,
      inclusionProbability: u.inclusionProbability,
      baseWeight: u.baseWeight,
      status: u.role === 'main' ? 'pending' : 'reserve'
    }
  })
  await db.transaction(async (tx) => {
    const [{ n }] = await tx.select({ n: count() }).from(sampleSlots).where(eq(sampleSlots.campaignId, campaignId))
    if (n > 0) throw new Problem('conflict', 'The sample of this campaign is already drawn.')
    for (let i = 0; i < slots.length; i += CHUNK) await tx.insert(sampleSlots).values(slots.slice(i, i + CHUNK))
    await tx.update(campaigns).set({ sampleSeed: seed, updatedAt: new Date() }).where(eq(campaigns.id, campaignId))
  })
  const main = slots.filter((s) => s.role === 'main').length
  return { seed: draw.seed, method: draw.method, generator: draw.generator, main, reserves: slots.length - main }
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

/** `within`: only the slots of these units (a surveyor's), decided before any contact detail is opened. */
export async function listSlots(
  db: Db,
  sealer: Sealer,
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
  const slots = rows.map(toSlot)
  if (!filter.contacts) return slots
  const contacts = await contactsOf(
    db,
    sealer,
    rows.flatMap((r) => (r.recordId ? [r.recordId] : []))
  )
  const none = { name: null, phone: null, email: null }
  return rows.map((row, i) => ({ ...slots[i], contact: (row.recordId && contacts.get(row.recordId)) || none }))
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
export async function recordOutcome(db: Db, campaignId: string, slotId: string, status: FieldStatus, note?: string) {
  const slot = await findSlot(db, campaignId, slotId)
  if (FINAL.has(slot.status)) throw new Problem('conflict', `The slot is ${slot.status}: its outcome cannot change.`)
  const [row] = await db
    .update(sampleSlots)
    .set({ status, reason: note ?? slot.reason, updatedAt: new Date() })
    .where(eq(sampleSlots.id, slotId))
    .returning()
  return toSlot(row)
}

/** Replaces an issued slot by the next reserve of its stratum, recording why. */
export async function replaceSlot(db: Db, campaignId: string, slotId: string, reason: FieldStatus, note?: string) {
  return db.transaction(async (tx) => {
    const slot = await findSlot(tx as unknown as Db, campaignId, slotId)
    if (FINAL.has(slot.status)) throw new Problem('conflict', `The slot is ${slot.status}: it cannot be replaced.`)
    const [already] = await tx
      .select({ id: sampleSlots.id })
      .from(sampleSlots)
      .where(eq(sampleSlots.replacesSlotId, slotId))
    if (already) throw new Problem('conflict', 'The slot is already replaced.')
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
    if (!reserve) throw new Problem('conflict', `No reserve is left in stratum ${slot.stratum}.`)
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
    if (!released) throw new Problem('conflict', 'The reserve was taken meanwhile; try again.')
    return toSlot(released)
  })
}

/** Drawn, contacted, responded, refused, replaced and the response rate (AAPOR RR1), per stratum and per unit. */
export async function campaignProgress(db: Db, campaignId: string, design: SampleDesign) {
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
  const strata = summariseProgress(
    design.strata,
    slots.map((s) => ({ stratum: s.stratum, status: s.status as FieldStatus, replaced: replaced.has(s.id) }))
  )
  const unitOf = new Map(design.strata.map((s) => [s.stratum, s.unitId]))
  const rows = strata.map((s) => ({ ...s, unitId: unitOf.get(s.stratum) as string }))
  const rate = (group: typeof rows) => {
    const drawn = group.reduce((sum, s) => sum + s.drawn, 0)
    const responded = group.reduce((sum, s) => sum + s.responded, 0)
    const eligible = drawn - group.reduce((sum, s) => sum + s.ineligible, 0)
    return { drawn, responded, responseRate: eligible > 0 ? responded / eligible : null }
  }
  const unitIds = [...new Set(rows.map((r) => r.unitId))]
  return {
    strata: rows,
    units: unitIds.map((unitId) => ({ unitId, ...rate(rows.filter((r) => r.unitId === unitId)) })),
    total: rate(rows)
  }
}
