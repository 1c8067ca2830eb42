import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import type { Db } from '../db/client.js'
import { recordAudit, type AuditRecord } from '../db/queries/audit.js'

/** What a change says about itself: the entity and, as ids, statuses and counts, its state before and after. */
export type AuditFacts = Pick<AuditRecord, 'entity' | 'entityId' | 'provinceId' | 'before' | 'after'>

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Runs a change in one transaction with its audit entry: both commit, or neither. `change` and `facts`
     * must use the `db` they are given (on PGlite, a query outside the transaction would wait for it forever).
     */
    audited: <T>(
      request: FastifyRequest,
      action: string,
      change: (db: Db) => Promise<T>,
      facts: (result: T, db: Db) => AuditFacts | Promise<AuditFacts>
    ) => Promise<T>
  }
}

export default fp(
  async function audit(app) {
    app.decorate('audited', async function audited<
      T
    >(request: FastifyRequest, action: string, change: (db: Db) => Promise<T>, facts: (result: T, db: Db) => AuditFacts | Promise<AuditFacts>): Promise<T> {
      return app.database.db.transaction(async (tx) => {
        const db = tx as unknown as Db
        const result = await change(db)
        await recordAudit(db, {
          actor: request.actor ?? 'anonymous',
          role: request.role ?? 'public',
          ip: request.ip,
          requestId: request.id,
          action,
          ...(await facts(result, db))
        })
        return result
      })
    })
  },
  { name: 'audit', dependencies: ['database', 'auth'] }
)

/** The facts of a change to a campaign or to something it holds (frame, sample, computation, publication). */
export const campaignFacts = (
  campaign: { id: string; provinceId: string },
  after: AuditRecord['after'],
  before: AuditRecord['before'] = null
): AuditFacts => ({ entity: 'campaign', entityId: campaign.id, provinceId: campaign.provinceId, before, after })
