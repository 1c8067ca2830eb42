import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, approvalInput, vietnamToday } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'
import { CHROMIUM, inkShare, pdfPagesPainting, printToPdf, render } from '../helpers/chromium.js'

/** The fill of the draft mark (rgb(200,30,30) in report-html.ts), as Chromium writes it in a PDF. */
const DRAFT_MARK = /\.7843 \.1176 \.1176 rg/

t.test(
  'the printable report renders in Chromium: a draft marked on every page, then the published figures and their approval',
  { skip: !CHROMIUM && !process.env.CI && 'chromium is not installed' },
  async (t) => {
    const { app } = await buildTestApp(t)
    const { campaign, ids } = await collectingCampaign(app)
    const units = ['08500', '08501', '08502']
    const groups = [
      { code: 'xa-phuong', name: 'Khối xã, phường', units: ids.communes.slice(0, 2) },
      { code: 'khac', name: 'Khối khác', units: [ids.communes[2], ids.agency] }
    ]
    const grouped = await app.inject({
      method: 'PATCH',
      url: `/v1/campaigns/${campaign}`,
      headers: admin,
      payload: { groups }
    })
    t.equal(grouped.statusCode, 200, 'peer groups set while collecting')
    // Over a thousand, so the report's thousands separator shows.
    const records = Array.from({ length: 1200 }, (_, i) => {
      const r = response(campaign, { unit: units[i % 3], externalId: `P-${i}` })
      r.answers['F2.5'] = (i % 5) + 1
      r.answers['F4.1'] = ((i * 3) % 5) + 1
      return r
    })
    await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: records })
    const url = `/v1/campaigns/${campaign}`
    const computation = (await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })).json()
    await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'closed' } })
    const publication = (
      await app.inject({
        method: 'POST',
        url: `${url}/publications`,
        headers: admin,
        payload: { computationId: computation.id }
      })
    ).json()

    // The draft's report is for the campaign's managers: read with the key, printed from a file.
    const draftReport = await app.inject({
      method: 'GET',
      url: `${url}/publications/${publication.id}/report`,
      headers: admin
    })
    t.equal(draftReport.statusCode, 200)
    const draftFile = join(mkdtempSync(join(tmpdir(), 'sipas-report-')), 'draft.html')
    writeFileSync(draftFile, draftReport.body)
    const draft = pdfPagesPainting(await printToPdf(pathToFileURL(draftFile).href), DRAFT_MARK)
    t.ok(draft.pages > 1, `the draft prints on ${draft.pages} pages`)
    t.equal(draft.painting, draft.pages, 'DỰ THẢO is printed on every page')
    t.match(draftReport.body, />DỰ THẢO</)
    // Nothing wider than an A4 page's printable width (19 cm with 1 cm margins: 718 CSS pixels): each element's
    // right edge, measured by the page itself in a copy with a script added.
    const measured = join(dirname(draftFile), 'measured.html')
    writeFileSync(
      measured,
      draftReport.body.replace(
        '</body>',
        `<script>document.body.dataset.overflowing = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((e) => e.tagName).join(',') || 'none'</script></body>`
      )
    )
    const { dom: measuredDom } = await render(pathToFileURL(measured).href, '718,1000')
    t.match(measuredDom, /data-overflowing="none"/, 'nothing overflows the width of an A4 page')

    const approved = await app.inject({
      method: 'POST',
      url: `${url}/publications/${publication.id}/approval`,
      headers: admin,
      payload: approvalInput({ decisionNumber: '512/QĐ-UBND', decisionDate: vietnamToday() })
    })
    t.equal(approved.statusCode, 201, approved.body)
    const json = (await app.inject({ method: 'GET', url: `/v1/public/publications/${publication.id}` })).json()

    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const reportUrl = `${base}/v1/public/publications/${publication.id}/report`
    const { dom, png } = await render(reportUrl)
    t.equal(pdfPagesPainting(await printToPdf(reportUrl), DRAFT_MARK).painting, 0, 'a published report is no draft')
    t.notMatch(dom, /DỰ THẢO/)
    const [year, month, day] = vietnamToday().split('-')
    t.match(
      dom,
      `Phê duyệt theo Quyết định số 512/QĐ-UBND ngày ${day}/${month}/${year} · Chủ tịch Ủy ban nhân dân tỉnh Phú Thọ Nguyễn Văn An`,
      'the approval: decision number and date, position and approver'
    )
    t.ok(inkShare(png) > 0.02, `the screenshot is not blank (${(inkShare(png) * 100).toFixed(1)}% ink)`)
    t.match(dom, /Chỉ số chung của Phú Thọ/)
    const headline = /id="headline" data-value="([^"]+)">([^<]+)</.exec(dom)
    t.ok(headline, 'the headline figure is there')
    t.equal(Number(headline![1]), json.province.overall.estimate, 'the headline is the published figure')
    const shown = json.province.overall.estimate.toLocaleString('vi-VN', {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2
    })
    t.equal(headline![2], `${shown}%`, 'displayed rounded to two decimals')
    for (const unit of json.units.filter((u: { overall: unknown }) => u.overall)) {
      const cell = new RegExp(`data-unit="${unit.unitId}">([^<]+)<`).exec(dom)
      t.equal(
        cell?.[1],
        unit.overall.estimate.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
        `${unit.name} in the ranked table`
      )
    }
    const decimals = (v: number) => v.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    for (const group of json.groups) {
      t.equal(
        new RegExp(`data-group="${group.code}">([^<]+)<`).exec(dom)?.[1],
        decimals(group.overall.estimate),
        `${group.name}: its own figure`
      )
      const table = new RegExp(`data-group-ranking="${group.code}"[\\s\\S]*?</table>`).exec(dom)?.[0] ?? ''
      const listed = [...table.matchAll(/data-unit="([^"]+)"/g)].map((m) => m[1])
      t.same(listed, group.units, `${group.name}: its units ranked among themselves`)
      const ranks = [...table.matchAll(/<tr><td>([^<]+)<\/td>/g)].map((m) => m[1])
      t.same(
        ranks,
        group.units.map((id: string) =>
          String(json.units.find((u: { unitId: string }) => u.unitId === id).group.rank ?? '–')
        ),
        `${group.name}: ranks within the group`
      )
    }
    t.equal((dom.match(/<svg/g) ?? []).length, 2, 'bar charts per factor and per unit')
    for (const svg of dom.match(/<svg[^>]*>[\s\S]*?<\/svg>/g) ?? []) {
      t.match(svg, /^<svg[^>]* width="100%"/, 'a chart as wide as the page')
      const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*class="axis">([^<]+)</g)].map((m) => ({
        x: Number(m[1]),
        y: Number(m[2]),
        text: m[3]
      }))
      t.same(
        labels.map((l) => l.text),
        ['90%', '95%'],
        'a line for each national target'
      )
      const crowded = labels.filter((a, i) => labels.some((b, j) => i !== j && a.y === b.y && Math.abs(a.x - b.x) < 48))
      t.same(crowded, [], 'no two target labels overlap')
    }
    const published = new Date(json.publication.publishedAt)
    const hanoi = new Date(published.getTime() + 7 * 3600_000)
    const date = [hanoi.getUTCDate(), hanoi.getUTCMonth() + 1].map((n) => String(n).padStart(2, '0')).join('/')
    t.match(dom, `, ${date}/${hanoi.getUTCFullYear()} ·`, 'the publication day in Vietnam, as dd/mm/yyyy')
    const responses = String(json.responses).replace(/\B(?=(\d{3})+$)/g, '.')
    t.match(dom, `· ${responses} phiếu`, 'counts with the Vietnamese thousands separator')
    t.match(responses, /\./, 'a count with a separator to show')
  }
)
