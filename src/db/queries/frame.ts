import { and, count, eq, inArray, isNotNull, max, sql } from 'drizzle-orm'
import { plain, quoted } from '../array-literals.js'
import { rows, type Db } from '../client.js'
import { frameContacts, frameRecords, orgUnits } from '../schema.js'
import { subtreeIds } from './units.js'

const CHUNK = 1000

/** Frame records per statement of an upload. */
const UPLOAD_CHUNK = 10_000

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

/** The frame's name of each of these procedure codes (where its records name one; the last in order if they differ). */
export async function procedureNames(
  db: Db,
  campaignId: string,
  codes: readonly string[]
): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (let i = 0; i < codes.length; i += CHUNK) {
    const rows = await db
      .select({ code: frameRecords.procedureCode, name: max(frameRecords.procedureName) })
      .from(frameRecords)
      .where(
        and(
          eq(frameRecords.campaignId, campaignId),
          inArray(frameRecords.procedureCode, codes.slice(i, i + CHUNK)),
          isNotNull(frameRecords.procedureName)
        )
      )
      .groupBy(frameRecords.procedureCode)
    for (const row of rows) if (row.code !== null && row.name !== null) names.set(row.code, row.name)
  }
  return names
}

/**
 * A frame record to store. The caller chooses its id and seals the contact details with it (the seal is bound
 * to the record), or leaves `sealedContact` null when the record carries none.
 */
export type NewFrameRecord = Omit<typeof frameRecords.$inferInsert, 'campaignId' | 'stratum'> & {
  id: string
  sealedContact: Buffer | null
}

/**
 * Stores frame records and their sealed contacts in one transaction; dossiers already in the frame are skipped.
 * A statement per UPLOAD_CHUNK records, each column one array parameter (unnest): a province's frame is a million
 * dossiers, and drizzle builds a placeholder per value of a multi-row insert (about 100 µs a record).
 */
export async function insertFrame(
  db: Db,
  campaignId: string,
  records: NewFrameRecord[]
): Promise<{ inserted: number; duplicates: string[] }> {
  let inserted = 0
  const duplicates: string[] = []
  await db.transaction(async (tx) => {
    for (let i = 0; i < records.length; i += UPLOAD_CHUNK) {
      const chunk = records.slice(i, i + UPLOAD_CHUNK)
      const of = <T>(value: (record: NewFrameRecord) => T) => chunk.map(value)
      const stored = rows(
        await tx.execute(sql`
          insert into frame_records (id, campaign_id, unit_id, stratum, dossier_code, procedure_code, procedure_name,
                                     field_code, channel, subject_type, completed_at)
          select i, ${campaignId}::uuid, u, u::text, d, p, pn, f, ch, st, t
          from unnest(${plain(of((r) => r.id))}::uuid[], ${plain(of((r) => r.unitId))}::uuid[],
                      ${quoted(of((r) => r.dossierCode))}::text[], ${quoted(of((r) => r.procedureCode ?? null))}::text[],
                      ${quoted(of((r) => r.procedureName ?? null))}::text[], ${quoted(of((r) => r.fieldCode ?? null))}::text[],
                      ${quoted(of((r) => r.channel))}::text[], ${quoted(of((r) => r.subjectType))}::text[],
                      ${plain(of((r) => r.completedAt.toISOString()))}::timestamptz[])
            as x(i, u, d, p, pn, f, ch, st, t)
          on conflict do nothing
          returning id`)
      ) as Array<{ id: string }>
      const storedIds = new Set(stored.map((r) => r.id))
      const contacts = chunk.filter((r) => storedIds.has(r.id) && r.sealedContact)
      if (contacts.length > 0)
        await tx.execute(sql`
          insert into frame_contacts (record_id, sealed)
          select r, decode(s, 'hex')
          from unnest(${plain(contacts.map((r) => r.id))}::uuid[],
                      ${plain(contacts.map((r) => (r.sealedContact as Buffer).toString('hex')))}::text[]) as x(r, s)`)
      for (const r of chunk) if (!storedIds.has(r.id)) duplicates.push(r.dossierCode)
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

/** The sealed contacts of some frame records, by record id (opening them is the caller's business). */
export async function sealedContactsOf(db: Db, recordIds: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>()
  for (let i = 0; i < recordIds.length; i += CHUNK) {
    const rows = await db
      .select()
      .from(frameContacts)
      .where(inArray(frameContacts.recordId, recordIds.slice(i, i + CHUNK)))
    for (const row of rows) out.set(row.recordId, row.sealed)
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
