import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Db } from '../client.js'
import { apiClients } from '../schema.js'
import { Problem } from '../../problems.js'

export type ClientRow = typeof apiClients.$inferSelect

export async function insertClient(
  db: Db,
  values: Pick<typeof apiClients.$inferInsert, 'name' | 'role' | 'keyHash' | 'keyPrefix' | 'unitIds' | 'campaignIds'>
): Promise<ClientRow> {
  const [row] = await db.insert(apiClients).values(values).returning()
  return row
}

export const clientRows = (db: Db) => db.select().from(apiClients).orderBy(asc(apiClients.createdAt))

export async function findClient(db: Db, id: string): Promise<ClientRow> {
  const [row] = await db.select().from(apiClients).where(eq(apiClients.id, id))
  if (!row) throw new Problem('not-found', `No client ${id}.`)
  return row
}

/** Replaces an active client's key hash; not-found when it is revoked or absent. */
export async function rekeyClient(db: Db, id: string, key: { keyHash: string; keyPrefix: string }) {
  const [row] = await db
    .update(apiClients)
    .set({ ...key, rotatedAt: new Date() })
    .where(and(eq(apiClients.id, id), isNull(apiClients.revokedAt)))
    .returning()
  if (!row) throw new Problem('not-found', `No active client ${id}.`)
  return row
}

export async function revokeClient(db: Db, id: string): Promise<ClientRow> {
  const [row] = await db
    .update(apiClients)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiClients.id, id), isNull(apiClients.revokedAt)))
    .returning()
  if (!row) throw new Problem('not-found', `No active client ${id}.`)
  return row
}

/** The active client with this key hash, or null. */
export async function activeClientByHash(db: Db, keyHash: string): Promise<ClientRow | null> {
  const [row] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.keyHash, keyHash), isNull(apiClients.revokedAt)))
  return row ?? null
}
