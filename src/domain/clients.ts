import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/client.js'
import * as queries from '../db/queries/clients.js'
import { subtreeIds } from '../db/queries/units.js'
import type { KeyRole } from '../schemas/clients.js'

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
const stored = (key: string) => ({ keyHash: hashKey(key), keyPrefix: key.slice(0, 12) })

const toClient = (row: queries.ClientRow) => ({
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

/** A new client and its key, shown this once. */
export async function createClient(
  db: Db,
  input: { name: string; role: KeyRole; units: string[]; campaigns: string[] }
) {
  const key = newKey()
  const row = await queries.insertClient(db, {
    name: input.name,
    role: input.role,
    ...stored(key),
    unitIds: input.units,
    campaignIds: input.campaigns
  })
  return { ...toClient(row), key }
}

export const listClients = async (db: Db) => (await queries.clientRows(db)).map(toClient)

export const findClient = async (db: Db, id: string) => toClient(await queries.findClient(db, id))

/** A new key for the client; the old one stops working at once. */
export async function rotateClient(db: Db, id: string) {
  const key = newKey()
  return { ...toClient(await queries.rekeyClient(db, id, stored(key))), key }
}

export const revokeClient = async (db: Db, id: string) => toClient(await queries.revokeClient(db, id))

/** The scope of an active key, or null. */
export async function keyByValue(db: Db, key: string): Promise<KeyScope | null> {
  const row = await queries.activeClientByHash(db, hashKey(key))
  if (!row) return null
  return {
    id: row.id,
    name: row.name,
    role: row.role as KeyRole,
    units: new Set(await subtreeIds(db, row.unitIds)),
    campaigns: new Set(row.campaignIds)
  }
}
