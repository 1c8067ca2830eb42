import type { App } from '../../src/app.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import { admin, approvalInput, campaignInput, seedProvince, vietnamToday } from './province.js'

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

const CRITERIA = STANDARD_INSTRUMENT.items.filter((item) => item.kind === 'criterion').map((item) => item.code)

/** Answers giving `answer` to every criterion of the standard questionnaire (5: satisfied with all; 2: with none). */
export const everyCriterion = (answer: number) => Object.fromEntries(CRITERIA.map((code) => [code, answer]))

/** Closes a campaign (`url`: /v1/campaigns/{id}), computes it and drafts that computation: the draft's id. */
export async function closeAndDraft(app: App, url: string): Promise<string> {
  await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'closed' } })
  const computation = (await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })).json()
  const draft = await app.inject({
    method: 'POST',
    url: `${url}/publications`,
    headers: admin,
    payload: { computationId: computation.id }
  })
  if (draft.statusCode !== 201) throw new Error(draft.body)
  return draft.json().id as string
}

/** Approves a draft by a decision dated today in Vietnam. */
export const approveDraft = (app: App, url: string, draftId: string) =>
  app.inject({
    method: 'POST',
    url: `${url}/publications/${draftId}/approval`,
    headers: admin,
    payload: approvalInput({ decisionDate: vietnamToday() })
  })
