import type { Db } from '../db/client.js'
import { getPublication, publicationsOf, publish } from '../db/queries/results.js'
import { Problem } from '../problems.js'
import type { CampaignRow } from '../db/queries/campaigns.js'
import { campaignAllows, transitionCampaign } from './campaigns.js'

/** Refuses, before any write, a publication the campaign's status does not allow. */
export async function assertPublishable(db: Db, campaign: CampaignRow): Promise<void> {
  if (!(await campaignAllows(db, campaign, 'publish')))
    throw new Problem('conflict', `The campaign is ${campaign.status}: results are published once it is closed.`)
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

export { getPublication }
