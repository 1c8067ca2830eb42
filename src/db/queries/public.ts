import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../client.js'
import { rows } from '../client.js'
import { campaigns, importedResults, publicationApprovals, publications } from '../schema.js'

/** Every approved publication of the public campaigns (in `statuses`), newest version first within a year. */
export async function publicPublications(db: Db, filter: { year?: number; provinceId?: string; statuses: string[] }) {
  const conditions = [inArray(campaigns.status, filter.statuses)]
  if (filter.year !== undefined) conditions.push(eq(campaigns.year, filter.year))
  if (filter.provinceId) conditions.push(eq(campaigns.provinceId, filter.provinceId))
  return db
    .select({
      id: publications.id,
      campaignId: campaigns.id,
      name: campaigns.name,
      year: campaigns.year,
      provinceId: campaigns.provinceId,
      version: publications.version,
      publishedAt: publicationApprovals.approvedAt
    })
    .from(publications)
    .innerJoin(publicationApprovals, eq(publicationApprovals.publicationId, publications.id))
    .innerJoin(campaigns, eq(campaigns.id, publications.campaignId))
    .where(and(...conditions))
    .orderBy(desc(campaigns.year), desc(publications.version))
}

/** The latest approved publication of a province's public campaign of a year, if any. */
export async function provincePublication(db: Db, provinceId: string, year: number, statuses: string[]) {
  const [found] = await db
    .select({ id: publications.id })
    .from(publications)
    .innerJoin(publicationApprovals, eq(publicationApprovals.publicationId, publications.id))
    .innerJoin(campaigns, eq(campaigns.id, publications.campaignId))
    .where(and(eq(campaigns.provinceId, provinceId), eq(campaigns.year, year), inArray(campaigns.status, statuses)))
    .orderBy(desc(publications.version))
    .limit(1)
  return found ?? null
}

/** The CTE `lineage(id)`: the unit and every unit merged into it, transitively. */
const lineage = (unitId: string) => sql`with recursive lineage(id) as (
    select ${unitId}::uuid
    union select l.from_id from org_unit_links l join lineage on l.to_id = lineage.id
  )`

/**
 * A unit's overall results in the latest approved publication of every public campaign, found under the unit itself or
 * under any unit merged into it (transitively): one query, reading only the matching entries of each
 * publication. Oldest year first.
 */
export async function unitSeriesRows(db: Db, unitId: string, statuses: string[]) {
  return rows(
    await db.execute(sql`
      ${lineage(unitId)},
      latest as (
        select distinct on (p.campaign_id) p.id, p.campaign_id, p.version, p.results, c.year
        from publications p join publication_approvals a on a.publication_id = p.id
          join campaigns c on c.id = p.campaign_id
        where c.status = any(${`{${statuses.join(',')}}`}::text[])
        order by p.campaign_id, p.version desc
      )
      select latest.year, latest.campaign_id, latest.id as publication_id, entry.value->>'unitId' as unit_id,
             entry.value->'overall' as overall
      from latest
      cross join lateral jsonb_array_elements(jsonb_build_array(latest.results->'province') || (latest.results->'units'))
        with ordinality as entry(value, position)
      where (entry.value->>'unitId')::uuid in (select id from lineage)
      order by latest.year, latest.version desc, latest.campaign_id, entry.position`)
  ) as Array<{ year: number; campaign_id: string; publication_id: string; unit_id: string; overall: unknown }>
}

/** A unit's imported overall figures (years before the service), also under the units merged into it. */
export async function importedSeriesRows(db: Db, unitId: string) {
  return rows(
    await db.execute(sql`
      ${lineage(unitId)}
      select year, unit_id, estimate, source from ${importedResults}
      where index_code = 'overall' and unit_id in (select id from lineage)
      order by year, unit_id`)
  ) as Array<{ year: number; unit_id: string; estimate: number; source: string }>
}
