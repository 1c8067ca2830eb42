import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../client.js'
import { campaigns, importedResults, publicationApprovals, publications } from '../schema.js'

export type NewImportedResult = typeof importedResults.$inferInsert
export type ImportedResultRow = typeof importedResults.$inferSelect

/** The figures already imported for these units in this year. */
export async function importedOf(db: Db, year: number, unitIds: string[]): Promise<ImportedResultRow[]> {
  if (unitIds.length === 0) return []
  return db
    .select()
    .from(importedResults)
    .where(and(eq(importedResults.year, year), inArray(importedResults.unitId, unitIds)))
}

/** Stores new figures (the caller found none of them imported already). */
export async function insertImported(db: Db, rows: NewImportedResult[]): Promise<void> {
  // 9 parameters a row: chunks stay under PostgreSQL's 65,535 bind parameters.
  for (let at = 0; at < rows.length; at += 5000) await db.insert(importedResults).values(rows.slice(at, at + 5000))
}

/** Whether the province has an approved publication of a campaign of that year. */
export async function yearPublished(db: Db, provinceId: string, year: number): Promise<boolean> {
  const found = await db
    .select({ id: publications.id })
    .from(publications)
    .innerJoin(publicationApprovals, eq(publicationApprovals.publicationId, publications.id))
    .innerJoin(campaigns, eq(campaigns.id, publications.campaignId))
    .where(and(eq(campaigns.provinceId, provinceId), eq(campaigns.year, year)))
    .limit(1)
  return found.length > 0
}
