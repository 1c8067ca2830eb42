import type { Db } from '../db/client.js'
import type { CampaignRow } from '../db/queries/campaigns.js'
import { getInstrument } from '../db/queries/instruments.js'
import { provincePublication, publicPublications, unitSeriesRows } from '../db/queries/public.js'
import { getPublication, publicationsOf, publish } from '../db/queries/results.js'
import { Problem } from '../problems.js'
import { PromiseCache } from '../promise-cache.js'
import type { Instrument } from '../scoring/index.js'
import { statusesAllowing } from './campaign-lifecycle.js'
import { campaignAllows, transitionCampaign } from './campaigns.js'
import { reportHtml } from './report-html.js'
import type { CampaignResults, UnitResult } from './results.js'
import type { Figure } from '../schemas/results.js'

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
 * Freezes a computation as the campaign's next publication; the first one moves a closed campaign to
 * published. Run it in one transaction (`db` is that transaction).
 */
export async function publishComputation(
  db: Db,
  campaign: CampaignRow,
  computationId: string,
  actor: string,
  note: string | undefined
) {
  const published = await publish(db, campaign, computationId, actor, note)
  if (campaign.status === 'closed')
    await transitionCampaign(db, campaign.id, 'published', actor, `publication v${published.version}`)
  return published
}

/** A stored publication as the contract shows it. */
export const toPublication = (row: {
  id: string
  version: number
  publishedAt: Date
  replacesId: string | null
  note: string | null
}) => ({
  id: row.id,
  version: row.version,
  publishedAt: row.publishedAt.toISOString(),
  replacesId: row.replacesId,
  note: row.note
})

export const campaignPublications = async (db: Db, campaignId: string) =>
  (await publicationsOf(db, campaignId)).map(toPublication)

/** A publication as portals read it: the computed results with the campaign and the publication's facts. */
export type PublishedDocument = CampaignResults & {
  campaign: {
    id: string
    name: string
    year: number
    provinceId: string
    instrument: { code: string; version: number }
  }
  publication: { id: string; version: number; publishedAt: string; replacesId: string | null; note: string | null }
}

const PUBLIC: string[] = statusesAllowing('serve-publicly')

/** Public reading of publications over one database. Publications are immutable: each is read once. */
export function publicReader(db: Db) {
  const documents = new PromiseCache<PublishedDocument>()
  const documentOf = (id: string): Promise<PublishedDocument> =>
    documents.get(id, async () => {
      const row = await getPublication(db, id)
      return { ...(row.results as Omit<PublishedDocument, 'publication'>), publication: toPublication(row) }
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

  /** The printable report, with the change against the province's publication of the year before. */
  async function report(publicationId: string): Promise<string> {
    const doc = await documentOf(publicationId)
    const instrument = await getInstrument(db, doc.campaign.instrument.code, doc.campaign.instrument.version)
    const factorNames = Object.fromEntries(
      ((instrument?.definition as Instrument | undefined)?.factors ?? []).map((f) => [f.code, f.name])
    )
    const last = await provincePublication(db, doc.campaign.provinceId, doc.campaign.year - 1, PUBLIC)
    const previous = new Map<string, { estimate: number; se: number | null }>()
    if (last) {
      const before = await documentOf(last.id)
      for (const u of [before.province, ...before.units])
        if (u.overall?.estimate != null) previous.set(u.unitId, { estimate: u.overall.estimate, se: u.overall.se })
    }
    return reportHtml({ results: doc, campaign: doc.campaign, publication: doc.publication, factorNames, previous })
  }

  /** A unit's overall result in each public campaign's latest publication, also under units merged into it. */
  async function unitSeries(unitId: string) {
    return (await unitSeriesRows(db, unitId, PUBLIC)).map((r) => ({
      year: r.year,
      campaignId: r.campaign_id,
      publicationId: r.publication_id,
      unitId: r.unit_id,
      viaPredecessor: r.unit_id !== unitId,
      overall: r.overall as Figure | null
    }))
  }

  return { documentOf, latestPublications, unitResult, report, unitSeries }
}
