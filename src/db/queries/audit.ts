import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../client.js'
import { auditLog, orgUnits } from '../schema.js'
import type { AuditEntry, AuditQuery } from '../../schemas/audit.js'

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
 * Newest first, a page at a time: `cursor` is the last id of the previous page, so pages stay stable while
 * entries are added. `provinces` limits a province administrator to its own entries.
 */
export async function listAudit(
  db: Db,
  query: AuditQuery,
  provinces: string[] | null
): Promise<{ items: AuditEntry[]; next: string | null }> {
  const conditions: SQL[] = []
  if (provinces !== null) conditions.push(provinces.length === 0 ? sql`false` : inArray(auditLog.provinceId, provinces))
  if (query.actor) conditions.push(eq(auditLog.actor, query.actor))
  if (query.action) conditions.push(eq(auditLog.action, query.action))
  if (query.entity) conditions.push(eq(auditLog.entity, query.entity))
  if (query.entityId) conditions.push(eq(auditLog.entityId, query.entityId))
  if (query.from) conditions.push(gte(auditLog.at, new Date(query.from)))
  if (query.to) conditions.push(lte(auditLog.at, new Date(query.to)))
  if (query.cursor) conditions.push(lt(auditLog.id, Number(query.cursor)))
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1)
  const items = rows.slice(0, query.limit).map((row) => ({
    id: String(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    role: row.role,
    ip: row.ip,
    requestId: row.requestId,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    provinceId: row.provinceId,
    before: row.before as AuditEntry['before'],
    after: row.after as AuditEntry['after']
  }))
  return { items, next: rows.length > query.limit ? items[items.length - 1].id : null }
}
