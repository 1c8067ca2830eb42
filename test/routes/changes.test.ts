import ExcelJS from 'exceljs'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, campaignInput, seedProvince } from '../helpers/province.js'
import { approveDraft as approve, closeAndDraft, everyCriterion, response } from '../helpers/collecting.js'
import type { App } from '../../src/app.js'

/**
 * A campaign of `year` over `units` (ids), drafted: 20 responses per unit code of `satisfied`, the first
 * `satisfied[code]` satisfied with everything and the others with nothing, unless `answers` says otherwise.
 */
async function published(
  app: App,
  ids: Awaited<ReturnType<typeof seedProvince>>,
  year: number,
  units: string[],
  satisfied: Record<string, number>,
  answers = (unit: string, i: number) => everyCriterion(i < satisfied[unit] ? 5 : 2)
) {
  const campaign = (
    await app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: admin,
      payload: campaignInput(ids, { year, units, sampled: false, channels: ['interview', 'kiosk'] })
    })
  ).json()
  const url = `/v1/campaigns/${campaign.id}`
  await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'collecting' } })
  const records = Object.keys(satisfied).flatMap((unit) =>
    Array.from({ length: 20 }, (_, i) =>
      response(campaign.id, {
        unit,
        externalId: `C${year}-${unit}-${i}`,
        answers: answers(unit, i)
      })
    )
  )
  const posted = await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: records })
  if (posted.json().accepted !== records.length) throw new Error(posted.body)
  return { url, draft: await closeAndDraft(app, url) }
}

t.test("a draft freezes each unit's change against last year's publication, following a merger", async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await seedProvince(app)
  const [hoaBinh, thanhSon, tanLac] = ids.communes
  const last = await published(app, ids, 2025, [hoaBinh, thanhSon], { '08500': 16, '08501': 10 })
  t.equal((await approve(app, last.url, last.draft)).statusCode, 201)

  // Hòa Bình becomes a new ward (one predecessor): its figure is compared with Hòa Bình's.
  const merged = await app.inject({
    method: 'POST',
    url: '/v1/units/import',
    headers: admin,
    payload: [
      {
        code: '08510',
        parentCode: '25',
        level: 'commune',
        name: 'Hòa Bình mới',
        validFrom: '2026-01-01',
        predecessorCodes: ['08500']
      }
    ]
  })
  t.equal(merged.statusCode, 201, merged.body)
  const ward = (await app.inject({ method: 'GET', url: '/v1/units?code=08510' })).json()[0].id as string

  const now = await published(app, ids, 2026, [ward, thanhSon, tanLac], { '08510': 18, '08501': 10, '08502': 14 })
  t.equal((await approve(app, now.url, now.draft)).statusCode, 201)
  const doc = (await app.inject({ method: 'GET', url: `/v1/public/publications/${now.draft}` })).json()
  t.same(doc.comparedWith, { year: 2025, source: 'publication', publicationId: last.draft })
  const unitOf = (id: string) => doc.units.find((u: { unitId: string }) => u.unitId === id)
  t.match(unitOf(ward).change, { year: 2025, unitId: hoaBinh, imported: false, previousRank: 1 })
  t.ok(Math.abs(unitOf(ward).change.previous - 80) < 1e-9, "Hòa Bình's 80% then")
  t.ok(Math.abs(unitOf(ward).change.estimate - 10) < 1e-9, 'against its predecessor: 90% − 80%')
  t.equal(unitOf(ward).change.places, 0, 'first then, first now')
  t.equal(unitOf(ward).change.significant, null, 'self-selected responses: no SE to judge by')
  t.match(unitOf(thanhSon).change, { unitId: thanhSon, previousRank: 2, places: -1 })
  t.ok(Math.abs(unitOf(thanhSon).change.estimate) < 1e-9)
  t.notOk(unitOf(tanLac).change, 'not measured last year: nothing to compare')
  t.match(doc.province.change, { unitId: ids.province, places: null })
  t.ok(Math.abs(doc.province.change.previous - 65) < 1e-9, "the province's 65% then")

  const report = (await app.inject({ method: 'GET', url: `/v1/public/publications/${now.draft}/report` })).body
  t.match(report, new RegExp(`data-unit="${ward}">90,00</td>[^]*?<td class="n">\\+10,00</td><td class="n">=</td>`))
  t.match(report, new RegExp(`data-unit="${thanhSon}">50,00</td>[^]*?<td class="n">\\+0,00</td><td class="n">↓1</td>`))

  // The CSV integrators read carries the change too.
  const csv = (await app.inject({ method: 'GET', url: `/v1/public/publications/${now.draft}?format=csv` })).body
  const [heading, ...lines] = csv.trim().split('\n')
  const columns = heading.split(',')
  t.match(heading, /,change,change_se,change_significant,places$/)
  const row = (id: string) =>
    Object.fromEntries(
      lines
        .find((l) => l.startsWith(id))!
        .split(',')
        .map((v, i) => [columns[i], v])
    )
  t.match(row(ward), { change: /^(10|9\.99999)/, places: '0', change_significant: '' })
  t.match(row(thanhSon), { places: '-1' })
  t.match(row(tanLac), { change: '', places: '' }, 'nothing to compare: empty cells')
})

t.test("each factor's and criterion's change against last year, and its change of rank among all units", async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await seedProvince(app)
  const [hoaBinh, thanhSon] = ids.communes
  // Respondent i of a unit is satisfied with factor F1 when i < f1[unit], with the other factors when i < rest[unit].
  const yearOf = (year: number, f1: Record<string, number>, rest: Record<string, number>) =>
    published(app, ids, year, [hoaBinh, thanhSon], f1, (unit, i) =>
      Object.fromEntries(
        Object.keys(everyCriterion(0)).map((code) => [code, i < (code.startsWith('F1.') ? f1 : rest)[unit] ? 5 : 2])
      )
    )
  const last = await yearOf(2025, { '08500': 16, '08501': 10 }, { '08500': 6, '08501': 14 })
  t.equal((await approve(app, last.url, last.draft)).statusCode, 201)
  const now = await yearOf(2026, { '08500': 8, '08501': 12 }, { '08500': 12, '08501': 10 })
  t.equal((await approve(app, now.url, now.draft)).statusCode, 201)
  const read = async (id: string) => (await app.inject({ method: 'GET', url: `/v1/public/publications/${id}` })).json()
  const [before, after] = [await read(last.draft), await read(now.draft)]
  type Unit = {
    unitId: string
    factors: Record<string, { estimate: number }>
    ranks?: { factors: Record<string, { rank: number }> }
  }
  const unitIn = (doc: { units: Unit[] }, id: string) =>
    doc.units.find((u) => u.unitId === id) as Unit & { change: any }

  let moved = 0
  for (const id of [hoaBinh, thanhSon]) {
    const [then, nowU] = [unitIn(before, id), unitIn(after, id)]
    t.same(
      Object.keys(nowU.change.factors).sort(),
      Object.keys(nowU.factors).sort(),
      'every factor measured both years'
    )
    t.same(Object.keys(nowU.change.criteria).length, 22, 'and every criterion')
    for (const [code, c] of Object.entries<any>(nowU.change.factors)) {
      t.ok(Math.abs(c.previous - then.factors[code].estimate) < 1e-9, `${code}: last year's figure`)
      t.ok(
        Math.abs(c.estimate - (nowU.factors[code].estimate - then.factors[code].estimate)) < 1e-9,
        `${code}: the change`
      )
      t.equal(c.previousRank, then.ranks?.factors[code].rank, `${code}: last year's rank among all units`)
      t.equal(c.places, c.previousRank - (nowU.ranks?.factors[code].rank as number), `${code}: places gained`)
      t.equal(c.significant, null, 'self-selected responses: no SE to judge by')
      if (c.places !== 0) moved++
    }
  }
  t.ok(moved > 0, 'some factor changed places, so that places are checked against something')
  t.ok(Math.abs(unitIn(after, hoaBinh).change.factors.F1.estimate + 40) < 1e-9, "Hòa Bình's F1: 80% then, 40% now")
  t.equal(unitIn(after, hoaBinh).change.factors.F1.places, -1, 'first then, second now')
  t.equal(after.province.change.factors.F1.places, null, 'the province has no rank')

  const report = (await app.inject({ method: 'GET', url: `/v1/public/publications/${now.draft}/report` })).body
  const provinceF1 = after.province.change.factors.F1.estimate as number
  t.match(report, `data-factor-change="F1">${provinceF1 < 0 ? '' : '+'}${provinceF1.toFixed(2).replace('.', ',')}</td>`)
  t.match(report, new RegExp(`data-factor-ranks="${hoaBinh}"><td>[^<]*</td><td class="n">2 \\([0-9–]+\\) ↓1</td>`))

  // The workbook's line of every figure carries its change too.
  const xlsx = await app.inject({ method: 'GET', url: `/v1/public/publications/${now.draft}?format=xlsx` })
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
  const figures = book.getWorksheet('Chỉ số chi tiết')!
  const lineOf = (unit: string, index: string) =>
    figures.getRows(2, figures.rowCount - 1)!.find((r) => r.getCell(1).value === unit && r.getCell(4).value === index)!
  for (const [index, change] of [
    ['F1', unitIn(after, hoaBinh).change.factors.F1],
    ['F2.1', unitIn(after, hoaBinh).change.criteria['F2.1']],
    ['overall', unitIn(after, hoaBinh).change]
  ])
    t.same(
      [13, 14, 15, 16].map((c) => lineOf('08500', index).getCell(c).value),
      [change.estimate, null, null, change.places],
      `${index}: its change and places on its line`
    )
})
