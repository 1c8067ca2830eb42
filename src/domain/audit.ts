import type { Db } from '../db/client.js'
import { auditRows } from '../db/queries/audit.js'
import type { AuditEntry, AuditQuery } from '../schemas/audit.js'

export { provinceOf } from '../db/queries/audit.js'

/**
 * Newest first, a page at a time: `cursor` is the last id of the previous page, so pages stay stable while
 * entries are added. `provinces` limits a province administrator to its own entries.
 */
export async function listAudit(
  db: Db,
  query: AuditQuery,
  provinces: string[] | null
): Promise<{ items: AuditEntry[]; next: string | null }> {
  const { cursor, limit, ...filter } = query
  // One more than a page tells whether another page follows.
  const rows = await auditRows(
    db,
    { ...filter, before: cursor ? Number(cursor) : undefined, limit: limit + 1 },
    provinces
  )
  const items = rows.slice(0, limit).map((row) => ({
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
  return { items, next: rows.length > limit ? items[items.length - 1].id : null }
}
