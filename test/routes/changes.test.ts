import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, campaignInput, seedProvince } from '../helpers/province.js'
import { approveDraft as approve, closeAndDraft, everyCriterion, response } from '../helpers/collecting.js'
import type { App } from '../../src/app.js'

/** A campaign of `year` over `units` (ids), its responses (satisfied with everything or nothing), published. */
async function published(
  app: App,
  ids: Awaited<ReturnType<typeof seedProvince>>,
  year: number,
  units: string[],
  satisfied: Record<string, number>
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
  const records = Object.entries(satisfied).flatMap(([unit, yes]) =>
    Array.from({ length: 20 }, (_, i) =>
      response(campaign.id, {
        unit,
        externalId: `C${year}-${unit}-${i}`,
        answers: everyCriterion(i < yes ? 5 : 2)
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
