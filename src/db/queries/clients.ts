import { createHash, randomBytes } from 'node:crypto'
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Db } from '../client.js'
import { apiClients } from '../schema.js'
import { subtreeIds } from './units.js'
import { Problem } from '../../problems.js'
import type { KeyRole } from '../../schemas/clients.js'

type Row = typeof apiClients.$inferSelect

/** What a valid key stands for: its role, its units (whole subtrees) and campaigns. */
export interface KeyScope {
  id: string
  name: string
  role: KeyRole
  units: Set<string>
  campaigns: Set<string>
}

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex')
/** 32 random bytes: unguessable, so a fast hash (not a password hash) is the right way to store it. */
const newKey = (): string => `sipas_${randomBytes(32).toString('base64url')}`

export const toClient = (row: Row) => ({
  id: row.id,
  name: row.name,
  role: row.role as KeyRole,
  keyPrefix: row.keyPrefix,
  units: row.unitIds,
  campaigns: row.campaignIds,
  createdAt: row.createdAt.toISOString(),
  rotatedAt: row.rotatedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null
})

export async function createClient(
  db: Db,
  input: { name: string; role: KeyRole; units: string[]; campaigns: string[] }
) {
  const key = newKey()
  const [row] = await db
    .insert(apiClients)
    .values({
      name: input.name,
      role: input.role,
      keyHash: hashKey(key),
      keyPrefix: key.slice(0, 12),
      unitIds: input.units,
      campaignIds: input.campaigns
    })
    .returning()
  return { ...toClient(row), key }
}

export const listClients = async (db: Db) =>
  (await db.select().from(apiClients).orderBy(asc(apiClients.createdAt))).map(toClient)

export async function findClient(db: Db, id: string) {
  const [row] = await db.select().from(apiClients).where(eq(apiClients.id, id))
  if (!row) throw new Problem('not-found', `No client ${id}.`)
  return toClient(row)
}

/** A new key for the client; the old one stops working at once. */
export async function rotateClient(db: Db, id: string) {
  const key = newKey()
  const [row] = await db
    .update(apiClients)
    .set({ keyHash: hashKey(key), keyPrefix: key.slice(0, 12), rotatedAt: new Date() })
    .where(and(eq(apiClients.id, id), isNull(apiClients.revokedAt)))
    .returning()
  if (!row) throw new Problem('not-found', `No active client ${id}.`)
  return { ...toClient(row), key }
}

export async function revokeClient(db: Db, id: string) {
  const [row] = await db
    .update(apiClients)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiClients.id, id), isNull(apiClients.revokedAt)))
    .returning()
  if (!row) throw new Problem('not-found', `No active client ${id}.`)
  return toClient(row)
}

/** The scope of an active key, or null. */
export async function keyByValue(db: Db, key: string): Promise<KeyScope | null> {
  const [row] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.keyHash, hashKey(key)), isNull(apiClients.revokedAt)))
  if (!row) return null
  return {
    id: row.id,
    name: row.name,
    role: row.role as KeyRole,
    units: new Set(await subtreeIds(db, row.unitIds)),
    campaigns: new Set(row.campaignIds)
  }
}
