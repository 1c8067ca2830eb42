import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, seededCampaign } from '../helpers/province.js'

/** A phone number of the frame (09 and eight digits), not digits inside an id or a timestamp (hex or digits around). */
const PHONE = /(?<![0-9a-f])09\d{8}(?![0-9a-f])/

const portal = (i: number, overrides: Record<string, string> = {}) => ({
  MaHoSo: `H48.22-${String(i).padStart(6, '0')}`,
  MaTTHC: '1.001612.000.00.00.H48',
  TenTTHC: 'Đăng ký khai sinh',
  MaLinhVuc: 'G09-TP03',
  KenhThucHien: '2',
  LoaiDoiTuong: '1',
  ChuHoSo: 'Trần Thị B',
  SoDienThoai: `09${String(i).padStart(8, '0')}`,
  NgayTiepNhan: '20251014080000',
  NgayTra: '20251015093000',
  TrangThaiHoSo: '10',
  DonViXuLy: '08500',
  ...overrides
})

t.test('sampling frame uploads', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const { campaign } = await seededCampaign(app)
  const url = `/v1/campaigns/${campaign.id}/frame`

  t.test(
    'portal-shaped JSON: only finished dossiers in the period and in scope enter; the report says why',
    async (t) => {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: admin,
        payload: [
          portal(1),
          portal(2, { TrangThaiHoSo: '4' }),
          portal(3, { NgayTra: '20240101120000' }),
          portal(4, { DonViXuLy: '99999' }),
          portal(5, { DonViXuLy: '000.00.53.H48', KenhThucHien: '1' }),
          portal(1),
          // 30/9/2026 23:30 in Vietnam is 16:30 UTC: still in the period, which ends on 30/9 Vietnam time.
          portal(6, { NgayTra: '20260930233000' }),
          portal(7, { NgayTra: '20261001003000' })
        ]
      })
      t.equal(res.statusCode, 201, res.body)
      const report = res.json()
      t.equal(report.received, 8)
      t.equal(report.accepted, 3)
      t.same(report.leftOut, { 'not-finished': 1, 'outside-period': 2, 'unit-not-in-scope': 1, duplicate: 1 })
      t.match(report.leftOutRows, [
        { row: 1, reason: 'not-finished' },
        { row: 2, reason: 'outside-period' },
        { row: 3, reason: 'unit-not-in-scope' },
        { row: 5, reason: 'duplicate' },
        { row: 7, reason: 'outside-period' }
      ])
    }
  )

  t.test('our shape as CSV and as NDJSON; a re-sent dossier is a duplicate', async (t) => {
    const csv =
      'dossierCode,procedureCode,unitCode,channel,subjectType,completedAt,phone\nA-1,2.000123.000.00.00.H48,08501,in-person,citizen,2025-11-01T10:00:00+07:00,0911111111\nA-2,,08502,post,business,2026-01-05T10:00:00Z,\n'
    const r1 = await app.inject({
      method: 'POST',
      url,
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: csv
    })
    t.equal(r1.statusCode, 201, r1.body)
    t.equal(r1.json().accepted, 2)
    const ndjson = [portal(10), portal(1)].map((r) => JSON.stringify(r)).join('\n') + '\n'
    const r2 = await app.inject({
      method: 'POST',
      url,
      headers: { ...admin, 'content-type': 'application/x-ndjson' },
      payload: ndjson
    })
    t.equal(r2.statusCode, 201, r2.body)
    t.same({ accepted: r2.json().accepted, leftOut: r2.json().leftOut }, { accepted: 1, leftOut: { duplicate: 1 } })
    const summary = (await app.inject({ method: 'GET', url, headers: admin })).json()
    t.equal(summary.records, 6)
    t.equal(summary.withContacts, 5)
    t.notMatch(JSON.stringify(summary), PHONE, 'no contact details in the summary')
  })

  t.test('a malformed record rejects the whole upload with errors by row', async (t) => {
    const before = (await app.inject({ method: 'GET', url, headers: admin })).json().records
    const res = await app.inject({
      method: 'POST',
      url,
      headers: admin,
      payload: [portal(20), portal(21, { NgayTra: '20251332000000', KenhThucHien: '9' }), { MaHoSo: 'x' }]
    })
    t.equal(res.statusCode, 422)
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer)
    t.ok(
      pointers.includes('/1/NgayTra') && pointers.includes('/1/KenhThucHien') && pointers.includes('/2/DonViXuLy'),
      pointers.join(' ')
    )
    t.equal((await app.inject({ method: 'GET', url, headers: admin })).json().records, before, 'nothing stored')
    const badNdjson = await app.inject({
      method: 'POST',
      url,
      headers: { ...admin, 'content-type': 'application/x-ndjson' },
      payload: '{"MaHoSo": "1"}\nnot json\n'
    })
    t.equal(badNdjson.statusCode, 400)
    t.equal(badNdjson.json().type, '/problems/malformed-body')
  })

  t.test('a streamed body past the limit is a 413', async (t) => {
    const { app: small } = await buildTestApp(t, { bodyLimit: 4096 })
    const { campaign: c } = await seededCampaign(small)
    const big = Array.from({ length: 100 }, (_, i) => JSON.stringify(portal(i))).join('\n')
    const res = await small.inject({
      method: 'POST',
      url: `/v1/campaigns/${c.id}/frame`,
      headers: { ...admin, 'content-type': 'application/x-ndjson' },
      payload: big
    })
    t.equal(res.statusCode, 413)
  })

  t.test('contacts are personal data: never in logs', async (t) => {
    t.notMatch(JSON.stringify(logs()), new RegExp(`${PHONE.source}|Trần Thị B`))
  })

  t.test('the frame can be deleted before the draw', async (t) => {
    const res = await app.inject({ method: 'DELETE', url, headers: admin })
    t.equal(res.statusCode, 200)
    t.equal(res.json().deleted, 6)
    t.equal((await app.inject({ method: 'GET', url, headers: admin })).json().withContacts, 0)
  })
})

t.test(
  'a frame larger than one statement: every value stored as read, duplicates told across statements',
  async (t) => {
    const { app } = await buildTestApp(t)
    const { campaign } = await seededCampaign(app)
    const url = `/v1/campaigns/${campaign.id}/frame`
    const units = ['08500', '08501', '08502']
    // Text that an array literal must quote: commas, quotes, backslashes, braces, "NULL", Vietnamese.
    const names = ['Đăng ký khai sinh, kết hôn', 'Thủ tục "đặc biệt" \\ {1}', 'NULL', '']
    const record = (i: number) => ({
      dossierCode: `F-${i}`,
      procedureCode: i % 5 === 0 ? '' : `1.00${String(i % 9000).padStart(4, '0')}.000.00.00.H48`,
      procedureName: names[i % names.length],
      fieldCode: i % 3 === 0 ? `G09-TP0${i % 7}` : '',
      unitCode: units[i % units.length],
      channel: ['in-person', 'online', 'post'][i % 3],
      subjectType: ['citizen', 'business', 'agency', 'other-organisation'][i % 4],
      completedAt: new Date(Date.UTC(2025, 10, 1) + i * 60_000).toISOString(),
      phone: i % 2 === 0 ? `09${String(i).padStart(8, '0')}` : ''
    })
    const upload = (indices: number[]) =>
      app.inject({
        method: 'POST',
        url,
        headers: { ...admin, 'content-type': 'application/x-ndjson' },
        payload: indices.map((i) => JSON.stringify(record(i))).join('\n') + '\n'
      })
    // 12,000 records in two statements, then 12,000 alternating one stored already and one new: each statement
    // of the second upload meets duplicates.
    const first = await upload(Array.from({ length: 12_000 }, (_, i) => i))
    t.equal(first.statusCode, 201, first.body)
    t.same({ accepted: first.json().accepted, leftOut: first.json().leftOut }, { accepted: 12_000, leftOut: {} })
    const second = await upload(Array.from({ length: 12_000 }, (_, k) => (k % 2 === 0 ? k : 12_000 + (k >> 1))))
    t.equal(second.statusCode, 201, second.body)
    t.same(
      { accepted: second.json().accepted, leftOut: second.json().leftOut },
      { accepted: 6_000, leftOut: { duplicate: 6_000 } }
    )
    t.ok(
      second.json().leftOutRows.every((r: { dossierCode: string }) => Number(r.dossierCode.slice(2)) < 12_000),
      'only dossiers stored before are duplicates'
    )

    const stored = (
      (await app.database.db.execute(
        `select f.dossier_code, f.procedure_code, f.procedure_name, f.field_code, u.code as unit_code, f.channel,
              f.subject_type, f.completed_at, f.stratum = f.unit_id::text as stratum_is_unit, c.sealed is not null as sealed
       from frame_records f join org_units u on u.id = f.unit_id left join frame_contacts c on c.record_id = f.id
       where f.campaign_id = '${campaign.id}'` as never
      )) as unknown as { rows: Array<Record<string, unknown>> }
    ).rows
    t.equal(stored.length, 18_000)
    const wrong = stored.filter((row) => {
      const r = record(Number(String(row.dossier_code).slice(2)))
      const expected = {
        procedure_code: r.procedureCode === '' ? null : r.procedureCode.slice(0, 8),
        procedure_name: r.procedureName === '' ? null : r.procedureName,
        field_code: r.fieldCode === '' ? null : r.fieldCode,
        unit_code: r.unitCode,
        channel: r.channel,
        subject_type: r.subjectType,
        completed_at: r.completedAt,
        stratum_is_unit: true,
        sealed: r.phone !== ''
      }
      const actual: Record<string, unknown> = {
        ...row,
        completed_at: new Date(row.completed_at as string).toISOString()
      }
      return Object.entries(expected).some(([k, v]) => actual[k] !== v)
    })
    t.same(wrong.slice(0, 3), [], `${wrong.length} records stored otherwise than read`)
    t.equal((await app.inject({ method: 'GET', url, headers: admin })).json().withContacts, 9_000)
  }
)
