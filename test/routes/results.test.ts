import ExcelJS from 'exceljs'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, approvalInput, vietnamToday } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'
import { computeIndices } from '../../src/scoring/compute.js'
import { designOfBatch, MISSING } from '../../src/scoring/batch.js'
import { answerColumns } from '../../src/scoring/instrument.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

/** Answers that vary by unit and record, deterministic. */
function answersFor(unit: number, i: number): Record<string, number> {
  const answers: Record<string, number> = {}
  STANDARD_INSTRUMENT.items
    .filter((item) => item.kind === 'criterion')
    .forEach((item, k) => {
      const x = (i * 7 + k * 3 + unit * 5) % 10
      answers[item.code] = x < 1 ? 0 : x < 2 ? 2 : x < 3 + unit ? 3 : x < 7 ? 4 : 5
    })
  // Profile answers for the breakdowns: sex alternating, age in three groups and a rare fifth (6 of 240).
  answers.GENDER = 1 + (i % 2)
  answers.AGE = i % 40 === 0 ? 5 : 1 + (i % 3)
  return answers
}

t.test('computing and publishing a campaign', async (t) => {
  const { app } = await buildTestApp(t)
  const { campaign, ids } = await collectingCampaign(app)
  const units = ['08500', '08501', '08502']
  const records = Array.from({ length: 240 }, (_, i) =>
    response(campaign, { unit: units[i % 3], answers: answersFor(i % 3, i), externalId: `X-${i}` })
  )
  const posted = await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: records })
  t.equal(posted.json().accepted, 240)
  await app.inject({ method: 'PATCH', url: `/v1/campaigns/${campaign}`, headers: admin, payload: {} })
  const url = `/v1/campaigns/${campaign}`

  let computationId = ''
  t.test('the API computes what the scoring core computes on the same data', async (t) => {
    const res = await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })
    t.equal(res.statusCode, 201, res.body)
    const { results } = res.json()
    computationId = res.json().id
    t.equal(results.responses, 240)
    t.equal(results.probability, false, 'no sample: self-selected responses')
    // The same responses, straight into the core.
    const columns = answerColumns(STANDARD_INSTRUMENT)
    const answers = new Uint8Array(240 * columns.length).fill(MISSING)
    records.forEach((r, i) => {
      for (const [code, v] of Object.entries(r.answers))
        answers[i * columns.length + columns.indexOf(code)] = v as number
    })
    const unitIds = ids.communes
    const batch = {
      columns,
      size: 240,
      answers,
      unit: Uint32Array.from(records, (_, i) => i % 3),
      units: unitIds,
      stratum: null,
      psu: null,
      weight: null
    }
    const design = designOfBatch(batch, ['all'], [null], null, false)
    const direct = computeIndices(batch, design, STANDARD_INSTRUMENT, scoringOptions(), [
      { id: 'all', units: unitIds },
      ...unitIds.map((u) => ({ id: u, units: [u] }))
    ])
    const overall = (d: (typeof direct)[number]) => d.indices.find((i) => i.code === 'overall')!.estimate! * 100
    t.equal(results.province.overall.estimate, overall(direct[0]))
    for (let u = 0; u < 3; u++) {
      const unit = results.units.find((x: { unitId: string }) => x.unitId === unitIds[u])
      t.equal(unit.overall.estimate, overall(direct[1 + u]), `unit ${u} overall`)
      t.equal(unit.criteria['F3.2'].estimate, direct[1 + u].indices.find((i) => i.code === 'F3.2')!.estimate! * 100)
      t.equal(unit.overall.nonProbability, true)
      t.equal(unit.overall.ci, null, 'no design-based interval')
    }
    const ranks = results.units.map((u: { rank: number }) => u.rank)
    t.same(ranks, [...ranks].sort(), 'units come ranked')
    // Breakdowns: the province's figures among the respondents who gave each answer, as the core gives them
    // on those rows alone (self-selected responses: the point estimate is the subset's).
    const gender = results.breakdowns.find((b: { variable: string }) => b.variable === 'GENDER')
    t.match(gender, { label: 'Giới tính', minimumRespondents: 30 })
    t.same(
      gender.categories.map((c: { label: string; respondents: number; suppressed: boolean }) => [
        c.label,
        c.respondents,
        c.suppressed
      ]),
      [
        ['Nam', 120, false],
        ['Nữ', 120, false],
        ['Khác', 0, true]
      ]
    )
    const women = records.flatMap((r, i) => (r.answers.GENDER === 2 ? [i] : []))
    const womenBatch = {
      ...batch,
      size: women.length,
      answers: Uint8Array.from(
        women.flatMap((i) => [...answers.subarray(i * columns.length, (i + 1) * columns.length)])
      ),
      unit: Uint32Array.from(women, (i) => i % 3)
    }
    const [womenDirect] = computeIndices(womenBatch, design, STANDARD_INSTRUMENT, scoringOptions(), [
      { id: 'all', units: unitIds }
    ])
    t.equal(gender.categories[1].overall.estimate, overall(womenDirect), "women's overall index")
    t.equal(gender.categories[1].overall.nonProbability, true)
    const age = results.breakdowns.find((b: { variable: string }) => b.variable === 'AGE')
    t.match(age.categories[4], { label: 'Trên 60', respondents: 6, suppressed: true, overall: null, factors: {} })
    t.equal(age.categories[3].respondents, 0, 'an answer nobody gave is listed, suppressed')
    const draft = await app.inject({ method: 'GET', url: `/v1/public/publications/${computationId}` })
    t.equal(draft.statusCode, 404, 'a computation is not public')
  })

  t.test("a breakdown's minimum of respondents is the campaign's, changed until publication", async (t) => {
    const patch = (breakdownMinimum: number) =>
      app.inject({ method: 'PATCH', url, headers: admin, payload: { breakdownMinimum } })
    const patched = await patch(5)
    t.equal(patched.statusCode, 200, patched.body)
    t.equal(patched.json().breakdownMinimum, 5)
    const res = await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })
    const age = res.json().results.breakdowns.find((b: { variable: string }) => b.variable === 'AGE')
    t.equal(age.minimumRespondents, 5)
    t.match(age.categories[4], { respondents: 6, suppressed: false, overall: { estimate: Number } })
    t.equal((await patch(0)).statusCode, 400, 'at least one respondent')
    t.equal((await patch(30)).json().breakdownMinimum, 30)
  })

  t.test('a computation can run as a job the caller polls', async (t) => {
    const started = await app.inject({ method: 'POST', url: `${url}/computations?mode=job`, headers: admin })
    t.equal(started.statusCode, 202, started.body)
    t.match(started.json(), { status: 'running', progress: 0, results: null })
    t.equal(started.headers.location, `${url}/computations/${started.json().id}`)
    let job = started.json()
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      job = (await app.inject({ method: 'GET', url: started.headers.location as string, headers: admin })).json()
    }
    t.match(job, { status: 'done', progress: 1, responses: 240, error: null })
    const direct = (
      await app.inject({ method: 'GET', url: `${url}/computations/${computationId}`, headers: admin })
    ).json()
    t.same(job.results.province, direct.results.province, 'the same figures as computed while waiting')
  })

  let publicationId = ''
  t.test('publishing needs a closed campaign and an approval; only then are the figures public', async (t) => {
    const early = await app.inject({
      method: 'POST',
      url: `${url}/publications`,
      headers: admin,
      payload: { computationId }
    })
    t.equal(early.statusCode, 409)
    await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'closed' } })
    const res = await app.inject({
      method: 'POST',
      url: `${url}/publications`,
      headers: admin,
      payload: { computationId }
    })
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), { version: 1, status: 'draft', publishedAt: null, approval: null })
    publicationId = res.json().id
    t.equal(
      (await app.inject({ method: 'GET', url, headers: admin })).json().status,
      'closed',
      'a draft publishes nothing'
    )
    t.same((await app.inject({ method: 'GET', url: '/v1/public/publications?year=2026' })).json(), [])
    for (const path of ['', '/report', `/units/${ids.province}`])
      t.equal(
        (await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}${path}` })).statusCode,
        404,
        `no public read of a draft${path}`
      )
    t.same((await app.inject({ method: 'GET', url: `/v1/public/units/${ids.communes[1]}/series` })).json(), [])
    t.same((await app.inject({ method: 'GET', url: `${url}/publications` })).json(), [], 'not listed publicly')
    t.match((await app.inject({ method: 'GET', url: `${url}/publications`, headers: admin })).json(), [
      { id: publicationId, status: 'draft' }
    ])
    const bypass = await app.inject({
      method: 'POST',
      url: `${url}/transitions`,
      headers: admin,
      payload: { to: 'published' }
    })
    t.equal(bypass.statusCode, 409)
    t.equal(bypass.json().type, '/problems/publication-not-approved', 'no publishing around the approval')

    const approved = await app.inject({
      method: 'POST',
      url: `${url}/publications/${publicationId}/approval`,
      headers: admin,
      payload: approvalInput()
    })
    t.equal(approved.statusCode, 201, approved.body)
    t.match(approved.json(), {
      id: publicationId,
      status: 'published',
      approval: { decisionNumber: '1234/QĐ-UBND', decisionDate: vietnamToday(), documentSha256: null }
    })
    t.equal((await app.inject({ method: 'GET', url, headers: admin })).json().status, 'published')
    const list = (await app.inject({ method: 'GET', url: '/v1/public/publications?year=2026' })).json()
    t.match(list, [{ id: publicationId, version: 1, year: 2026, publishedAt: approved.json().publishedAt }])
    const document = (await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}` })).json()
    t.match(document.publication, { status: 'published', approval: { approverName: 'Nguyễn Văn An' } })
  })

  t.test('public reads: ETag, 304, immutable caching, CORS, CSV, one unit', async (t) => {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/public/publications/${publicationId}`,
      headers: { origin: 'https://sonoivu.phutho.gov.vn' }
    })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['access-control-allow-origin'], '*')
    t.match(res.headers['cache-control'], /immutable/)
    const etag = res.headers.etag as string
    t.match(etag, /^"[\w-]{32}"$/)
    const again = await app.inject({
      method: 'GET',
      url: `/v1/public/publications/${publicationId}`,
      headers: { 'if-none-match': etag }
    })
    t.equal(again.statusCode, 304)
    t.equal(again.body, '')
    for (const ifNoneMatch of [`W/${etag}`, `"another", ${etag}`, `"another",W/${etag}`, '*']) {
      const conditional = await app.inject({
        method: 'GET',
        url: `/v1/public/publications/${publicationId}`,
        headers: { 'if-none-match': ifNoneMatch }
      })
      t.equal(conditional.statusCode, 304, `If-None-Match: ${ifNoneMatch}`)
    }
    const stale = await app.inject({
      method: 'GET',
      url: `/v1/public/publications/${publicationId}`,
      headers: { 'if-none-match': '"another", W/"yet-another"' }
    })
    t.equal(stale.statusCode, 200, 'no tag of the list is current')
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: `/v1/public/publications/${publicationId}`,
      headers: { origin: 'https://x.gov.vn', 'access-control-request-method': 'GET' }
    })
    t.equal(preflight.statusCode, 204)
    const csv = await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}?format=csv` })
    t.match(csv.headers['content-type'], /text\/csv/)
    t.equal(csv.body.trim().split('\n').length, 1 + 1 + 4, 'header, province, four units')
    const xlsx = await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}?format=xlsx` })
    t.equal(xlsx.statusCode, 200)
    t.match(xlsx.headers['content-type'], /spreadsheetml\.sheet/)
    t.match(xlsx.headers['content-disposition'], /^attachment; filename="sipas-2026-v1\.xlsx"$/)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    t.same(
      book.worksheets.map((w) => w.name),
      ['Xếp hạng', 'Chỉ số chi tiết', 'Theo Giới tính', 'Theo Độ tuổi', 'Thông tin'],
      'a sheet per breakdown of the items answered'
    )
    const doc = (await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}` })).json()
    const ranking = book.getWorksheet('Xếp hạng')!
    t.equal(ranking.rowCount, 1 + 1 + 4, 'heading, province, four units: the CSV`s rows')
    const overall = (ranking.getRow(1).values as unknown[]).indexOf('SIPAS (%)')
    t.equal(ranking.getRow(2).getCell(overall).value, doc.province.overall.estimate, "the province's figure, unrounded")
    const report = (await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}/report` })).body
    t.match(report, /<h2>Chỉ số chung theo đặc điểm người trả lời<\/h2>/)
    t.match(report, /data-breakdown="GENDER"/)
    t.match(
      report,
      /Trên 60<\/td><td class="n">6<\/td><td colspan="2" class="suppressed">không công bố: dưới 30 người trả lời/
    )
    const byAge = book.getWorksheet('Theo Độ tuổi')!
    t.same(
      (byAge.getRow(6).values as unknown[]).slice(1, 5),
      [doc.breakdowns[1].categories[4].value, 'Trên 60', 6, 'Không công bố: dưới 30 người trả lời'],
      'a suppressed answer says so'
    )
    t.equal(byAge.getRow(2).getCell(5).value, doc.breakdowns[1].categories[0].overall.estimate)
    const figures = book.getWorksheet('Chỉ số chi tiết')!
    const units = [doc.province, ...doc.units]
    const count = (u: (typeof units)[number]) =>
      (u.overall ? 1 : 0) +
      [u.factors, u.criteria, u.satisfaction, u.perception].reduce((n, f) => n + Object.keys(f).length, 0) +
      u.expectations.length
    t.equal(
      figures.rowCount - 1,
      units.reduce((n: number, u: (typeof units)[number]) => n + count(u), 0)
    )
    const line = figures
      .getRows(2, figures.rowCount - 1)!
      .find((r) => r.getCell(1).value === doc.units[0].code && r.getCell(4).value === 'F1.1')!
    const criterion = doc.units[0].criteria['F1.1']
    t.same(
      [5, 6, 7, 8, 9, 10].map((c) => line.getCell(c).value),
      [
        criterion.n,
        criterion.estimate,
        criterion.se,
        criterion.ci?.[0] ?? null,
        criterion.ci?.[1] ?? null,
        criterion.df
      ],
      'a criterion with its precision, as the JSON has it'
    )
    const unit = (
      await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}/units/${ids.communes[1]}` })
    ).json()
    t.equal(unit.unitId, ids.communes[1])
    t.ok(unit.overall.estimate > 0)
    // People apart from answers: the overall index pools every criterion's answers of each respondent.
    t.equal(unit.respondents, 80, 'respondents: the people who answered')
    t.equal(unit.respondents, unit.responses, 'responses: the same count under its former name')
    t.equal(unit.overall.answers, unit.overall.n)
    t.ok(unit.overall.answers > 10 * unit.respondents, `answers ${unit.overall.answers}, not the sample size`)
    t.equal(unit.criteria['F1.1'].answers, 72, "a criterion's valid answers")
    const province = (
      await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}/units/${ids.province}` })
    ).json()
    t.equal(province.units.length, 4, 'three communes and the agency (without responses)')
    const series = (await app.inject({ method: 'GET', url: `/v1/public/units/${ids.communes[1]}/series` })).json()
    t.match(series, [{ year: 2026, publicationId, viaPredecessor: false }])
  })

  t.test('earlier years: figures imported from their decisions join the series, all or nothing', async (t) => {
    const source = 'Quyết định số 456/QĐ-UBND ngày 20/12/2023 của UBND tỉnh Phú Thọ'
    const body = {
      provinceId: ids.province,
      year: 2023,
      source,
      figures: [
        { unitId: ids.communes[1], index: 'overall', estimate: 81.25 },
        { unitId: ids.communes[1], index: 'F1', estimate: 79.5 },
        { unitId: ids.province, index: 'overall', estimate: 84.01 }
      ]
    }
    const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/history', headers: admin, payload })
    const stored = await post(body)
    t.equal(stored.statusCode, 201, stored.body)
    t.same(stored.json(), { provinceId: ids.province, year: 2023, imported: 3, unchanged: 0 })
    t.same((await post(body)).json(), { provinceId: ids.province, year: 2023, imported: 0, unchanged: 3 }, 'again')

    const changed = await post({ ...body, figures: [body.figures[2], { ...body.figures[0], estimate: 82 }] })
    t.equal(changed.statusCode, 409)
    t.match(changed.json(), {
      type: '/problems/history-already-imported',
      errors: [{ pointer: '/figures/1', detail: /81\.25/ }]
    })
    const ofService = await post({ ...body, year: 2026 })
    t.equal(ofService.statusCode, 409, 'the service published 2026')
    t.match(ofService.json(), { type: '/problems/history-year-published', errors: [{ pointer: '/year' }] })
    const invalid = await post({
      ...body,
      year: 2022,
      figures: [
        body.figures[0],
        { unitId: ids.other, index: 'overall', estimate: 70 },
        { ...body.figures[0], estimate: 80 }
      ]
    })
    t.equal(invalid.statusCode, 422)
    t.match(invalid.json(), { type: '/problems/history-invalid' })
    t.same(
      invalid.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/figures/1/unitId', '/figures/2'],
      'a unit of another province, a unit and index given twice'
    )
    const notProvince = await post({ ...body, provinceId: ids.communes[0] })
    t.match(notProvince.json(), { type: '/problems/history-invalid', errors: [{ pointer: '/provinceId' }] })
    t.equal((await post({ ...body, figures: [{ ...body.figures[0], estimate: 100.5 }] })).statusCode, 400)

    const series = (await app.inject({ method: 'GET', url: `/v1/public/units/${ids.communes[1]}/series` })).json()
    t.match(series, [
      { year: 2023, imported: true, source, campaignId: null, overall: { estimate: 81.25, imported: true } },
      { year: 2026, imported: false, source: null, publicationId, overall: { n: Number } }
    ])
    t.equal(series.length, 2, 'nothing of the refused imports (2022) was stored')
    // Imported into the year before a publication of the service, they give a later draft its change column;
    // the publication drafted before keeps what it was compared with then (nothing).
    await post({ ...body, year: 2025, figures: [{ ...body.figures[0], estimate: 60 }] })
    const published = await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}` })
    t.same(published.json().comparedWith, { year: 2025, source: 'none', publicationId: null }, 'frozen')
    const correction = await app.inject({
      method: 'POST',
      url: `${url}/publications`,
      headers: admin,
      payload: { computationId, note: 'compared with 2025' }
    })
    t.equal(correction.statusCode, 201, correction.body)
    const report = (
      await app.inject({ method: 'GET', url: `${url}/publications/${correction.json().id}/report`, headers: admin })
    ).body
    const unit2026 = series[1].overall.estimate
    const delta = (unit2026 - 60).toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    t.ok(report.includes(`<td class="n">+${delta}</td>`), `the change against 2025's imported figure: +${delta}`)
    const audit = (await app.inject({ method: 'GET', url: '/v1/audit?action=history.import', headers: admin })).json()
    t.equal(audit.items.length, 3, 'the accepted imports are in the audit log')
    t.match(audit.items[1], { entityId: `${ids.province}/2023`, after: { imported: 0, unchanged: 3, source } })
  })

  t.test('a published figure never changes: no route alters it, the database refuses to', async (t) => {
    const before = (await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}` })).body
    await app.inject({
      method: 'POST',
      url: '/v1/responses',
      headers: admin,
      payload: response(campaign, { externalId: 'late' })
    })
    const recomputed = (await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })).json()
    t.equal((await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}` })).body, before)
    // The driver's error is under drizzle's.
    const failure = (query: string) =>
      (app.database.db.execute(query as never) as Promise<unknown>).then(
        () => 'succeeded',
        (e) => String(e.cause?.message ?? e.message)
      )
    t.match(await failure(`update publications set note = 'x' where id = '${publicationId}'`), /never changes/)
    t.match(await failure(`delete from publications where id = '${publicationId}'`), /never changes/)
    t.match(
      await failure(`update publication_approvals set decision_number = 'x' where publication_id = '${publicationId}'`),
      /never changes/
    )
    t.match(
      await failure(`delete from publication_approvals where publication_id = '${publicationId}'`),
      /never changes/
    )
    const correction = await app.inject({
      method: 'POST',
      url: `${url}/publications`,
      headers: admin,
      payload: { computationId: recomputed.id, note: 'corrected' }
    })
    t.equal(correction.statusCode, 201)
    t.match(correction.json(), { version: 3, replacesId: publicationId, note: 'corrected', status: 'draft' })
    t.equal(
      (await app.inject({ method: 'GET', url: `/v1/public/publications/${publicationId}` })).body,
      before,
      'the first version is still there, unchanged'
    )
  })
})
