import t from 'tap'
import { buildTestApp, TEST_ADMIN_KEY } from '../helpers/app.js'

const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` }

t.test('units: the national tree, search without tone marks, agencies, merges, all-or-nothing imports', async (t) => {
  const { app } = await buildTestApp(t)

  t.test('admin routes need the key', async (t) => {
    const none = await app.inject({ method: 'POST', url: '/v1/units/seed/vn-2025' })
    t.equal(none.statusCode, 401)
    t.equal(none.headers['www-authenticate'], 'Bearer')
    const wrong = await app.inject({
      method: 'POST',
      url: '/v1/units/seed/vn-2025',
      headers: { authorization: 'Bearer nope' }
    })
    t.equal(wrong.statusCode, 401)
    t.equal(wrong.json().type, '/problems/unauthorized')
  })

  t.test('the shipped tree loads once, with its licence', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/v1/units/seed/vn-2025', headers: admin })
    t.equal(res.statusCode, 201, res.body)
    t.equal(res.json().imported, 1 + 34 + 3321)
    t.match(res.json().licence, /Thang Le Quoc/)
    const again = await app.inject({ method: 'POST', url: '/v1/units/seed/vn-2025', headers: admin })
    t.equal(again.statusCode, 409)
    const provinces = (await app.inject({ method: 'GET', url: '/v1/units?level=province&limit=100' })).json()
    t.equal(provinces.length, 34)
    t.ok(
      provinces.every((p: { code: string }) => /^\d{2}$/.test(p.code)),
      'codes are zero-padded strings'
    )
  })

  t.test('names are found without regard to tone marks or their placement', async (t) => {
    const a = (
      await app.inject({ method: 'GET', url: `/v1/units?q=${encodeURIComponent('Hòa')}&level=commune&limit=1000` })
    ).json()
    const b = (
      await app.inject({ method: 'GET', url: `/v1/units?q=${encodeURIComponent('Hoà')}&level=commune&limit=1000` })
    ).json()
    const c = (await app.inject({ method: 'GET', url: '/v1/units?q=hoa&level=commune&limit=1000' })).json()
    t.ok(a.length > 10)
    t.same(
      a.map((u: { id: string }) => u.id),
      b.map((u: { id: string }) => u.id)
    )
    t.same(
      a.map((u: { id: string }) => u.id),
      c.map((u: { id: string }) => u.id)
    )
  })

  t.test('a province adds its agencies with their mã định danh', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/units',
      headers: admin,
      payload: {
        agencyCode: '000.00.53.H48',
        parentCode: '25',
        level: 'agency',
        name: 'Sở Nội vụ',
        fullName: 'Sở Nội vụ tỉnh Phú Thọ',
        validFrom: '2025-07-01'
      }
    })
    t.equal(res.statusCode, 201, res.body)
    t.equal(res.json().agencyCode, '000.00.53.H48')
    t.equal(res.json().code, null, 'agency codes are kept apart from statistics codes')
    const [province] = (await app.inject({ method: 'GET', url: '/v1/units?code=25' })).json()
    t.equal(res.json().parentId, province.id)
    const children = (await app.inject({ method: 'GET', url: `/v1/units?parentId=${province.id}&level=agency` })).json()
    t.equal(children.length, 1)
  })

  t.test('an import with bad rows stores nothing and lists every error by row', async (t) => {
    const csv =
      'code,parent_code,level,name,valid_from\n99001,01,commune,Xã Một,2025-07-01\n99002,77777,commune,Xã Hai,2025-07-01\n99001,01,commune,Xã Ba,2025-07-01\n99004,01,village,Xã Bốn,2025-07-01\n'
    const res = await app.inject({
      method: 'POST',
      url: '/v1/units/import',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: csv
    })
    t.equal(res.statusCode, 422, res.body)
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer)
    t.ok(pointers.includes('/3/level'), 'bad level on row 4')
    const after = (await app.inject({ method: 'GET', url: '/v1/units?code=99001' })).json()
    t.equal(after.length, 0, 'nothing imported')
    const json = await app.inject({
      method: 'POST',
      url: '/v1/units/import',
      headers: admin,
      payload: [
        { code: '99001', parentCode: '01', level: 'commune', name: 'Xã Một', validFrom: '2025-07-01' },
        { code: '99002', parentCode: '77777', level: 'commune', name: 'Xã Hai', validFrom: '2025-07-01' },
        { code: '99001', parentCode: '01', level: 'commune', name: 'Xã Ba', validFrom: '2025-07-01' }
      ]
    })
    t.equal(json.statusCode, 422)
    t.same(
      json
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
      ['/0/code', '/1/parentCode', '/2/code'],
      'both clashing rows are named'
    )
  })

  t.test('imports resolve parents within the file, and merged units keep their predecessors', async (t) => {
    const csv = [
      'code,parent_code,level,name,valid_from,predecessor_codes',
      '98001,98000,commune,Xã Con,2008-08-01,',
      '98000,VN,province,Tỉnh Cũ,2008-08-01,',
      '98002,98000,commune,Xã Kia,2008-08-01,',
      '98003,01,commune,Xã Mới,2025-07-01,98001;98002'
    ].join('\n')
    const res = await app.inject({
      method: 'POST',
      url: '/v1/units/import',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: csv
    })
    t.equal(res.statusCode, 201, res.body)
    t.same(res.json(), { imported: 4, links: 2 })
    const [merged] = (await app.inject({ method: 'GET', url: '/v1/units?code=98003' })).json()
    const detail = (await app.inject({ method: 'GET', url: `/v1/units/${merged.id}` })).json()
    t.equal(detail.predecessors.length, 2)
    const [old] = (await app.inject({ method: 'GET', url: '/v1/units?code=98001&validOn=2020-06-01' })).json()
    t.equal(old.validTo, '2025-06-30', 'the predecessor is closed the day before')
    t.equal((await app.inject({ method: 'GET', url: '/v1/units?code=98001' })).json().length, 0)
  })

  t.test('unknown unit: 404', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/units/00000000-0000-4000-8000-000000000000' })
    t.equal(res.statusCode, 404)
  })
})
