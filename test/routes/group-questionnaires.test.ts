import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, campaignInput, seedProvince } from '../helpers/province.js'
import { approveDraft, closeAndDraft, response } from '../helpers/collecting.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

const { version: _, ...standard } = STANDARD_INSTRUMENT
const ONE_DOOR = 'Bộ phận một cửa cấp huyện có đủ chỗ ngồi chờ'
/** A district-level toolkit: the standard criteria in its own words, P.ONLINE not asked, a perception item of its own. */
const district = {
  ...standard,
  code: 'SIPAS-HUYEN',
  name: 'Bộ công cụ cấp huyện',
  items: [
    ...standard.items
      .filter((item) => item.code !== 'P.ONLINE')
      .map((item) => (item.kind === 'criterion' ? { ...item, text: `${item.text} (cấp huyện)` } : item)),
    {
      kind: 'perception',
      code: 'P.ONEDOOR',
      text: ONE_DOOR,
      options: [
        { value: 1, label: 'Có' },
        { value: 2, label: 'Không' }
      ],
      positive: [1]
    }
  ]
}
/** One without criterion F5.4: its figures would not be the same indices. */
const shorter = { ...standard, code: 'SIPAS-THIEU', items: standard.items.filter((item) => item.code !== 'F5.4') }

/** One whose P.TRIPS has a third answer: stored in one column, the two would not be read alike. */
const otherTrips = {
  ...standard,
  code: 'SIPAS-KHAC',
  items: standard.items.map((item) =>
    item.code === 'P.TRIPS' && item.kind === 'perception'
      ? { ...item, options: [...item.options, { value: 3, label: 'Không nhớ' }] }
      : item
  )
}

type Figures = Record<string, { estimate: number; answers: number }>
type Unit = { unitId: string; perception: Figures; criteria: Figures }

t.test(
  "a peer group's own questionnaire: its units' responses are checked against it, stored beside the others, scored as one campaign",
  async (t) => {
    const { app } = await buildTestApp(t)
    const ids = await seedProvince(app)
    const [hoaBinh, thanhSon, tanLac] = ids.communes
    for (const payload of [district, shorter, otherTrips])
      t.equal((await app.inject({ method: 'POST', url: '/v1/instruments', headers: admin, payload })).statusCode, 201)
    const groups = (huyen: { code: string; version: number }) => [
      { code: 'huyen', name: 'Khối huyện', units: [hoaBinh], instrument: huyen },
      { code: 'xa', name: 'Khối xã', units: [thanhSon, tanLac] }
    ]
    const define = (huyen: { code: string; version: number }) =>
      app.inject({
        method: 'POST',
        url: '/v1/campaigns',
        headers: admin,
        payload: campaignInput(ids, { sampled: false, channels: ['kiosk'], groups: groups(huyen) })
      })

    for (const [huyen, detail] of [
      [{ code: 'SIPAS-THIEU', version: 1 }, /criterion items .* are not .*F5\.4/],
      [
        { code: 'SIPAS-KHAC', version: 1 },
        /P\.TRIPS is answered as perception 1,2,3 positive 1, not as perception 1,2 positive 1/
      ],
      [{ code: 'SIPAS-HUYEN', version: 9 }, /no instrument SIPAS-HUYEN version 9/]
    ] as const) {
      const refused = await define(huyen)
      t.equal(refused.statusCode, 422, refused.body)
      t.match(refused.json(), { type: /campaign-invalid$/, errors: [{ pointer: '/groups/0/instrument', detail }] })
    }

    const campaign = (await define({ code: 'SIPAS-HUYEN', version: 1 })).json()
    const url = `/v1/campaigns/${campaign.id}`
    await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'collecting' } })
    const instruments = (await app.inject({ method: 'GET', url: '/v1/instruments' })).json()
    t.ok(
      instruments.find((i: { code: string }) => i.code === 'SIPAS-HUYEN').lockedAt,
      "the group's questionnaire is locked as the campaign's is"
    )

    // Hòa Bình's respondents answer the district toolkit (7 of 10 find enough seats), Thạch Sơn's the standard one.
    const post = (unit: string, i: number, item: string, answer: number) =>
      app.inject({
        method: 'POST',
        url: '/v1/responses',
        headers: admin,
        payload: response(campaign.id, {
          unit,
          externalId: `${unit}-${item}-${i}`,
          answers: { ...response(campaign.id).answers, [item]: answer }
        })
      })
    for (let i = 0; i < 10; i++) {
      t.equal((await post('08500', i, 'P.ONEDOOR', i < 7 ? 1 : 2)).statusCode, 201)
      t.equal((await post('08501', i, 'P.ONLINE', i < 4 ? 1 : 2)).statusCode, 201)
    }
    for (const [unit, item, questionnaire] of [
      ['08501', 'P.ONEDOOR', 'SIPAS-2017 v1'],
      ['08500', 'P.ONLINE', 'SIPAS-HUYEN v1']
    ]) {
      const refused = await post(unit, 99, item, 1)
      t.equal(refused.statusCode, 422, `${item} is not asked of ${unit}`)
      t.match(refused.json().errors, [
        { pointer: `/answers/${item}`, detail: `${item} is not an item of ${questionnaire}` }
      ])
    }

    // Regrouping while collecting keeps each unit's questionnaire: renaming goes, moving Hòa Bình does not.
    const regroup = (payload: unknown) =>
      app.inject({ method: 'PATCH', url, headers: admin, payload: { groups: payload } })
    const renamed = groups({ code: 'SIPAS-HUYEN', version: 1 })
    renamed[0].name = 'Khối cấp huyện'
    t.equal((await regroup(renamed)).statusCode, 200)
    const moved = await regroup([{ code: 'xa', name: 'Khối xã', units: [hoaBinh, thanhSon, tanLac] }])
    t.equal(moved.statusCode, 409)
    t.match(moved.json(), {
      type: /campaign-not-draft$/,
      errors: [
        { pointer: '/groups', detail: `unit ${hoaBinh} answers SIPAS-HUYEN version 1, not SIPAS-2017 version 1` }
      ]
    })

    const draft = await closeAndDraft(app, url)
    t.equal((await approveDraft(app, url, draft)).statusCode, 201)
    const doc = (await app.inject({ method: 'GET', url: `/v1/public/publications/${draft}` })).json()
    const unitOf = (id: string) => doc.units.find((u: Unit) => u.unitId === id) as Unit
    t.same(doc.groups[0].instrument, { code: 'SIPAS-HUYEN', version: 1 })
    t.notOk(doc.groups[1].instrument, "the other group answers the campaign's")
    t.match(unitOf(hoaBinh).perception['P.ONEDOOR'], { estimate: 70, answers: 10 })
    t.notOk(unitOf(hoaBinh).perception['P.ONLINE'], 'not asked in Hòa Bình')
    t.match(unitOf(thanhSon).perception['P.ONLINE'], { estimate: 40, answers: 10 })
    t.notOk(unitOf(thanhSon).perception['P.ONEDOOR'], 'not asked in Thạch Sơn')
    t.match(doc.province.perception, {
      'P.ONEDOOR': { estimate: 70, answers: 10 },
      'P.ONLINE': { estimate: 40, answers: 10 }
    })
    for (const id of [hoaBinh, thanhSon])
      t.equal(unitOf(id).criteria['F1.1'].answers, 10, 'the criteria are the same ones in both questionnaires')
    t.equal(doc.province.criteria['F1.1'].answers, 20)

    const report = (await app.inject({ method: 'GET', url: `/v1/public/publications/${draft}/report` })).body
    t.match(report, ONE_DOOR, "the group's own item in its own words")
  }
)
