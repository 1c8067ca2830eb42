import { and, asc, eq, isNull, max } from 'drizzle-orm'
import type { Db } from '../client.js'
import { instruments } from '../schema.js'
import { STANDARD_INSTRUMENT, type Instrument } from '../../scoring/index.js'

type Row = typeof instruments.$inferSelect
export const toSummary = (row: Row) => ({
  id: row.id,
  code: row.code,
  version: row.version,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  lockedAt: row.lockedAt?.toISOString() ?? null
})

export const listInstruments = async (db: Db) =>
  (await db.select().from(instruments).orderBy(asc(instruments.code), asc(instruments.version))).map(toSummary)

export async function getInstrument(db: Db, code: string, version: number): Promise<Row | null> {
  const [row] = await db
    .select()
    .from(instruments)
    .where(and(eq(instruments.code, code), eq(instruments.version, version)))
  return row ?? null
}

export async function getInstrumentById(db: Db, id: string): Promise<Row | null> {
  const [row] = await db.select().from(instruments).where(eq(instruments.id, id))
  return row ?? null
}

/** Stores the next version of a code; a concurrent creation of the same version fails on the unique key. */
export async function createInstrumentVersion(db: Db, draft: Omit<Instrument, 'version'>): Promise<Row> {
  const [{ latest }] = await db
    .select({ latest: max(instruments.version) })
    .from(instruments)
    .where(eq(instruments.code, draft.code))
  const definition: Instrument = { ...draft, version: (latest ?? 0) + 1 }
  const [row] = await db
    .insert(instruments)
    .values({ code: definition.code, version: definition.version, name: definition.name, definition })
    .returning()
  return row
}

/** Called when a campaign starts using a version: from then on the version is immutable. */
export async function lockInstrument(db: Db, id: string): Promise<void> {
  await db
    .update(instruments)
    .set({ lockedAt: new Date() })
    .where(and(eq(instruments.id, id), isNull(instruments.lockedAt)))
}

/** The standard instrument ships with the service: present in every database, as version 1. */
export async function ensureStandardInstrument(db: Db): Promise<void> {
  const s = STANDARD_INSTRUMENT
  await db
    .insert(instruments)
    .values({ code: s.code, version: s.version, name: s.name, definition: s })
    .onConflictDoNothing()
}
