import { randomUUID } from 'node:crypto'
import { param, sql, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import pg from 'pg'
import type { Db } from '../client.js'
import { rows } from '../client.js'
import { plain, quoted } from '../array-literals.js'
import { MISSING } from '../../scoring/index.js'

/** A response ready to store: answers in the instrument's column order, null where missing. */
export interface NewResponse {
  campaignId: string
  unitId: string
  externalId: string
  channel: string
  collectedAt: Date
  procedureCode: string | null
  fieldCode: string | null
  dossierCode: string | null
  slotId: string | null
  answers: Array<number | null>
  contentHash: string
}

const dialect = new PgDialect()

/**
 * Runs a statement of the ingestion path. On a pg pool it is a named prepared statement, parsed and planned
 * once per connection instead of at every call (drizzle sends unnamed ones); in a transaction, or on PGlite
 * (in process, nothing to save), it goes through drizzle.
 */
async function run(db: Db, name: string, statement: SQL): Promise<unknown[]> {
  const client = (db as { $client?: unknown }).$client
  if (!(client instanceof pg.Pool)) return rows(await db.execute(statement))
  const query = dialect.sqlToQuery(statement)
  return (await client.query({ name, text: query.sql, values: query.params })).rows
}

/**
 * `conflict`: the external id was used for other content; `answered`: the dossier (or its sample slot) already
 * has another response, `id`.
 */
export type StoreOutcome =
  { status: 'accepted' | 'duplicate' | 'conflict' | 'answered'; id: string } | { status: 'not-collecting' }

/** A response's answers as the hex of their bytes (schema.ts: one byte each, MISSING for none). */
const answerBytes = (answers: ReadonlyArray<number | null>) =>
  Buffer.from(answers.map((a) => a ?? MISSING)).toString('hex')

/**
 * Stores responses in one statement (INSERT … SELECT FROM unnest … ON CONFLICT DO NOTHING), `batch[i]` as
 * posted by client `clientIds[i]`, then tells, for each one not inserted, a replay (same content: duplicate,
 * with the original's id) from a conflict (same external id, other content). The statement itself checks
 * that the campaign is in one of the `collecting` statuses, so a campaign closed a moment ago refuses
 * responses whatever a cache says. A response for a dossier that already has one (the unique index on the
 * campaign's dossier codes) is not inserted either, and is told apart after the replays and conflicts. Slots of sampled respondents are marked responded: with slots, run it in a transaction so that
 * nothing is half-stored. A (campaign, client, external id) must not repeat within `batch`.
 *
 * The ids are made here, so that the statement returns only those of the rows it inserted; the arrays are
 * sent as literals built here (pg would quote and escape every element).
 */
export async function storeResponses(
  db: Db,
  collecting: readonly string[],
  clientIds: readonly string[],
  batch: NewResponse[]
): Promise<StoreOutcome[]> {
  if (batch.length === 0) return []
  const ids = batch.map(() => randomUUID())
  const inserted = new Set(
    (
      (await run(
        db,
        'sipas_store_responses',
        sql`
    insert into responses (id, campaign_id, unit_id, client_id, external_id, content_hash, channel, procedure_code, field_code, dossier_code, slot_id, collected_at, answers)
    select i, c, u, cl, e, h, ch, p, f, d, s, t, decode(a, 'hex')
    from unnest(${plain(ids)}::uuid[], ${plain(batch.map((r) => r.campaignId))}::uuid[], ${plain(batch.map((r) => r.unitId))}::uuid[], ${quoted(clientIds)}::text[],
                ${quoted(batch.map((r) => r.externalId))}::text[], ${plain(batch.map((r) => r.contentHash))}::text[], ${plain(batch.map((r) => r.channel))}::text[],
                ${quoted(batch.map((r) => r.procedureCode))}::text[], ${quoted(batch.map((r) => r.fieldCode))}::text[], ${quoted(batch.map((r) => r.dossierCode))}::text[],
                ${plain(batch.map((r) => r.slotId))}::uuid[], ${plain(batch.map((r) => r.collectedAt.toISOString()))}::timestamptz[],
                ${plain(batch.map((r) => answerBytes(r.answers)))}::text[])
      as x(i, c, u, cl, e, h, ch, p, f, d, s, t, a)
    where exists (select 1 from campaigns where id = x.c and status = any(${plain(collecting)}::text[]))
    on conflict do nothing
    returning id`
      )) as Array<{ id: string }>
    ).map((r) => r.id)
  )
  const others = batch.flatMap((r, i) =>
    inserted.has(ids[i]) ? [] : [{ campaignId: r.campaignId, clientId: clientIds[i], externalId: r.externalId }]
  )
  const existing = new Map<string, { id: string; hash: string }>()
  if (others.length > 0) {
    const found = (await run(
      db,
      'sipas_find_responses',
      sql`
      select r.id, r.campaign_id, r.client_id, r.external_id, r.content_hash from responses r
      join unnest(${param(others.map((r) => r.campaignId))}::uuid[], ${param(others.map((r) => r.clientId))}::text[], ${param(others.map((r) => r.externalId))}::text[]) as k(c, cl, e)
        on r.campaign_id = k.c and r.client_id = k.cl and r.external_id = k.e`
    )) as Array<{ id: string; campaign_id: string; client_id: string; external_id: string; content_hash: string }>
    for (const r of found)
      existing.set(responseKey(r.campaign_id, r.client_id, r.external_id), { id: r.id, hash: r.content_hash })
  }
  const answered = await responsesOfDossiers(
    db,
    batch.flatMap((r, i) =>
      inserted.has(ids[i]) ||
      r.dossierCode === null ||
      existing.has(responseKey(r.campaignId, clientIds[i], r.externalId))
        ? []
        : [{ campaignId: r.campaignId, dossierCode: r.dossierCode }]
    )
  )
  const slots = batch.filter((r, i) => r.slotId !== null && inserted.has(ids[i])).map((r) => r.slotId as string)
  if (slots.length > 0) {
    await db.execute(
      sql`update sample_slots set status = 'responded', updated_at = now() where id = any(${param(slots)}::uuid[]) and status <> 'reserve'`
    )
  }
  return batch.map((r, i): StoreOutcome => {
    if (inserted.has(ids[i])) return { status: 'accepted', id: ids[i] }
    const original = existing.get(responseKey(r.campaignId, clientIds[i], r.externalId))
    if (original) return { status: original.hash === r.contentHash ? 'duplicate' : 'conflict', id: original.id }
    const other = r.dossierCode === null ? undefined : answered.get(dossierKey(r.campaignId, r.dossierCode))
    return other === undefined ? { status: 'not-collecting' } : { status: 'answered', id: other }
  })
}

/** A dossier of a campaign, as one map key. */
export const dossierKey = (campaignId: string, dossierCode: string) => `${campaignId}\u0000${dossierCode}`

/** The responses stored for these dossiers, by campaign and dossier code. */
async function responsesOfDossiers(
  db: Db,
  keys: ReadonlyArray<{ campaignId: string; dossierCode: string }>
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map()
  const found = (await run(
    db,
    'sipas_find_dossier_responses',
    sql`
    select r.id, r.campaign_id, r.dossier_code from responses r
    join unnest(${param(keys.map((k) => k.campaignId))}::uuid[], ${param(keys.map((k) => k.dossierCode))}::text[]) as k(c, d)
      on r.campaign_id = k.c and r.dossier_code = k.d`
  )) as Array<{ id: string; campaign_id: string; dossier_code: string }>
  return new Map(found.map((r) => [dossierKey(r.campaign_id, r.dossier_code), r.id]))
}

/** What makes a response unique: a client's external id within a campaign. */
export const responseKey = (campaignId: string, clientId: string, externalId: string) =>
  `${campaignId}\u0000${clientId}\u0000${externalId}`

/** Sample slots named by responses: to check they belong to the campaign, unit and dossier, and are issued. */
export async function slotsById(
  db: Db,
  ids: string[]
): Promise<Map<string, { campaignId: string; unitId: string; status: string; dossierCode: string }>> {
  if (ids.length === 0) return new Map()
  const found = rows(
    await db.execute(
      sql`select id, campaign_id, unit_id, status, dossier_code from sample_slots where id = any(${param(ids)}::uuid[])`
    )
  ) as Array<{ id: string; campaign_id: string; unit_id: string; status: string; dossier_code: string }>
  return new Map(
    found.map((s) => [
      s.id,
      { campaignId: s.campaign_id, unitId: s.unit_id, status: s.status, dossierCode: s.dossier_code }
    ])
  )
}

/** What the campaign knows of a dossier: its frame record, and the sample slot it was drawn as. */
export interface DossierLink {
  record: { unitId: string; fieldCode: string | null; procedureCode: string | null }
  slot: { id: string; unitId: string; status: string } | null
}

/**
 * The frame records of a campaign's dossiers and the sample slots they were drawn as, by dossier code, in one
 * statement. Slots are read through their frame records: while a campaign collects, a drawn sample's frame
 * cannot be deleted (domain/campaign-lifecycle.ts).
 */
export async function dossierLinks(db: Db, campaignId: string, codes: string[]): Promise<Map<string, DossierLink>> {
  if (codes.length === 0) return new Map()
  const found = (await run(
    db,
    'sipas_dossier_links',
    sql`
    select f.dossier_code, f.unit_id as record_unit, f.field_code, f.procedure_code, s.id as slot_id,
           s.unit_id as slot_unit, s.status as slot_status
    from frame_records f
    left join sample_slots s on s.campaign_id = f.campaign_id and s.dossier_code = f.dossier_code
    where f.campaign_id = ${campaignId} and f.dossier_code = any(${param(codes)}::text[])`
  )) as Array<{
    dossier_code: string
    record_unit: string
    field_code: string | null
    procedure_code: string | null
    slot_id: string | null
    slot_unit: string | null
    slot_status: string | null
  }>
  return new Map(
    found.map((r) => [
      r.dossier_code,
      {
        record: { unitId: r.record_unit, fieldCode: r.field_code, procedureCode: r.procedure_code },
        slot: r.slot_id === null ? null : { id: r.slot_id, unitId: r.slot_unit!, status: r.slot_status! }
      }
    ])
  )
}
