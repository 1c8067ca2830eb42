import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../client.js'
import { auditLog, orgUnits } from '../schema.js'

export type AuditRecord = typeof auditLog.$inferInsert

export const recordAudit = async (db: Db, entry: AuditRecord): Promise<void> => {
  await db.insert(auditLog).values(entry)
}

/** The province a unit belongs to (itself when it is one), for audit entries a province administrator reads. */
export async function provinceOf(db: Db, unitId: string): Promise<string | null> {
  const result = await db.execute(sql`with recursive up(id, parent_id, level) as (
      select id, parent_id, level from ${orgUnits} where id = ${unitId}
      union all select u.id, u.parent_id, u.level from ${orgUnits} u join up on u.id = up.parent_id where up.level <> 'province')
    select id from up where level = 'province' limit 1`)
  return (result as unknown as { rows: Array<{ id: string }> }).rows[0]?.id ?? null
}

/**
 * Newest first, at most `limit` entries with ids below `before` (the last id of the previous page, so pages
 * stay stable while entries are added). `provinces` limits a province administrator to its own entries.
 */
export async function auditRows(
  db: Db,
  filter: {
    actor?: string
    action?: string
    entity?: string
    entityId?: string
    from?: string
    to?: string
    before?: number
    limit: number
  },
  provinces: string[] | null
) {
  const conditions: SQL[] = []
  if (provinces !== null) conditions.push(provinces.length === 0 ? sql`false` : inArray(auditLog.provinceId, provinces))
  if (filter.actor) conditions.push(eq(auditLog.actor, filter.actor))
  if (filter.action) conditions.push(eq(auditLog.action, filter.action))
  if (filter.entity) conditions.push(eq(auditLog.entity, filter.entity))
  if (filter.entityId) conditions.push(eq(auditLog.entityId, filter.entityId))
  if (filter.from) conditions.push(gte(auditLog.at, new Date(filter.from)))
  if (filter.to) conditions.push(lte(auditLog.at, new Date(filter.to)))
  if (filter.before !== undefined) conditions.push(lt(auditLog.id, filter.before))
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit)
}
