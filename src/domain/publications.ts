import type { Db } from '../db/client.js'
import type { CampaignRow } from '../db/queries/campaigns.js'
import { getInstrument } from '../db/queries/instruments.js'
import { importedSeriesRows, publicPublications, unitSeriesRows } from '../db/queries/public.js'
import {
  approve,
  getPublication,
  getPublicationInfo,
  latestVersion,
  lockPublications,
  publicationsOf,
  publish,
  type ApprovalRow
} from '../db/queries/results.js'
import { Problem } from '../problems.js'
import { PromiseCache } from '../promise-cache.js'
import { unionOfQuestionnaires, type Instrument } from '../scoring/index.js'
import { statusesAllowing } from './campaign-lifecycle.js'
import { campaignAllows, transitionCampaign } from './campaigns.js'
import { reportHtml } from './report-html.js'
import { questionnaireRefs } from './instruments.js'
import { withChanges } from './changes.js'
import type { CampaignResults, UnitResult } from './results.js'
import type { ApprovalInput, Figure, PublicationInfo, SeriesPoint } from '../schemas/results.js'

/** Refuses, before any write, a publication the campaign's status does not allow. */
export async function assertPublishable(db: Db, campaign: CampaignRow): Promise<void> {
  if (!(await campaignAllows(db, campaign, 'publish')))
    throw new Problem(
      'campaign-not-closed',
      `The campaign is ${campaign.status}: results are published once it is closed.`,
      undefined,
      undefined,
      { campaignStatus: campaign.status }
    )
}

/**
 * Freezes a computation as the campaign's next publication, with each unit's change against the year before:
 * a draft, seen by the campaign's managers only, until it is approved. Run it in one transaction (`db` is that
 * transaction).
 */
export const draftPublication = async (
  db: Db,
  campaign: CampaignRow,
  computationId: string,
  actor: string,
  note: string | undefined
) =>
  toPublication(
    await publish(db, campaign.id, computationId, actor, note, (results) =>
      withChanges(db, results as CampaignResults, campaign.provinceId, campaign.year)
    )
  )

/** An instant's date in Vietnam (yyyy-mm-dd), the calendar official decisions are dated in. */
const vietnamDay = (instant: Date): string => instant.toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' })

/**
 * Approves a draft publication: records the decision and who recorded it, queues the subscribers' notices,
 * and moves a closed campaign to published; from then on the publication is public. Only the latest version
 * can be approved (a later draft supersedes it), and only once. Run it in one transaction.
 */
export async function approvePublication(
  db: Db,
  campaign: CampaignRow,
  publicationId: string,
  input: ApprovalInput,
  actor: string
): Promise<PublicationInfo> {
  await lockPublications(db, campaign.id)
  const draft = await getPublicationInfo(db, publicationId)
  if (draft.campaignId !== campaign.id)
    throw new Problem('not-found', `No publication ${publicationId} in this campaign.`)
  const refused = (slug: 'publication-already-approved' | 'publication-superseded', detail: string) =>
    new Problem(slug, detail, [{ in: 'params', pointer: '/publicationId', detail }])
  if (draft.approval)
    throw refused(
      'publication-already-approved',
      `already approved by decision ${draft.approval.decisionNumber} of ${draft.approval.decisionDate}`
    )
  const latest = await latestVersion(db, campaign.id)
  if (latest > draft.version)
    throw refused('publication-superseded', `version ${draft.version} is superseded by version ${latest}`)
  const earliest = vietnamDay(draft.createdAt)
  const today = vietnamDay(new Date())
  if (input.decisionDate < earliest || input.decisionDate > today)
    throw new Problem(
      'decision-date-out-of-range',
      `The decision date ${input.decisionDate} is not between the draft's day (${earliest}) and today (${today}).`,
      [{ in: 'body', pointer: '/decisionDate', detail: `between ${earliest} and ${today}` }]
    )
  const approval = await approve(db, campaign, draft, { ...input, documentSha256: input.documentSha256 ?? null }, actor)
  if (campaign.status === 'closed')
    await transitionCampaign(
      db,
      campaign.id,
      'published',
      actor,
      `publication v${draft.version}, ${input.decisionNumber}`
    )
  return toPublication({ ...draft, approval })
}

/** A stored publication as the contract shows it. */
export const toPublication = (row: {
  id: string
  version: number
  createdAt: Date
  replacesId: string | null
  note: string | null
  approval: ApprovalRow | null
}): PublicationInfo => ({
  id: row.id,
  version: row.version,
  status: row.approval ? 'published' : 'draft',
  createdAt: row.createdAt.toISOString(),
  publishedAt: row.approval?.approvedAt.toISOString() ?? null,
  replacesId: row.replacesId,
  note: row.note,
  approval: row.approval && {
    approverName: row.approval.approverName,
    approverPosition: row.approval.approverPosition,
    decisionNumber: row.approval.decisionNumber,
    decisionDate: row.approval.decisionDate,
    documentSha256: row.approval.documentSha256,
    approvedAt: row.approval.approvedAt.toISOString()
  }
})

/** The campaign's publications; its drafts only for those who may see them (its managers). */
export const campaignPublications = async (db: Db, campaignId: string, drafts: boolean) =>
  (await publicationsOf(db, campaignId, drafts)).map(toPublication)

/** A publication as portals read it: the computed results with the campaign and the publication's facts. */
export type PublishedDocument = CampaignResults & {
  campaign: {
    id: string
    name: string
    year: number
    provinceId: string
    instrument: { code: string; version: number }
  }
  publication: PublicationInfo
}

const PUBLIC: string[] = statusesAllowing('serve-publicly')

/** A publication's document, draft or not. */
async function loadDocument(db: Db, id: string): Promise<PublishedDocument> {
  const row = await getPublication(db, id)
  return { ...(row.results as Omit<PublishedDocument, 'publication'>), publication: toPublication(row) }
}

/**
 * The printable report, with each unit's change against the year before as its draft froze it (domain/changes.ts;
 * worked out as it is read for a document drafted before changes were frozen).
 */
async function renderReport(db: Db, doc: PublishedDocument): Promise<string> {
  // The campaign's questionnaire's wording first, then that of the items only its groups' own ask.
  const refs = [doc.campaign.instrument, ...questionnaireRefs(doc.campaign.instrument, doc.groups).others]
  const rows = await Promise.all(refs.map((ref) => getInstrument(db, ref.code, ref.version)))
  const definitions = rows.flatMap((row) => (row ? [row.definition as Instrument] : []))
  const definition = definitions.length > 0 ? unionOfQuestionnaires(definitions[0], definitions.slice(1)) : undefined
  const factorNames = Object.fromEntries((definition?.factors ?? []).map((f) => [f.code, f.name]))
  const itemTexts = Object.fromEntries(
    (definition?.items ?? []).flatMap((item) =>
      item.kind === 'perception' || item.kind === 'criterion'
        ? [[item.code, item.text]]
        : item.kind === 'expectation'
          ? item.options.map((o) => [`${item.code}.${o.value}`, o.label])
          : []
    )
  )
  // A document drafted before changes were frozen with it is compared as it is read.
  const results = doc.comparedWith ? doc : await withChanges(db, doc, doc.campaign.provinceId, doc.campaign.year)
  return reportHtml({
    results,
    campaign: doc.campaign,
    publication: doc.publication,
    factorNames,
    itemTexts
  })
}

/** The report of any publication of the campaign, a draft's marked as such on every page: for its managers. */
export async function managedReport(db: Db, campaignId: string, publicationId: string): Promise<string> {
  const doc = await loadDocument(db, publicationId)
  if (doc.campaign.id !== campaignId)
    throw new Problem('not-found', `No publication ${publicationId} in this campaign.`)
  return renderReport(db, doc)
}

/** Public reading of publications over one database. Published ones are immutable: each is read once. */
export function publicReader(db: Db) {
  const documents = new PromiseCache<PublishedDocument>()
  const documentOf = (id: string): Promise<PublishedDocument> =>
    documents.get(id, async () => {
      const doc = await loadDocument(db, id)
      // A draft is not public: portals never see it (and it is not cached: its approval changes it).
      if (doc.publication.status === 'draft') throw new Problem('not-found', `No publication ${id}.`)
      return doc
    })

  /** The latest publication of each public campaign. */
  async function latestPublications(filter: { year?: number; provinceId?: string }) {
    const found = await publicPublications(db, { ...filter, statuses: PUBLIC })
    const latest = new Map<string, (typeof found)[number]>()
    for (const p of found) if (!latest.has(p.campaignId)) latest.set(p.campaignId, p)
    return [...latest.values()].map((p) => ({ ...p, publishedAt: p.publishedAt.toISOString() }))
  }

  /** One unit's published result (the province's with its units' headline figures). */
  async function unitResult(publicationId: string, unitId: string) {
    const doc = await documentOf(publicationId)
    const found: UnitResult | undefined =
      doc.province.unitId === unitId ? doc.province : doc.units.find((u) => u.unitId === unitId)
    if (!found) throw new Problem('not-found', `Unit ${unitId} is not in this publication.`)
    const children =
      found === doc.province
        ? {
            units: doc.units.map((u) => ({
              unitId: u.unitId,
              code: u.code,
              name: u.name,
              rank: u.rank,
              overall: u.overall
            }))
          }
        : {}
    return { campaign: doc.campaign, ...found, ...children }
  }

  const report = async (publicationId: string) => renderReport(db, await documentOf(publicationId))

  /**
   * A unit's overall result in each public campaign's latest publication, also under units merged into it,
   * and before those the figures imported from earlier publications (of years the service has not published).
   */
  async function unitSeries(unitId: string): Promise<SeriesPoint[]> {
    // Two independent reads: together, not one after the other.
    const [publishedRows, importedRows] = await Promise.all([
      unitSeriesRows(db, unitId, PUBLIC),
      importedSeriesRows(db, unitId)
    ])
    const published = publishedRows.map((r) => ({
      year: r.year,
      campaignId: r.campaign_id,
      publicationId: r.publication_id,
      unitId: r.unit_id,
      viaPredecessor: r.unit_id !== unitId,
      imported: false,
      source: null,
      overall: r.overall as Figure | null
    }))
    const years = new Set(published.map((p) => p.year))
    const imported = importedRows
      .filter((r) => !years.has(r.year))
      .map((r) => ({
        year: r.year,
        campaignId: null,
        publicationId: null,
        unitId: r.unit_id,
        viaPredecessor: r.unit_id !== unitId,
        imported: true,
        source: r.source,
        overall: { estimate: r.estimate, imported: true as const }
      }))
    return [...imported, ...published].sort((a, b) => a.year - b.year)
  }

  return { documentOf, latestPublications, unitResult, report, unitSeries }
}
