import { randomUUID } from 'node:crypto'
import { count, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../client.js'
import { frameContacts, frameRecords, orgUnits } from '../schema.js'
import { subtreeIds } from './units.js'
import type { FrameRecord } from '../../domain/frame.js'
import type { Sealer } from '../../plugins/personal-data.js'

const CHUNK = 1000

/**
 * Frame codes → the campaign unit they belong to: a record names the unit that handled it (the unit itself,
 * or an agency or one-stop point below it) by statistics or agency code.
 */
export async function scopeResolver(db: Db, scope: string[]): Promise<(code: string) => string | undefined> {
  const measuredBy = new Map<string, string>()
  for (const unit of scope)
    for (const id of await subtreeIds(db, [unit])) if (!measuredBy.has(id) || id === unit) measuredBy.set(id, unit)
  const ids = [...measuredBy.keys()]
  const byCode = new Map<string, string>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .select({ id: orgUnits.id, code: orgUnits.code, agencyCode: orgUnits.agencyCode })
      .from(orgUnits)
      .where(inArray(orgUnits.id, ids.slice(i, i + CHUNK)))
    for (const row of rows)
      for (const code of [row.code, row.agencyCode]) if (code) byCode.set(code, measuredBy.get(row.id) as string)
  }
  return (code) => byCode.get(code)
}

export interface FrameEntry {
  record: FrameRecord
  unitId: string
}

/** Stores frame records and their sealed contacts in one transaction; dossiers already in the frame are skipped. */
export async function insertFrame(
  db: Db,
  sealer: Sealer,
  campaignId: string,
  entries: FrameEntry[]
): Promise<{ inserted: number; duplicates: string[] }> {
  let inserted = 0
  const duplicates: string[] = []
  await db.transaction(async (tx) => {
    for (let i = 0; i < entries.length; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK).map((e) => ({ id: randomUUID(), ...e }))
      const stored = await tx
        .insert(frameRecords)
        .values(
          chunk.map(({ id, record, unitId }) => ({
            id,
            campaignId,
            dossierCode: record.dossierCode,
            procedureCode: record.procedureCode,
            procedureName: record.procedureName,
            fieldCode: record.fieldCode,
            unitId,
            channel: record.channel,
            subjectType: record.subjectType,
            completedAt: record.completedAt,
            stratum: unitId
          }))
        )
        .onConflictDoNothing()
        .returning({ id: frameRecords.id })
      const storedIds = new Set(stored.map((r) => r.id))
      const contacts = chunk.filter(
        (e) => storedIds.has(e.id) && Object.values(e.record.contact).some((v) => v !== null)
      )
      if (contacts.length > 0)
        await tx
          .insert(frameContacts)
          .values(contacts.map((e) => ({ recordId: e.id, sealed: sealer.seal(e.id, e.record.contact) })))
      for (const e of chunk) if (!storedIds.has(e.id)) duplicates.push(e.record.dossierCode)
      inserted += stored.length
    }
  })
  return { inserted, duplicates }
}

export async function frameSummary(db: Db, campaignId: string) {
  const [{ total }] = await db
    .select({ total: count() })
    .from(frameRecords)
    .where(eq(frameRecords.campaignId, campaignId))
  const [{ contacts }] = await db
    .select({ contacts: count() })
    .from(frameContacts)
    .innerJoin(frameRecords, eq(frameContacts.recordId, frameRecords.id))
    .where(eq(frameRecords.campaignId, campaignId))
  const byUnit = await db
    .select({ unitId: frameRecords.unitId, channel: frameRecords.channel, records: count() })
    .from(frameRecords)
    .where(eq(frameRecords.campaignId, campaignId))
    .groupBy(frameRecords.unitId, frameRecords.channel)
    .orderBy(frameRecords.unitId, frameRecords.channel)
  return { records: total, withContacts: contacts, byUnitAndChannel: byUnit }
}

/** Deletes the frame and, with it, every contact detail (personal data), keeping the drawn sample's design. */
export async function deleteFrame(db: Db, campaignId: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx
      .delete(frameContacts)
      .where(
        sql`${frameContacts.recordId} in (select ${frameRecords.id} from ${frameRecords} where ${frameRecords.campaignId} = ${campaignId})`
      )
    const deleted = await tx
      .delete(frameRecords)
      .where(eq(frameRecords.campaignId, campaignId))
      .returning({ id: frameRecords.id })
    return deleted.length
  })
}

/** The sealed contacts of some frame records, opened (administrators only). */
export async function contactsOf(
  db: Db,
  sealer: Sealer,
  recordIds: string[]
): Promise<Map<string, FrameRecord['contact']>> {
  const out = new Map<string, FrameRecord['contact']>()
  for (let i = 0; i < recordIds.length; i += CHUNK) {
    const rows = await db
      .select()
      .from(frameContacts)
      .where(inArray(frameContacts.recordId, recordIds.slice(i, i + CHUNK)))
    for (const row of rows) out.set(row.recordId, sealer.open(row.recordId, row.sealed))
  }
  return out
}

export const frameRecordsOf = (db: Db, campaignId: string) =>
  db
    .select({
      id: frameRecords.id,
      dossierCode: frameRecords.dossierCode,
      unitId: frameRecords.unitId,
      channel: frameRecords.channel,
      stratum: frameRecords.stratum
    })
    .from(frameRecords)
    .where(eq(frameRecords.campaignId, campaignId))

/**
 * Re-stratifies the frame: by unit, or by unit × channel. Stratum keys use the units' official codes, not
 * database ids, so that the same frame and seed draw the same sample in any database.
 */
export async function stratifyFrame(db: Db, campaignId: string, by: 'unit' | 'unit-channel'): Promise<void> {
  const key =
    by === 'unit' ? sql`coalesce(u.code, u.agency_code)` : sql`coalesce(u.code, u.agency_code) || '|' || f.channel`
  await db.execute(
    sql`update frame_records f set stratum = ${key} from org_units u where u.id = f.unit_id and f.campaign_id = ${campaignId}`
  )
}
