import { and, asc, eq, gte, inArray, isNull, like, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../client.js'
import { orgUnitLinks, orgUnits } from '../schema.js'

export type UnitRow = typeof orgUnits.$inferSelect
export type NewUnit = typeof orgUnits.$inferInsert
export type NewUnitLink = typeof orgUnitLinks.$inferInsert
const CHUNK = 500

const validOn = (day: string): SQL =>
  and(lte(orgUnits.validFrom, day), or(isNull(orgUnits.validTo), gte(orgUnits.validTo, day))) as SQL

export interface UnitFilter {
  /** Matched, as a substring, against the units' search form (domain/names.ts). */
  searchForm?: string
  level?: string
  parentId?: string
  code?: string
  validOn: string
  limit: number
  offset: number
}

export async function listUnits(db: Db, filter: UnitFilter): Promise<UnitRow[]> {
  const conditions: SQL[] = [validOn(filter.validOn)]
  if (filter.searchForm) conditions.push(like(orgUnits.searchName, `%${filter.searchForm.replace(/[%_\\]/g, '\\$&')}%`))
  if (filter.level) conditions.push(eq(orgUnits.level, filter.level))
  if (filter.parentId) conditions.push(eq(orgUnits.parentId, filter.parentId))
  if (filter.code) conditions.push(or(eq(orgUnits.code, filter.code), eq(orgUnits.agencyCode, filter.code)) as SQL)
  return db
    .select()
    .from(orgUnits)
    .where(and(...conditions))
    .orderBy(asc(orgUnits.code), asc(orgUnits.name), asc(orgUnits.id))
    .limit(filter.limit)
    .offset(filter.offset)
}

export async function getUnit(db: Db, id: string): Promise<UnitRow | null> {
  const [row] = await db.select().from(orgUnits).where(eq(orgUnits.id, id))
  return row ?? null
}

/** The ids of a unit and of every unit below it, at any depth. */
export async function subtreeIds(db: Db, rootIds: string[]): Promise<string[]> {
  const result = await db.execute(sql`with recursive tree(id) as (
      select id from org_units where id in ${rootIds}
      union select u.id from org_units u join tree on u.parent_id = tree.id)
    select id from tree`)
  return (result as unknown as { rows: Array<{ id: string }> }).rows.map((r) => r.id)
}

export async function predecessors(
  db: Db,
  id: string
): Promise<Array<{ id: string; kind: string; effectiveOn: string }>> {
  return db
    .select({ id: orgUnitLinks.fromId, kind: orgUnitLinks.kind, effectiveOn: orgUnitLinks.effectiveOn })
    .from(orgUnitLinks)
    .where(eq(orgUnitLinks.toId, id))
}

/** The units merged into each of `ids` (direct links only), as (to, from) pairs. */
export async function predecessorLinks(db: Db, ids: string[]): Promise<Array<{ toId: string; fromId: string }>> {
  if (ids.length === 0) return []
  return db
    .select({ toId: orgUnitLinks.toId, fromId: orgUnitLinks.fromId })
    .from(orgUnitLinks)
    .where(and(inArray(orgUnitLinks.toId, ids), eq(orgUnitLinks.kind, 'merged-into')))
}

/** The units, of any date, whose code or agency code is one of `codes`. */
export async function unitsWithCodes(db: Db, codes: string[]): Promise<UnitRow[]> {
  const found: UnitRow[] = []
  for (let i = 0; i < codes.length; i += CHUNK) {
    const some = codes.slice(i, i + CHUNK)
    found.push(
      ...(await db
        .select()
        .from(orgUnits)
        .where(or(inArray(orgUnits.code, some), inArray(orgUnits.agencyCode, some))))
    )
  }
  return found
}

/** Stores new units, closes the ones they succeed and links them (run it in one transaction). */
export async function storeUnits(
  db: Db,
  units: NewUnit[],
  closes: Array<{ id: string; validTo: string }>,
  links: NewUnitLink[]
): Promise<void> {
  for (let i = 0; i < units.length; i += CHUNK) await db.insert(orgUnits).values(units.slice(i, i + CHUNK))
  for (const close of closes) await db.update(orgUnits).set({ validTo: close.validTo }).where(eq(orgUnits.id, close.id))
  if (links.length > 0) await db.insert(orgUnitLinks).values(links).onConflictDoNothing()
}
