import type { App } from '../../src/app.js'
import { admin, approvalInput, campaignInput } from './province.js'
import { collectingCampaign, response } from './collecting.js'

/**
 * A small world to fuzz: the province of collectingCampaign (a client key scoped to two of its communes and to
 * its campaign, with responses of its own and one for the commune outside its scope), and a second province
 * whose campaign is out of the key's scope: collected, computed, closed, published and approved (so the public routes
 * have something to serve). Every kind of id is kept, for the fuzzer to aim at.
 */
export async function fuzzWorld(app: App) {
  const scoped = await collectingCampaign(app)
  const call = async (
    method: 'POST' | 'GET',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = admin
  ) => {
    const res = await app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object })
    })
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    return res.json()
  }
  await call('POST', '/v1/units/import', [
    { code: '00004', parentCode: '01', level: 'commune', name: 'Ba Đình', validFrom: '2025-07-01' },
    { code: '00008', parentCode: '01', level: 'commune', name: 'Ngọc Hà', validFrom: '2025-07-01' }
  ])
  const hanoi = await Promise.all(
    ['00004', '00008'].map(async (code) => (await call('GET', `/v1/units?code=${code}`))[0].id as string)
  )
  const other = (
    await call(
      'POST',
      '/v1/campaigns',
      campaignInput(
        { province: scoped.ids.other, communes: [hanoi[0]], agency: hanoi[1] },
        { name: 'SIPAS Hà Nội 2026', sampled: false, channels: ['kiosk'] }
      )
    )
  ).id as string
  await call('POST', `/v1/campaigns/${other}/transitions`, { to: 'collecting' })
  await call(
    'POST',
    '/v1/responses/batch',
    [0, 1, 2, 3].map((i) => response(other, { unit: i % 2 ? '00004' : '00008' }))
  )
  await call('POST', '/v1/responses', response(scoped.campaign, { unit: '08502' }))
  await call(
    'POST',
    '/v1/responses/batch',
    [response(scoped.campaign), response(scoped.campaign, { unit: '08501' })],
    scoped.key
  )
  const computation = (await call('POST', `/v1/campaigns/${other}/computations`)).id as string
  await call('POST', `/v1/campaigns/${other}/transitions`, { to: 'closed' })
  const publication = (await call('POST', `/v1/campaigns/${other}/publications`, { computationId: computation }))
    .id as string
  await call('POST', `/v1/campaigns/${other}/publications/${publication}/approval`, approvalInput())
  const webhook = (
    await call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/sipas', provinceId: scoped.ids.other })
  ).id as string
  const { province, communes, agency } = scoped.ids
  const sampled = (await call('POST', '/v1/campaigns', campaignInput(scoped.ids, { name: 'SIPAS Phú Thọ 2026 (mẫu)' })))
    .id as string
  const frame = FRAME_UNITS.map((unit, i) => ({
    MaHoSo: `HS-${i}`,
    MaTTHC: '1.001612.000.00.00.H48',
    KenhThucHien: '1',
    LoaiDoiTuong: '1',
    SoDienThoai: `091200000${i}`,
    NgayTra: '20251110100000',
    TrangThaiHoSo: '10',
    DonViXuLy: unit
  }))
  await call('POST', `/v1/campaigns/${sampled}/frame`, frame)
  await call('POST', `/v1/campaigns/${sampled}/transitions`, { to: 'sampling' })
  const design = { stratifyBy: 'unit', minimumPerUnit: 2, expectedResponseRate: 0.8, reserveRate: 0.5 }
  await call('POST', `/v1/campaigns/${sampled}/sample-design`, design)
  await call('POST', `/v1/campaigns/${sampled}/sample`, { seed: 'fuzz' })
  const slots = (await call('GET', `/v1/campaigns/${sampled}/sample`)).map((s: { id: string }) => s.id) as string[]
  const unit = {
    agencyCode: '000.00.53.H49',
    parentCode: '25',
    level: 'agency',
    name: 'Sở Y tế',
    validFrom: '2025-07-01'
  }
  const units = [province, scoped.ids.other, ...communes, agency, ...hanoi]
  const named: Array<[RegExp, string[]]> = [
    [/^\/v1\/campaigns\/\{id\}\/computations\/\{computationId\}:computationId$/, [computation]],
    [/:publicationId$/, [publication]],
    [/:slotId$/, slots],
    [/:unitId$/, units],
    [/^\/v1\/campaigns\/.*:id$/, [scoped.campaign, other, sampled]],
    [/^\/v1\/public\/publications\/.*:id$/, [publication]],
    [/^\/v1\/units\/.*:id$/, units],
    [/^\/v1\/clients\/.*:id$/, [scoped.client.id]],
    [/^\/v1\/webhooks\/.*:id$/, [webhook]]
  ]
  return {
    ...scoped,
    /** The ids a path parameter names: `/v1/campaigns/{id}` a campaign, `{slotId}` a sample slot. */
    idsFor: (path: string, parameter: string) =>
      named.find(([pattern]) => pattern.test(`${path}:${parameter}`))?.[1] ?? [],
    ids: [
      scoped.campaign,
      other,
      sampled,
      province,
      scoped.ids.other,
      ...communes,
      agency,
      ...hanoi,
      scoped.client.id as string,
      computation,
      publication,
      webhook,
      ...slots.slice(0, 3)
    ],
    /** Valid bodies by operation, for the fuzzer to mutate. */
    bodies: {
      'POST /v1/responses': [
        response(scoped.campaign),
        response(scoped.campaign, { unit: '08501', channel: 'interview' })
      ],
      'POST /v1/responses/batch': [[response(scoped.campaign), response(scoped.campaign, { unit: '08501' })]],
      'POST /v1/units': [unit],
      'POST /v1/units/import': [[unit]],
      'POST /v1/campaigns': [campaignInput(scoped.ids, { name: 'SIPAS 2027', year: 2027 })],
      'PATCH /v1/campaigns/{id}': [{ name: 'SIPAS', marginOfError: 0.05 }],
      'POST /v1/campaigns/{id}/transitions': [{ to: 'closed' }, { to: 'collecting', note: 'ok' }],
      'POST /v1/campaigns/{id}/frame': [frame],
      'POST /v1/campaigns/{id}/sample-design': [design],
      'POST /v1/campaigns/{id}/sample': [{ seed: 'fuzz' }],
      'PATCH /v1/campaigns/{id}/sample/{slotId}': [{ status: 'refused' }],
      'POST /v1/clients': [{ name: 'Kiosk', units: [communes[2]], campaigns: [scoped.campaign] }],
      'POST /v1/campaigns/{id}/publications': [{ computationId: computation }],
      'POST /v1/campaigns/{id}/publications/{publicationId}/approval': [approvalInput()],
      'POST /v1/webhooks': [{ url: 'https://congthongtin.phutho.gov.vn/hooks/sipas', provinceId: province }]
    } as Record<string, unknown[]>
  }
}

const FRAME_UNITS = ['08500', '08501', '08502', '08500', '08501', '08502', '08500', '08501', '08502']

/**
 * A checksum per table of everything a client key must not change: every table but the responses it may
 * post (its campaign, its units) and the audit log. Compared before and after the client's requests.
 */
export async function outOfScope(app: App, campaign: string, units: string[]): Promise<Record<string, string>> {
  const run = async <T>(sql: string) => ((await app.database.db.execute(sql as never)) as unknown as { rows: T[] }).rows
  const tables = await run<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('audit_log') order by 1"
  )
  const sums: Record<string, string> = {}
  for (const { name } of tables) {
    const where =
      name === 'responses'
        ? `where not (campaign_id = '${campaign}' and unit_id in (${units.map((u) => `'${u}'`).join(', ')}))`
        : ''
    const [row] = await run<{ sum: string }>(
      `select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as sum from ${name} t ${where}`
    )
    sums[name] = row.sum
  }
  return sums
}
