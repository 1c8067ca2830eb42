import { and, asc, desc, eq, isNotNull, max, sql } from 'drizzle-orm'
import pg from 'pg'
import type { Db } from '../client.js'
import { rows } from '../client.js'
import { computations, publicationApprovals, publications } from '../schema.js'
import { enqueueEvent } from './webhooks.js'
import { AnswerRows } from './answer-rows.js'
import {
  copyAnswerRows,
  FRAME_PARTS,
  FRAME_SEPARATOR,
  LabelIndex,
  type AnswerSource,
  type Labels
} from './answer-copy.js'
import { designOfBatch, type Design, type ResponseBatch } from '../../scoring/index.js'
import { Problem } from '../../problems.js'
import { stratifiedWeights } from '../../sampling/index.js'

const PAGE = 50_000

/**
 * Each row's frame record, compact (typed arrays and a few strings: cheap to hand to another thread): row r's
 * record has the values `parts[ofRow[r]]`, one per name of `names` (FRAME_PARTS; '' for none).
 */
export interface FrameLabels {
  names: readonly string[]
  ofRow: Uint32Array
  parts: string[][]
}

export interface LoadedResponses {
  batch: ResponseBatch
  design: Design
  respondentsByStratum: Map<string, number>
  /** With `withFrame`: each row's frame record's FRAME_PARTS (channel, subject type, field, procedure). */
  frame: FrameLabels | null
}

/** The rows one COPY reads, in an AnswerRows sized once when the count is known. */
async function readRows(
  db: Db,
  campaignId: string,
  source: AnswerSource,
  width: number,
  labels: Labels,
  onPage: (read: number) => void,
  expected: number
): Promise<AnswerRows> {
  const out = new AnswerRows(width, Math.max(expected, 1))
  const pool = (db as { $client?: unknown }).$client
  if (!(pool instanceof pg.Pool)) throw new Error('the responses are read through the pool, not in a transaction')
  await copyAnswerRows(pool, campaignId, source, labels, out, onPage)
  return out
}

/**
 * Rows labelled `[stratum, ] FRAME_PARTS` (joined by FRAME_SEPARATOR): the leading stratum through `leading` in
 * place of each row's label, and each row's frame record.
 */
function frameLabels(labels: LabelIndex, rowLabels: Uint32Array, leading: (part: string) => number): FrameLabels {
  const split = labels.keys.map((key) => key.split(FRAME_SEPARATOR))
  const lead = split.map((p) => (p.length > FRAME_PARTS.length ? leading(p[0]) : 0))
  const ofRow = rowLabels.slice()
  rowLabels.forEach((l, r) => (rowLabels[r] = lead[l]))
  return { names: FRAME_PARTS, ofRow, parts: split.map((p) => p.slice(p.length - FRAME_PARTS.length)) }
}

/**
 * A campaign's responses as a columnar batch for the scoring core: one binary COPY parsed as it streams (the
 * embedded database is reached through a pg pool too). For a sampled campaign only responses answering a
 * sample slot enter, in the slot's stratum, weighted N_h/r_h (non-response adjusted within the stratum),
 * with the finite-population correction N_h; otherwise they are self-selected: one stratum, unweighted, no
 * design-based interval. `expected` (the count, when known) sizes the arrays once.
 */
export async function loadResponses(
  db: Db,
  campaignId: string,
  columns: readonly string[],
  sampleDesign: { strata: ReadonlyArray<{ stratum: string; populationSize: number }> } | null,
  onPage: (read: number) => void = () => {},
  expected = PAGE,
  withFrame = false
): Promise<LoadedResponses> {
  const strata = sampleDesign ? sampleDesign.strata.map((s) => s.stratum) : ['all']
  const stratumIndex = new Map(strata.map((s, i) => [s, i]))
  if (withFrame && !sampleDesign) throw new Error('only the sample is read with its frame records')
  const labels = withFrame ? new LabelIndex() : stratumIndex
  const source = withFrame ? 'sample-frame' : sampleDesign ? 'sample' : 'all'
  const out = await readRows(db, campaignId, source, columns.length, labels, onPage, expected)
  const size = out.size
  const answers = out.answers.subarray(0, size * out.width)
  const unitOf = out.unit.subarray(0, size)
  const stratumOf = out.stratum.subarray(0, size)
  const frame = labels instanceof LabelIndex ? frameLabels(labels, stratumOf, (s) => stratumIndex.get(s) ?? 0) : null
  const weights = sampleDesign ? stratifiedWeights(sampleDesign.strata, stratumOf) : null
  const respondentsByStratum = new Map<string, number>()
  weights?.respondents.forEach((r, h) => {
    if (r > 0) respondentsByStratum.set(strata[h], r)
  })
  if (!weights && size > 0) respondentsByStratum.set(strata[0], size)
  const weight = weights?.weight ?? null
  const batch: ResponseBatch = {
    columns,
    size,
    answers,
    unit: unitOf,
    units: out.units,
    stratum: stratumOf,
    psu: null,
    weight
  }
  const fpc = weights?.fpc ?? [null]
  return {
    batch,
    design: designOfBatch(batch, strata, fpc, null, sampleDesign !== null),
    respondentsByStratum,
    frame
  }
}

/** No after-service responses: a campaign without a frame record can have none (nothing to link them to). */
export const noAfterService = (columns: readonly string[]): { batch: ResponseBatch; frame: FrameLabels } => ({
  batch: {
    columns,
    size: 0,
    answers: new Uint8Array(0),
    unit: new Uint32Array(0),
    units: [],
    stratum: null,
    psu: null,
    weight: null
  },
  frame: { names: FRAME_PARTS, ofRow: new Uint32Array(0), parts: [] }
})

/**
 * The after-service responses (dossier code of a frame record that was not drawn) as a batch of one stratum,
 * base weight 1, each row in its frame record's unit, with the record's FRAME_PARTS.
 */
export async function loadAfterService(
  db: Db,
  campaignId: string,
  columns: readonly string[],
  expected = 1024
): Promise<{ batch: ResponseBatch; frame: FrameLabels }> {
  const labels = new LabelIndex()
  const out = await readRows(db, campaignId, 'after-service', columns.length, labels, () => {}, expected)
  const size = out.size
  const stratum = out.stratum.subarray(0, size)
  const frame = frameLabels(labels, stratum, () => 0)
  const batch: ResponseBatch = {
    columns,
    size,
    answers: out.answers.subarray(0, size * out.width),
    unit: out.unit.subarray(0, size),
    units: out.units,
    stratum: null,
    psu: null,
    weight: null
  }
  return { batch, frame }
}

export async function countResponses(db: Db, campaignId: string): Promise<number> {
  return Number(
    (
      rows(await db.execute(sql`select count(*)::int as n from responses where campaign_id = ${campaignId}`))[0] as {
        n: number
      }
    ).n
  )
}

/** A computation, finished (results given) or starting as a job (results null, status running). */
export async function saveComputation(
  db: Db,
  campaignId: string,
  actor: string,
  responses: number,
  results: unknown | null
) {
  const job = results === null
  const [row] = await db
    .insert(computations)
    .values({
      campaignId,
      actor,
      responses,
      results,
      status: job ? 'running' : 'done',
      progress: job ? 0 : 1,
      finishedAt: job ? null : new Date()
    })
    .returning()
  return row
}

export async function updateJob(
  db: Db,
  id: string,
  change: { progress?: number; status?: 'done' | 'failed'; results?: unknown; responses?: number; error?: string }
) {
  await db
    .update(computations)
    .set({ ...change, ...(change.status ? { finishedAt: new Date() } : {}) })
    .where(eq(computations.id, id))
}

/** Jobs a stopped process left running cannot finish: say so. */
export async function failInterruptedJobs(db: Db): Promise<void> {
  await db
    .update(computations)
    .set({ status: 'failed', error: 'interrupted: the service stopped while computing', finishedAt: new Date() })
    .where(eq(computations.status, 'running'))
}

export async function getComputation(db: Db, id: string) {
  const [row] = await db.select().from(computations).where(eq(computations.id, id))
  if (!row) throw new Problem('not-found', `No computation ${id}.`)
  return row
}

/**
 * Freezes a computation as the campaign's next publication version, a draft until approved (nothing is sent
 * to subscribers yet). It replaces the campaign's latest approved publication, if any: a draft never approved
 * is superseded, not replaced.
 */
export async function publish(
  db: Db,
  campaignId: string,
  computationId: string,
  actor: string,
  note: string | undefined,
  /** The document to freeze: the computation's results with what the domain adds (changes); theirs by default. */
  freeze: (results: unknown) => Promise<unknown> = async (results) => results
) {
  const computation = await getComputation(db, computationId)
  if (computation.campaignId !== campaignId)
    throw new Problem('computation-of-other-campaign', 'The computation belongs to another campaign.', [
      { in: 'body', pointer: '/computationId', detail: 'of another campaign' }
    ])
  if (computation.status !== 'done')
    throw new Problem(
      'computation-not-done',
      `The computation is ${computation.status}: only a finished one can be published.`,
      [{ in: 'body', pointer: '/computationId', detail: computation.status }]
    )
  const results = await freeze(computation.results)
  return db.transaction(async (tx) => {
    await lockPublications(tx as unknown as Db, campaignId)
    const [latest] = await tx
      .select({ version: publications.version })
      .from(publications)
      .where(eq(publications.campaignId, campaignId))
      .orderBy(desc(publications.version))
      .limit(1)
    const [replaced] = await tx
      .select({ id: publications.id })
      .from(publications)
      .innerJoin(publicationApprovals, eq(publicationApprovals.publicationId, publications.id))
      .where(eq(publications.campaignId, campaignId))
      .orderBy(desc(publications.version))
      .limit(1)
    const [row] = await tx
      .insert(publications)
      .values({
        campaignId,
        version: (latest?.version ?? 0) + 1,
        computationId,
        replacesId: replaced?.id ?? null,
        note: note ?? null,
        actor,
        results
      })
      .returning()
    return { ...row, approval: null }
  })
}

/**
 * Makes the transaction the only one drafting or approving the campaign's publications until it ends, so that
 * an approval cannot publish a draft that a concurrent one supersedes. The campaign's row is the lock: `no
 * key` leaves the rows that refer to the campaign free to be written meanwhile.
 */
export async function lockPublications(db: Db, campaignId: string): Promise<void> {
  await db.execute(sql`select 1 from campaigns where id = ${campaignId} for no key update`)
}

export type ApprovalInput = Omit<typeof publicationApprovals.$inferInsert, 'publicationId' | 'actor' | 'approvedAt'>
export type ApprovalRow = typeof publicationApprovals.$inferSelect

/**
 * Records a draft's approval and queues the subscribers' notices: from now on it is public. The key refuses a
 * second approval (answered as a concurrent change, should one slip past the caller's check).
 */
export async function approve(
  db: Db,
  campaign: { id: string; provinceId: string; year: number },
  publication: { id: string; version: number; replacesId: string | null },
  approval: ApprovalInput,
  actor: string
): Promise<ApprovalRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(publicationApprovals)
      .values({ ...approval, publicationId: publication.id, actor })
      .returning()
    await enqueueEvent(tx as unknown as Db, 'publication.created', campaign.provinceId, {
      publicationId: publication.id,
      campaignId: campaign.id,
      provinceId: campaign.provinceId,
      year: campaign.year,
      version: publication.version,
      replacesId: publication.replacesId,
      decisionNumber: row.decisionNumber,
      decisionDate: row.decisionDate,
      url: `/v1/public/publications/${publication.id}`
    })
    return row
  })
}

const withApproval = {
  id: publications.id,
  campaignId: publications.campaignId,
  version: publications.version,
  createdAt: publications.createdAt,
  replacesId: publications.replacesId,
  note: publications.note,
  approval: publicationApprovals
}

/** A publication with its approval (null: a draft), without its results. */
export async function getPublicationInfo(db: Db, id: string) {
  const [row] = await db
    .select(withApproval)
    .from(publications)
    .leftJoin(publicationApprovals, eq(publicationApprovals.publicationId, publications.id))
    .where(eq(publications.id, id))
  if (!row) throw new Problem('not-found', `No publication ${id}.`)
  return row
}

/** A publication with its results and its approval (null: a draft). */
export async function getPublication(db: Db, id: string) {
  const [row] = await db
    .select({ ...withApproval, results: publications.results })
    .from(publications)
    .leftJoin(publicationApprovals, eq(publicationApprovals.publicationId, publications.id))
    .where(eq(publications.id, id))
  if (!row) throw new Problem('not-found', `No publication ${id}.`)
  return row
}

/** The campaign's latest publication version (draft or approved), 0 when none. */
export async function latestVersion(db: Db, campaignId: string): Promise<number> {
  const [row] = await db
    .select({ version: max(publications.version) })
    .from(publications)
    .where(eq(publications.campaignId, campaignId))
  return row?.version ?? 0
}

/** Whether the campaign has an approved publication (what may make it public). */
export async function hasApprovedPublication(db: Db, campaignId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: publications.id })
    .from(publications)
    .innerJoin(publicationApprovals, eq(publicationApprovals.publicationId, publications.id))
    .where(eq(publications.campaignId, campaignId))
    .limit(1)
  return row !== undefined
}

/** The campaign's publications, oldest first; drafts only when `drafts`. */
export const publicationsOf = (db: Db, campaignId: string, drafts: boolean) =>
  db
    .select(withApproval)
    .from(publications)
    .leftJoin(publicationApprovals, eq(publicationApprovals.publicationId, publications.id))
    .where(
      and(eq(publications.campaignId, campaignId), drafts ? undefined : isNotNull(publicationApprovals.publicationId))
    )
    .orderBy(asc(publications.version))
