import { sql } from 'drizzle-orm'
import type { Db } from '../client.js'
import { rows } from '../client.js'

/** How a campaign's stored responses count, for one unit (or, with unitId null, the whole campaign). */
export interface ResponseCountRow {
  unitId: string | null
  posted: number
  /** Answering a drawn slot. */
  sample: number
  /** No slot, and the dossier code of a frame record (not drawn, or drawn as a reserve not released). */
  afterService: number
  /** Neither: no dossier code, or none in the frame (yet). */
  unlinked: number
}

/**
 * Every stored response of the campaign counted once, by the rules the COPYs of answer-copy.ts read with
 * (`sample`, `after-service`), per unit of the response and for the campaign (the rollup's row, unit null).
 */
export async function responseCounts(db: Db, campaignId: string): Promise<ResponseCountRow[]> {
  const result = await db.execute(sql`
    select case when grouping(r.unit_id) = 1 then null else r.unit_id end as "unitId",
      count(*)::int as posted,
      (count(*) filter (where r.slot_id is not null))::int as sample,
      (count(*) filter (where r.slot_id is null and f.id is not null))::int as "afterService",
      (count(*) filter (where r.slot_id is null and f.id is null))::int as unlinked
    from responses r
    left join frame_records f on f.campaign_id = r.campaign_id and f.dossier_code = r.dossier_code
    where r.campaign_id = ${campaignId}
    group by rollup (r.unit_id)`)
  return rows(result) as ResponseCountRow[]
}

/** The campaign's frame counted by unit, channel and subject type: every calibration margin's totals add these. */
export async function frameCells(
  db: Db,
  campaignId: string
): Promise<Array<{ unitId: string; channel: string; subjectType: string; n: number }>> {
  const result = await db.execute(sql`
    select unit_id as "unitId", channel, subject_type as "subjectType", count(*)::int as n
    from frame_records where campaign_id = ${campaignId}
    group by unit_id, channel, subject_type`)
  return rows(result) as Array<{ unitId: string; channel: string; subjectType: string; n: number }>
}
