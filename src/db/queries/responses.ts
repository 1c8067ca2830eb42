import { param, sql } from 'drizzle-orm'
import type { Db } from '../client.js'
import { rows } from '../client.js'
import { campaignUnitIds, findCampaign } from './campaigns.js'
import { getInstrumentById } from './instruments.js'
import { scopeResolver } from './frame.js'
import type { CampaignContext, ValidResponse } from '../../domain/responses.js'
import { answerColumns, type Instrument } from '../../scoring/instrument.js'

/** Everything validation needs of a campaign, read once. */
export async function campaignContext (db: Db, campaignId: string): Promise<CampaignContext> {
  const campaign = await findCampaign(db, campaignId)
  const instrument = (await getInstrumentById(db, campaign.instrumentId))!.definition as Instrument
  const units = await campaignUnitIds(db, campaignId)
  const byCode = await scopeResolver(db, units)
  const scope = new Set(units)
  return {
    id: campaign.id,
    status: campaign.status,
    collectionStart: campaign.collectionStart,
    collectionEnd: campaign.collectionEnd,
    channels: campaign.channels,
    instrument,
    columns: answerColumns(instrument),
    measuredUnit: (unit) => scope.has(unit) ? unit : byCode(unit)
  }
}

export type StoreOutcome = { status: 'accepted' | 'duplicate' | 'conflict', id: string } | { status: 'not-collecting' }

const literal = (answers: Array<number | null>) => `{${answers.map((a) => a === null ? 'NULL' : a).join(',')}}`

/**
 * Stores responses of one client in one statement (INSERT … SELECT FROM unnest … ON CONFLICT DO NOTHING),
 * then tells, for each one not inserted, a replay (same content: duplicate, with the original's id) from a
 * conflict (same external id, other content). The statement itself checks that the campaign is collecting,
 * so a campaign closed a moment ago refuses responses whatever a cache says. Slots of sampled respondents
 * are marked responded: with slots, run it in a transaction so that nothing is half-stored.
 */
export async function storeResponses (db: Db, clientId: string, batch: ValidResponse[]): Promise<StoreOutcome[]> {
  if (batch.length === 0) return []
  const col = <T>(pick: (r: ValidResponse) => T) => param(batch.map(pick))
  const inserted = rows(await db.execute(sql`
    insert into responses (campaign_id, unit_id, client_id, external_id, content_hash, channel, procedure_code, field_code, dossier_code, slot_id, collected_at, answers)
    select c, u, ${clientId}, e, h, ch, p, f, d, s, t, a::smallint[]
    from unnest(${col((r) => r.campaignId)}::uuid[], ${col((r) => r.unitId)}::uuid[], ${col((r) => r.externalId)}::text[], ${col((r) => r.contentHash)}::text[],
                ${col((r) => r.channel)}::text[], ${col((r) => r.procedureCode)}::text[], ${col((r) => r.fieldCode)}::text[], ${col((r) => r.dossierCode)}::text[],
                ${col((r) => r.slotId)}::uuid[], ${col((r) => r.collectedAt.toISOString())}::timestamptz[], ${col((r) => literal(r.answers))}::text[])
      as x(c, u, e, h, ch, p, f, d, s, t, a)
    where exists (select 1 from campaigns where id = x.c and status = 'collecting')
    on conflict (campaign_id, client_id, external_id) do nothing
    returning id, campaign_id, external_id`)) as Array<{ id: string, campaign_id: string, external_id: string }>
  const key = (campaignId: string, externalId: string) => `${campaignId}\u0000${externalId}`
  const fresh = new Map(inserted.map((r) => [key(r.campaign_id, r.external_id), r.id]))
  const others = batch.filter((r) => !fresh.has(key(r.campaignId, r.externalId)))
  const existing = new Map<string, { id: string, hash: string }>()
  if (others.length > 0) {
    const found = rows(await db.execute(sql`
      select r.id, r.campaign_id, r.external_id, r.content_hash from responses r
      join unnest(${param(others.map((r) => r.campaignId))}::uuid[], ${param(others.map((r) => r.externalId))}::text[]) as k(c, e)
        on r.campaign_id = k.c and r.external_id = k.e
      where r.client_id = ${clientId}`)) as Array<{ id: string, campaign_id: string, external_id: string, content_hash: string }>
    for (const r of found) existing.set(key(r.campaign_id, r.external_id), { id: r.id, hash: r.content_hash })
  }
  const slots = batch.filter((r) => r.slotId !== null && fresh.has(key(r.campaignId, r.externalId))).map((r) => r.slotId as string)
  if (slots.length > 0) {
    await db.execute(sql`update sample_slots set status = 'responded', updated_at = now() where id = any(${param(slots)}::uuid[]) and status <> 'reserve'`)
  }
  return batch.map((r) => {
    const id = fresh.get(key(r.campaignId, r.externalId))
    if (id) return { status: 'accepted', id }
    const original = existing.get(key(r.campaignId, r.externalId))
    if (!original) return { status: 'not-collecting' }
    return { status: original.hash === r.contentHash ? 'duplicate' : 'conflict', id: original.id }
  })
}

/** Sample slots named by responses: to check they belong to the campaign and unit, and are issued. */
export async function slotsById (db: Db, ids: string[]): Promise<Map<string, { campaignId: string, unitId: string, status: string }>> {
  if (ids.length === 0) return new Map()
  const found = rows(await db.execute(sql`select id, campaign_id, unit_id, status from sample_slots where id = any(${param(ids)}::uuid[])`)) as Array<{ id: string, campaign_id: string, unit_id: string, status: string }>
  return new Map(found.map((s) => [s.id, { campaignId: s.campaign_id, unitId: s.unit_id, status: s.status }]))
}
