import type { App } from '../../src/app.js'
import { admin, campaignInput, seedProvince } from './province.js'

/** A province, a campaign of kiosks and interviews without a sample, collecting; and a client key for part of it. */
export async function collectingCampaign(app: App) {
  const ids = await seedProvince(app)
  const campaign = (
    await app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: admin,
      payload: campaignInput(ids, { sampled: false, channels: ['interview', 'kiosk'] })
    })
  ).json()
  const moved = await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaign.id}/transitions`,
    headers: admin,
    payload: { to: 'collecting' }
  })
  if (moved.statusCode !== 200) throw new Error(moved.body)
  const client = (
    await app.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: admin,
      payload: { name: 'Một cửa xã Hòa Bình', units: [ids.communes[0], ids.communes[1]], campaigns: [campaign.id] }
    })
  ).json()
  return { ids, campaign: campaign.id as string, client, key: { authorization: `Bearer ${client.key}` } }
}

let counter = 0
/** A valid response for commune 08500, all 22 criteria answered. */
export function response(campaignId: string, overrides: Record<string, unknown> = {}) {
  const answers: Record<string, number | number[]> = {}
  for (const f of [
    [1, 4],
    [2, 5],
    [3, 6],
    [4, 3],
    [5, 4]
  ])
    for (let c = 1; c <= f[1]; c++) answers[`F${f[0]}.${c}`] = 4 + ((f[0] + c) % 2)
  return {
    campaignId,
    unit: '08500',
    externalId: `R-${++counter}`,
    channel: 'kiosk',
    collectedAt: '2026-10-15T09:45:00+07:00',
    answers,
    ...overrides
  }
}
