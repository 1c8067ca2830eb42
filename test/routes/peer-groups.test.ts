import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import ExcelJS from 'exceljs'
import { rankUnits } from '../../src/scoring/rankings.js'
import { admin, campaignInput, seedProvince } from '../helpers/province.js'
import { approveDraft, closeAndDraft, everyCriterion, response } from '../helpers/collecting.js'

t.test('peer groups (khối): checked when defined, ranked within, with figures of their own', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await seedProvince(app)
  const [hoaBinh, thanhSon, tanLac] = ids.communes
  const groups = [
    { code: 'xa-phuong', name: 'Khối xã, phường', units: [hoaBinh, thanhSon] },
    { code: 'khac', name: 'Khối khác', units: [tanLac, ids.agency] }
  ]
  const create = (overrides: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: admin,
      payload: campaignInput(ids, { sampled: false, channels: ['interview', 'kiosk'], ...overrides })
    })
  const pointers = (res: { json: () => { errors: Array<{ pointer: string }> } }) =>
    res.json().errors.map((e) => e.pointer)

  t.test('groups that cannot be are refused, each fault named', async (t) => {
    const res = await create({
      groups: [
        { code: 'a', name: 'A', units: [hoaBinh, ids.other] },
        { code: 'a', name: 'B', units: [hoaBinh] }
      ],
      targets: [{ value: 0.8, groups: ['none'] }]
    })
    t.equal(res.statusCode, 422)
    t.equal(res.json().type, '/problems/campaign-invalid')
    t.same(pointers(res), ['/groups/0/units/1', '/groups/1/code', '/groups/1/units/0', '/targets/0/groups/0'])
    const oneGroup = await create({ groups: groups.slice(0, 1), provinceFigure: 'mean-of-groups' })
    t.equal(oneGroup.statusCode, 422)
    t.same(pointers(oneGroup), ['/provinceFigure'], 'the mean of one group is refused')
    const left = await create({
      groups: [groups[0], { ...groups[1], units: [tanLac] }],
      provinceFigure: 'mean-of-groups'
    })
    t.same(pointers(left), ['/provinceFigure'], 'the mean of the groups needs every unit in one')
    t.match(left.json().errors[0].detail, /1 are in none/)
    const badCode = await create({ groups: [{ ...groups[0], code: 'khối xã' }] })
    t.equal(badCode.statusCode, 400, 'a code is a plain identifier')
  })

  t.test('each group is a domain of its own; units are ranked among their peers', async (t) => {
    const campaign = (
      await create({ groups, targets: [{ value: 0.05 }, { value: 0.6, name: 'Khối xã', groups: ['xa-phuong'] }] })
    ).json()
    t.same(campaign.groups, groups, 'stored as given')
    t.equal(campaign.provinceFigure, 'pooled', 'the pooled province figure by default')
    const url = `/v1/campaigns/${campaign.id}`
    const moved = await app.inject({
      method: 'POST',
      url: `${url}/transitions`,
      headers: admin,
      payload: { to: 'collecting' }
    })
    t.equal(moved.statusCode, 200, moved.body)
    // Every respondent satisfied with every criterion or with none: 16, 10 and 14 of 20 in the three communes.
    const satisfied = { '08500': 16, '08501': 10, '08502': 14 }
    const records = Object.entries(satisfied).flatMap(([unit, yes]) =>
      Array.from({ length: 20 }, (_, i) =>
        response(campaign.id, {
          unit,
          externalId: `G-${unit}-${i}`,
          answers: everyCriterion(i < yes ? 5 : 2)
        })
      )
    )
    const posted = await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: records })
    t.equal(posted.json().accepted, 60)
    const compute = async () => {
      const computed = await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })
      t.equal(computed.statusCode, 201, 'computed')
      return computed.json().results
    }
    const results = await compute()
    const share = (units: string[]) =>
      (100 * units.reduce((s, u) => s + satisfied[u as keyof typeof satisfied], 0)) / (20 * units.length)
    const [xa, khac] = results.groups
    t.match(xa, { code: 'xa-phuong', name: 'Khối xã, phường', respondents: 40 })
    t.match(khac, { code: 'khac', respondents: 20 })
    t.ok(Math.abs(xa.overall.estimate - share(['08500', '08501'])) < 1e-9, "the group's figure pools its units")
    t.ok(Math.abs(khac.overall.estimate - share(['08502'])) < 1e-9, 'a unit without responses adds nothing')
    t.same(Object.keys(xa.factors), ['F1', 'F2', 'F3', 'F4', 'F5'])
    t.same(xa.units, [hoaBinh, thanhSon], 'ranked best first')
    t.same(khac.units, [tanLac, ids.agency], 'unranked units last')
    const unitOf = (id: string) => results.units.find((u: { unitId: string }) => u.unitId === id)
    t.match(unitOf(hoaBinh).group, { code: 'xa-phuong', rank: 1 })
    t.match(unitOf(thanhSon).group, { code: 'xa-phuong', rank: 2 })
    t.match(unitOf(tanLac).group, { code: 'khac', rank: 1 })
    t.equal(unitOf(tanLac).rank, 2, 'its rank among every unit stays')
    t.match(unitOf(ids.agency).group, { code: 'khac', rank: null })
    // Ranks on every factor and criterion, among every unit and among the peers: rankUnits over the figures.
    type Figures = Record<string, { estimate: number; se: number; df: number }>
    const indexRanking = (units: Array<Record<string, unknown>>, kind: 'factors' | 'criteria', code: string) =>
      rankUnits(
        units.flatMap((u) => {
          const f = (u[kind] as Figures)[code]
          return f ? [{ id: u.unitId as string, estimate: f.estimate, se: f.se, df: f.df }] : []
        })
      ).map((r) => [r.id, { rank: r.rank, rankInterval: r.rankInterval }])
    for (const [kind, code] of [
      ['factors', 'F2'],
      ['criteria', 'F3.1']
    ] as const) {
      const all = indexRanking(results.units, kind, code)
      t.same(
        all.map(([id]) => id),
        [hoaBinh, tanLac, thanhSon]
      )
      t.same(
        results.units.flatMap((u: { unitId: string; ranks: Record<string, Record<string, unknown>> }) =>
          u.ranks[kind][code] ? [[u.unitId, u.ranks[kind][code]]] : []
        ),
        all,
        `${code} among every unit`
      )
      const peers = indexRanking([unitOf(hoaBinh), unitOf(thanhSon)], kind, code)
      t.same(
        [hoaBinh, thanhSon].map((id) => [id, unitOf(id).group.ranks[kind][code]]),
        peers,
        `${code} among the peers`
      )
    }
    t.same(unitOf(ids.agency).ranks, { factors: {}, criteria: {} }, 'no figure, no rank')
    t.notOk(results.province.ranks, 'the province is not ranked')
    const targetNames = (targets: Array<{ name?: string }>) => targets.map((g) => g.name ?? null)
    t.same(targetNames(xa.targets), [null, 'Khối xã'], "the group's own target")
    t.same(targetNames(unitOf(thanhSon).targets), [null, 'Khối xã'], "a group's target applies to its units")
    t.same(targetNames(unitOf(tanLac).targets), [null], 'and to no other')
    t.same(targetNames(khac.targets), [null])
    t.same(targetNames(results.province.targets), [null], "nor to the province's figure")
    t.match(results.provinceFigure, { method: 'pooled' })
    t.ok(Math.abs(results.province.overall.estimate - share(['08500', '08501', '08502'])) < 1e-9)

    const patch = await app.inject({
      method: 'PATCH',
      url,
      headers: admin,
      payload: { provinceFigure: 'mean-of-groups' }
    })
    t.equal(patch.statusCode, 200, 'how the province figure is made changes until publication')
    const mean = await compute()
    t.match(mean.provinceFigure, { method: 'mean-of-groups' })
    t.ok(
      Math.abs(mean.province.overall.estimate - (share(['08500', '08501']) + share(['08502'])) / 2) < 1e-9,
      "the province's figure is the mean of the groups'"
    )
    t.same(
      mean.groups.map((g: { overall: { estimate: number } }) => g.overall.estimate),
      results.groups.map((g: { overall: { estimate: number } }) => g.overall.estimate),
      "the groups' figures do not change"
    )
    t.equal(mean.province.respondents, 60)

    // Published: a sheet per group in the workbook, the group and the rank among peers in the CSV.
    const draft = await closeAndDraft(app, url)
    const approved = await approveDraft(app, url, draft)
    t.equal(approved.statusCode, 201, 'approved')
    const xlsx = await app.inject({ method: 'GET', url: `/v1/public/publications/${draft}?format=xlsx` })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    t.same(
      book.worksheets.map((w) => w.name),
      ['Xếp hạng', 'Chỉ số chi tiết', 'Khối xã, phường', 'Khối khác', 'Thông tin'],
      'a sheet per peer group'
    )
    const detail = book.getWorksheet('Chỉ số chi tiết')!
    const line = detail
      .getRows(2, detail.rowCount - 1)!
      .find((r) => r.getCell(2).value === 'Thanh Sơn' && r.getCell(4).value === 'F2')!
    const { rank, rankInterval } = mean.units.find((u: { unitId: string }) => u.unitId === thanhSon).ranks.factors.F2
    t.same(
      [11, 12].map((c) => line.getCell(c).value),
      [rank, `${rankInterval[0]}–${rankInterval[1]}`],
      "a factor's rank among every unit, and its rank set"
    )
    const sheet = book.getWorksheet('Khối xã, phường')!
    t.same(
      [2, 3, 4].map((r) => sheet.getRow(r).getCell(1).value),
      ['Khối xã, phường (cả khối)', 'Hòa Bình', 'Thanh Sơn'],
      "the group's figure, then its units as ranked"
    )
    t.equal(sheet.getRow(2).getCell(5).value, mean.groups[0].overall.estimate, "the group's figure, unrounded")
    t.same(
      [3, 4].map((r) => sheet.getRow(r).getCell(2).value),
      [1, 2],
      'ranks among the peers'
    )
    const csv = (await app.inject({ method: 'GET', url: `/v1/public/publications/${draft}?format=csv` })).body
    const [heading, , first] = csv.trim().split('\n')
    t.match(heading, /,rank,group,group_rank,/)
    t.match(first, /,xa-phuong,1,/, 'the best unit: first of its group')
  })
})
