import t from 'tap'
import { reportHtml } from '../../src/domain/report-html.js'
import type { CampaignResults, UnitResult } from '../../src/domain/results.js'
import { scoringOptions } from '../../src/scoring/methods.js'

const figure = (estimate: number, se: number) => ({
  answers: 2000,
  n: 2000,
  estimate,
  se,
  ci: [estimate - 2 * se, estimate + 2 * se],
  ciMethod: 'logit' as const,
  df: 50
})
const unit = (unitId: string, rank: number | null, estimate: number, se: number): UnitResult => ({
  unitId,
  code: unitId,
  name: `Đơn vị ${unitId}`,
  level: rank === null ? 'province' : 'commune',
  respondents: 100,
  responses: 100,
  responseRate: null,
  overall: figure(estimate, se),
  factors: {},
  criteria: {},
  satisfaction: {},
  perception: {},
  expectations: [],
  rank,
  rankInterval: null,
  targets: [],
  parPoints: null
})

/** What every document of these tests shares: its campaign, 300 responses of a probability sample. */
const document = {
  campaign: {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'SIPAS 2026',
    year: 2026,
    provinceId: '00000000-0000-4000-8000-000000000002',
    instrument: { id: '00000000-0000-4000-8000-000000000003', code: 'SIPAS-2017', version: 1 }
  },
  responses: 300,
  probability: true,
  options: scoringOptions()
}
/** A first draft, not yet approved. */
const draft = { version: 1, createdAt: '2026-12-01T03:00:00Z', publishedAt: null, note: null, approval: null }

t.test(
  'the report: change against last year (significance, places), perception, expectations, annex of method',
  async (t) => {
    const results: CampaignResults = {
      ...document,
      province: unit('P', null, 85, 0.5),
      units: [unit('A', 1, 90, 0.8), unit('B', 2, 80, 0.8), unit('C', 3, 70, 0.8)]
    }
    results.province.perception = { 'P.ONTIME': figure(93.5, 0.4) }
    results.province.expectations = [
      { code: 'E.IMPROVE.4', ...figure(41.2, 1.1), rank: 1 },
      { code: 'E.IMPROVE.8', ...figure(30.4, 1), rank: 2 }
    ]
    results.units[0].quality = [{ code: 'straight-lining', subject: 'A', count: 3, detail: '3 of 100' }]
    results.province.quality = [{ code: 'lonely-psu', subject: 'S7', count: 1, detail: 'a single PSU' }]
    // Last year's figures as a draft freezes them (domain/changes.ts); C's was imported: no SE, no rank.
    const change = (estimate: number, se: number | null, significant: boolean | null, places: number | null) => ({
      year: 2025,
      unitId: '00000000-0000-4000-8000-00000000000a',
      imported: se === null,
      previous: 80,
      previousRank: places === null ? null : 2,
      estimate,
      se,
      ci: se === null ? null : [estimate - 2 * se, estimate + 2 * se],
      significant,
      places
    })
    results.province.change = change(0.1, 0.7, false, null)
    results.units[0].change = change(10, 1.1, true, 1)
    results.units[1].change = change(-5, 1.1, true, -1)
    results.units[2].change = change(10, null, null, null)
    const html = reportHtml({
      results,
      campaign: results.campaign,
      publication: draft,
      factorNames: {},
      itemTexts: { 'P.ONTIME': 'Nhận kết quả đúng hẹn', 'E.IMPROVE.4': 'Đơn giản hóa thủ tục hành chính' }
    })
    const row = (id: string) => new RegExp(`data-unit="${id}">[^]*?</tr>`).exec(html)?.[0] ?? ''
    t.match(
      row('A'),
      /<td class="n">\+10,00\*<\/td><td class="n">↑1<\/td>/,
      'rose ten points, significantly, one place'
    )
    t.match(row('B'), /<td class="n">-5,00\*<\/td><td class="n">↓1<\/td>/, 'fell five points and one place')
    t.match(
      row('C'),
      /<td class="n">\+10,00<\/td><td class="n">–<\/td>/,
      'against an imported figure: no star, no rank'
    )
    t.match(html, /Thay đổi so với năm trước: \+0,10 điểm %/, "the province's change, not significant: no star")
    t.match(html, /\* khác biệt có ý nghĩa thống kê/, 'the legend')
    // What respondents perceived, and what they want improved first, in the questionnaire's words.
    t.match(html, /<tr><td>Nhận kết quả đúng hẹn<\/td><td class="n">93,50<\/td>/)
    t.match(
      html,
      /<tr><td class="n">1<\/td><td>Đơn giản hóa thủ tục hành chính<\/td><td class="n">41,20<\/td>[^]*<tr><td class="n">2<\/td><td>E\.IMPROVE\.8<\/td>/
    )
    // The annex of method: respondents, weighting, the level, and each figure's margin of error.
    t.match(html, /<h2 class="annex">Phụ lục: phương pháp<\/h2>/)
    t.match(html, /Khoảng tin cậy 95,00% \(phương pháp logit\)/)
    t.match(html, /sai số biên của chỉ số chung toàn tỉnh: ±1,00 điểm %/, "the province's: half its interval")
    t.match(
      html,
      /<td>Đơn vị A<\/td><td class="n">100<\/td><td class="n">–<\/td><td class="n">±1,60<\/td><td class="n">3<\/td>/,
      "a unit's respondents, margin of error and straight-lined responses"
    )
    t.match(html, /Tầng chỉ có một đơn vị mẫu chính \(phương sai theo quy tắc fail\): S7\./)
  }
)

t.test(
  "the report: the province's criteria, each unit's strengths and weaknesses, the mean of the groups",
  async (t) => {
    const difference = (estimate: number, verdict: 'above' | 'below' | 'not-distinguishable') => ({
      estimate,
      se: 1,
      ci: [estimate - 2, estimate + 2],
      verdict
    })
    const province = unit('P', null, 85, 0.5)
    province.criteria = { 'F1.1': figure(88, 0.4), 'F2.5': figure(71.5, 0.6) }
    const [a, b] = [unit('A', 1, 90, 0.8), unit('B', 2, 80, 0.8)]
    a.diagnosis = {
      differences: {
        'F1.1': difference(6, 'above'),
        'F1.2': difference(5, 'above'),
        'F1.3': difference(4, 'above'),
        'F1.4': difference(3, 'above'),
        'F2.5': difference(-7.25, 'below')
      },
      strengths: ['F1.1', 'F1.2', 'F1.3', 'F1.4'],
      weaknesses: ['F2.5']
    }
    b.diagnosis = { differences: { 'F1.1': difference(0.5, 'not-distinguishable') }, strengths: [], weaknesses: [] }
    b.expectations = [{ code: 'E.IMPROVE.4', ...figure(41.2, 1.1), rank: 1 }]
    const results: CampaignResults = {
      ...document,
      province,
      provinceFigure: { method: 'mean-of-groups', description: 'the mean of the groups' },
      units: [a, b],
      groups: []
    }
    const html = reportHtml({
      results,
      campaign: results.campaign,
      publication: draft,
      factorNames: {},
      itemTexts: { 'F1.1': 'Nơi ngồi chờ có đủ chỗ ngồi', 'E.IMPROVE.4': 'Đơn giản hóa thủ tục hành chính' }
    })
    t.match(
      html,
      /<td>F1\.1<\/td><td>Nơi ngồi chờ có đủ chỗ ngồi<\/td><td class="n" data-criterion="F1\.1">88,00<\/td>/
    )
    t.match(html, /data-criterion="F2\.5">71,50</, 'every criterion of the province')
    const row = (id: string) => new RegExp(`data-diagnosis="${id}">[^]*?</tr>`).exec(html)?.[0] ?? ''
    t.match(
      row('A'),
      /F1\.1<\/span> \(\+6,00\), [^]*F1\.3<\/span> \(\+4,00\) và 1 tiêu chí khác<\/td>/,
      'the three strongest, the rest counted'
    )
    t.match(row('A'), /F2\.5<\/span> \(-7,25\)<\/td>/, 'the weakness')
    t.match(
      row('B'),
      /<td>–<\/td><td>–<\/td><td>Đơn giản hóa thủ tục hành chính \(41,20%\)<\/td>/,
      'none either way; the first wish'
    )
    t.match(html, /trung bình cộng chỉ số của 0 khối/, "the province's figure said to be the groups' mean")
  }
)

t.test("the report: a breakdown's many suppressed categories are one row, a few each their own", async (t) => {
  const category = (value: string, respondents: number) => ({
    value,
    label: `Thủ tục ${value}`,
    respondents,
    suppressed: respondents < 30,
    overall: respondents < 30 ? null : figure(80, 1),
    factors: {}
  })
  const breakdown = (variable: string, sizes: number[]) => ({
    variable,
    label: variable,
    minimumRespondents: 30,
    categories: sizes.map((n, i) => category(`${variable}.${i}`, n))
  })
  const results: CampaignResults = {
    ...document,
    province: unit('P', null, 85, 0.5),
    units: [],
    breakdowns: [breakdown('many', [400, 120, 12, 7, 3, 1]), breakdown('few', [400, 12, 7, 3])]
  }
  const html = reportHtml({ results, campaign: results.campaign, publication: draft, factorNames: {}, itemTexts: {} })
  const table = (variable: string) => new RegExp(`data-breakdown="${variable}">[^]*?</table>`).exec(html)?.[0] ?? ''
  t.match(table('many'), /Thủ tục many\.1<\/td><td class="n">120</)
  t.notMatch(table('many'), /Thủ tục many\.2/, 'a suppressed category is not listed among many')
  t.match(
    table('many'),
    /<td>4 nhóm khác<\/td><td class="n">23<\/td><td colspan="2" class="suppressed">không công bố: mỗi nhóm dưới 30 người trả lời/,
    'how many, and how many people'
  )
  t.match(table('few'), /Thủ tục few\.3<\/td><td class="n">3<\/td><td colspan="2" class="suppressed">/)
  t.notMatch(table('few'), /nhóm khác/)
})

t.test("the report: each unit's rank on every factor, among its peers when there are groups", async (t) => {
  const rank = (r: number, interval: [number, number] | null) => ({ rank: r, rankInterval: interval })
  const province = unit('P', null, 85, 0.5)
  province.factors = { F1: figure(88, 0.4), F2: figure(71.5, 0.6) }
  const [a, b] = [unit('A', 1, 90, 0.8), unit('B', 2, 80, 0.8)]
  a.ranks = { factors: { F1: rank(1, [1, 2]), F2: rank(2, [1, 2]) }, criteria: {} }
  b.ranks = { factors: { F1: rank(2, [1, 2]), F2: rank(1, null) }, criteria: {} }
  a.group = { code: 'g', rank: 1, rankInterval: [1, 1], ranks: { factors: { F1: rank(1, [1, 1]) }, criteria: {} } }
  const results: CampaignResults = { ...document, province, units: [a, b] }
  const input = { campaign: results.campaign, publication: draft, factorNames: { F1: 'Tiếp cận' }, itemTexts: {} }
  const row = (html: string, id: string) => new RegExp(`data-factor-ranks="${id}">[^]*?</tr>`).exec(html)?.[0] ?? ''
  const all = reportHtml({ ...input, results })
  t.match(all, /<h2>Xếp hạng theo từng yếu tố<\/h2>[^]*F1: Tiếp cận; F2: F2\./)
  t.match(row(all, 'A'), /<td>Đơn vị A<\/td><td class="n">1 \(1–2\)<\/td><td class="n">2 \(1–2\)<\/td>/)
  t.match(row(all, 'B'), /<td class="n">1<\/td><\/tr>/, 'a rank without its set')
  const grouped = reportHtml({
    ...input,
    results: {
      ...results,
      groups: [
        {
          code: 'g',
          name: 'Khối G',
          respondents: 100,
          overall: null,
          factors: {},
          criteria: {},
          targets: [],
          units: ['A']
        }
      ]
    }
  })
  t.match(
    grouped,
    /<h3>Khối G<\/h3><table>[^]*data-factor-ranks="A"><td>Đơn vị A<\/td><td class="n">1 \(1–1\)<\/td><td class="n">–<\/td>/
  )
  t.notMatch(grouped, /data-factor-ranks="B"/, 'a unit in no group is ranked in none')
})
