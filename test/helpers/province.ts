import type { App } from '../../src/app.js'
import { TEST_ADMIN_KEY } from './app.js'
import { SMALL_PROVINCE, SMALL_PROVINCE_COMMUNES } from './small-province.js'

export const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` }

/** A small province through the API: the nation, province 25, three communes and one agency. */
export async function seedProvince(
  app: App
): Promise<{ province: string; communes: string[]; agency: string; other: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/units/import',
    headers: admin,
    payload: [
      ...SMALL_PROVINCE,
      { code: '01', parentCode: 'VN', level: 'province', name: 'Hà Nội', validFrom: '2025-07-01' }
    ]
  })
  if (res.statusCode !== 201) throw new Error(res.body)
  const id = async (code: string) =>
    (await app.inject({ method: 'GET', url: `/v1/units?code=${code}` })).json()[0].id as string
  return {
    province: await id('25'),
    communes: await Promise.all(SMALL_PROVINCE_COMMUNES.map(id)),
    agency: await id('000.00.53.H48'),
    other: await id('01')
  }
}

export function campaignInput(
  ids: { province: string; communes: string[]; agency: string },
  overrides: Record<string, unknown> = {}
) {
  return {
    name: 'SIPAS Phú Thọ 2026',
    year: 2026,
    provinceId: ids.province,
    instrument: { code: 'SIPAS-2017', version: 1 },
    units: [...ids.communes, ids.agency],
    periodStart: '2025-10-01',
    periodEnd: '2026-09-30',
    collectionStart: '2026-10-01',
    collectionEnd: '2026-11-30',
    ...overrides
  }
}

/** The small province seeded and a campaign of it created (campaignInput's): its units, and the campaign as answered. */
export async function seededCampaign(app: App) {
  const ids = await seedProvince(app)
  const res = await app.inject({ method: 'POST', url: '/v1/campaigns', headers: admin, payload: campaignInput(ids) })
  if (res.statusCode !== 201) throw new Error(res.body)
  return { ids, campaign: res.json() }
}

/** Today in Vietnam (yyyy-mm-dd): the date an approving decision made in a test carries. */
export const vietnamToday = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' })

/** An approving decision of the Provincial People's Committee, dated today. */
export const approvalInput = (overrides: Record<string, unknown> = {}) => ({
  approverName: 'Nguyễn Văn An',
  approverPosition: 'Chủ tịch Ủy ban nhân dân tỉnh Phú Thọ',
  decisionNumber: '1234/QĐ-UBND',
  decisionDate: vietnamToday(),
  ...overrides
})

/**
 * Publishes a computation of a closed (or published) campaign as tests need it: a draft, then its approval.
 * Returns the approved publication; throws with the answer's body when either step is refused.
 */
export async function publishApproved(
  app: App,
  campaignId: string,
  computationId: string,
  options: { headers?: Record<string, string>; note?: string } = {}
): Promise<{ id: string; version: number; publishedAt: string; replacesId: string | null; status: string }> {
  const headers = options.headers ?? admin
  const draft = await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaignId}/publications`,
    headers,
    payload: { computationId, ...(options.note ? { note: options.note } : {}) }
  })
  if (draft.statusCode !== 201) throw new Error(draft.body)
  const approved = await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaignId}/publications/${draft.json().id}/approval`,
    headers,
    payload: approvalInput()
  })
  if (approved.statusCode !== 201) throw new Error(approved.body)
  return approved.json()
}
