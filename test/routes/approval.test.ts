import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, approvalInput, vietnamToday } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'

const SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'

/** The day `days` after today in Vietnam (negative: before). */
const shifted = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' })

t.test('a publication is a draft until its approval is recorded', async (t) => {
  const { app } = await buildTestApp(t)
  const { campaign, ids } = await collectingCampaign(app)
  const url = `/v1/campaigns/${campaign}`
  await app.inject({ method: 'POST', url: '/v1/responses', headers: admin, payload: response(campaign) })
  const compute = async () =>
    (await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })).json().id as string
  const computation = await compute()
  await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'closed' } })
  const draft = async (headers = admin) => {
    const res = await app.inject({
      method: 'POST',
      url: `${url}/publications`,
      headers,
      payload: { computationId: computation }
    })
    t.equal(res.statusCode, 201, res.body)
    return res.json() as { id: string; version: number; replacesId: string | null }
  }
  const approve = (id: string, payload: object, headers = admin) =>
    app.inject({ method: 'POST', url: `${url}/publications/${id}/approval`, headers, payload })
  const keyOf = async (units: string[]) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: admin,
      payload: { name: 'Sở Nội vụ', role: 'province-admin', units, campaigns: [] }
    })
    return { authorization: `Bearer ${res.json().key}` }
  }

  const first = await draft()

  t.test('bad input is refused with its field named, and nothing is approved', async (t) => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ approverName: undefined }, 'invalid-request', '/approverName'],
      [{ approverPosition: '   ' }, 'invalid-request', '/approverPosition'],
      [{ decisionNumber: '' }, 'invalid-request', '/decisionNumber'],
      [{ decisionDate: '05/12/2026' }, 'invalid-request', '/decisionDate'],
      [{ documentSha256: SHA256.toUpperCase() }, 'invalid-request', '/documentSha256'],
      [{ decisionDate: shifted(2) }, 'decision-date-out-of-range', '/decisionDate'],
      [{ decisionDate: shifted(-400) }, 'decision-date-out-of-range', '/decisionDate']
    ]
    for (const [change, type, pointer] of cases) {
      const res = await approve(first.id, approvalInput(change))
      t.equal(res.json().type, `/problems/${type}`, `${JSON.stringify(change)}: ${type}`)
      t.ok(
        res.json().errors.some((e: { pointer: string }) => e.pointer === pointer),
        `names ${pointer}`
      )
    }
    const strangerKey = await keyOf([ids.other])
    const stranger = await approve(first.id, approvalInput(), strangerKey)
    t.equal(stranger.statusCode, 403, "another province's administrator cannot approve")
    const listed = (headers?: Record<string, string>) =>
      app.inject({ method: 'GET', url: `${url}/publications`, ...(headers ? { headers } : {}) })
    t.same((await listed(strangerKey)).json(), [], "nor list the province's drafts")
    t.match((await listed(await keyOf([ids.province]))).json(), [{ id: first.id, status: 'draft' }], 'ours does')
    const elsewhere = await app.inject({
      method: 'POST',
      url: `/v1/campaigns/${campaign}/publications/${computation}/approval`,
      headers: admin,
      payload: approvalInput()
    })
    t.equal(elsewhere.statusCode, 404, 'no such publication in the campaign')
    t.equal((await app.inject({ method: 'GET', url, headers: admin })).json().status, 'closed', 'still a draft')
  })

  t.test("a draft's report says so; only the latest draft can be approved, once", async (t) => {
    const report = await app.inject({ method: 'GET', url: `${url}/publications/${first.id}/report`, headers: admin })
    t.equal(report.statusCode, 200)
    t.match(report.body, /id="draft-mark"[^>]*>DỰ THẢO</)
    t.match(report.body, /Dự thảo lần 1/)
    const second = await draft()
    t.match(second, { version: 2, replacesId: null }, 'a draft replaces no draft: nothing was published')
    const superseded = await approve(first.id, approvalInput())
    t.equal(superseded.json().type, '/problems/publication-superseded')
    t.equal(superseded.json().errors[0].pointer, '/publicationId')

    const ours = await keyOf([ids.province])
    const approved = await approve(second.id, approvalInput({ documentSha256: SHA256 }), ours)
    t.equal(approved.statusCode, 201, "the province's administrator approves its campaign's draft")
    t.match(approved.json(), {
      status: 'published',
      approval: {
        approverName: 'Nguyễn Văn An',
        approverPosition: 'Chủ tịch Ủy ban nhân dân tỉnh Phú Thọ',
        decisionNumber: '1234/QĐ-UBND',
        decisionDate: vietnamToday(),
        documentSha256: SHA256
      }
    })
    const again = await approve(second.id, approvalInput())
    t.equal(again.statusCode, 409)
    t.equal(again.json().type, '/problems/publication-already-approved')
    t.equal((await app.inject({ method: 'GET', url, headers: admin })).json().status, 'published')

    const audit = (
      await app.inject({ method: 'GET', url: '/v1/audit?action=publication.approve', headers: admin })
    ).json()
    t.equal(audit.items.length, 1, 'the approval is in the audit log, once')
    t.match(audit.items[0], {
      entity: 'publication',
      entityId: second.id,
      role: 'province-admin',
      before: { status: 'draft' },
      after: { status: 'published', decisionNumber: '1234/QĐ-UBND', documentSha256: SHA256 }
    })
    const published = await app.inject({ method: 'GET', url: `/v1/public/publications/${second.id}/report` })
    t.notMatch(published.body, /DỰ THẢO/, 'a published report is no draft')
    const [year, month, day] = vietnamToday().split('-')
    t.match(
      published.body,
      `Phê duyệt theo Quyết định số 1234/QĐ-UBND ngày ${day}/${month}/${year} · Chủ tịch Ủy ban nhân dân tỉnh Phú Thọ Nguyễn Văn An`
    )

    // A correction is a draft again: the published version stays the public one until it is approved.
    const correction = await draft()
    t.match(correction, { version: 3, replacesId: second.id })
    const listed = (await app.inject({ method: 'GET', url: '/v1/public/publications' })).json()
    t.match(listed, [{ id: second.id, version: 2 }])
    t.equal((await app.inject({ method: 'GET', url: `/v1/public/publications/${correction.id}` })).statusCode, 404)
  })
})
