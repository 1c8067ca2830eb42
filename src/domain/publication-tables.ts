/**
 * A publication as tables, for the offices that work in spreadsheets: the ranking (the CSV integrators read,
 * and the first sheet of the workbook), every figure with its precision, one per line, for pivot tables, a
 * sheet per peer group and one per breakdown.
 * exceljs writes the workbook (.xlsx).
 */
import ExcelJS from 'exceljs'
import type {
  Breakdown,
  Figure,
  GroupResult,
  IndexChange,
  PublicationDocument,
  UnitResult
} from '../schemas/results.js'

/**
 * The ranking: the province, then its units as ranked; overall, its interval, each factor, and the change
 * against last year's publication frozen with the draft (CSV columns).
 */
export function rankingRows(doc: PublicationDocument): Array<Record<string, string | number | null | undefined>> {
  const grouped = (doc.groups ?? []).length > 0
  return [doc.province, ...doc.units].map((u) => ({
    unit_id: u.unitId,
    code: u.code,
    name: u.name,
    rank: u.rank,
    ...(grouped ? { group: u.group?.code ?? null, group_rank: u.group?.rank ?? null } : {}),
    respondents: u.respondents ?? u.responses,
    responses: u.responses,
    response_rate: u.responseRate,
    overall: u.overall?.estimate,
    ci_lower: u.overall?.ci?.[0],
    ci_upper: u.overall?.ci?.[1],
    ...Object.fromEntries(Object.entries(u.factors).map(([code, f]) => [code, f.estimate])),
    par_points: u.parPoints,
    change: u.change?.estimate ?? null,
    change_se: u.change?.se ?? null,
    change_significant: u.change?.significant == null ? null : String(u.change.significant),
    places: u.change?.places ?? null
  }))
}

/** The ranking's column headings in Vietnamese (factor codes stay as they are). */
const RANKING_HEADINGS: Readonly<Record<string, string>> = {
  unit_id: 'Mã định danh',
  code: 'Mã đơn vị',
  name: 'Tên đơn vị',
  rank: 'Xếp hạng',
  group: 'Khối',
  group_rank: 'Xếp hạng trong khối',
  respondents: 'Số người trả lời',
  response_rate: 'Tỷ lệ phản hồi',
  overall: 'SIPAS (%)',
  ci_lower: 'Cận dưới KTC (%)',
  ci_upper: 'Cận trên KTC (%)',
  par_points: 'Điểm PAR INDEX',
  change: 'Thay đổi so với năm trước (điểm %)',
  change_se: 'Sai số chuẩn của thay đổi (điểm %)',
  change_significant: 'Thay đổi có ý nghĩa thống kê',
  places: 'Số bậc tăng (+) / giảm (−)'
}

const FIGURE_HEADINGS = [
  'Mã đơn vị',
  'Tên đơn vị',
  'Loại chỉ số',
  'Mã chỉ số',
  'Số câu trả lời hợp lệ (không phải số người)',
  'Giá trị (%)',
  'Sai số chuẩn (%)',
  'Cận dưới KTC (%)',
  'Cận trên KTC (%)',
  'Bậc tự do',
  'Hạng (mọi đơn vị)',
  'Khoảng hạng 95%',
  'Thay đổi so với năm trước (điểm %)',
  'Sai số chuẩn của thay đổi (điểm %)',
  'Thay đổi có ý nghĩa thống kê',
  'Số bậc tăng (+) / giảm (−)'
]

/**
 * Every figure of a unit, one per line: overall, factors, criteria, satisfaction items, perception, expectations;
 * the first three with their rank and their change against last year.
 */
function figureLines(u: UnitResult): Array<Array<string | number | null>> {
  type Rank = { rank: number | null; rankInterval: number[] | null } | undefined
  const line = (kind: string, code: string, f: Figure, rank?: Rank, change?: IndexChange) => [
    u.code,
    u.name,
    kind,
    code,
    f.answers ?? f.n,
    f.estimate,
    f.se,
    f.ci?.[0] ?? null,
    f.ci?.[1] ?? null,
    f.df,
    rank?.rank ?? null,
    rank?.rankInterval ? `${rank.rankInterval[0]}–${rank.rankInterval[1]}` : null,
    change?.estimate ?? null,
    change?.se ?? null,
    change?.significant == null ? null : String(change.significant),
    change?.places ?? null
  ]
  const family = (
    kind: string,
    figures: Record<string, Figure>,
    ranks?: Record<string, Rank>,
    changes?: Record<string, IndexChange>
  ) => Object.entries(figures).map(([code, f]) => line(kind, code, f, ranks?.[code], changes?.[code]))
  return [
    ...(u.overall ? [line('Chỉ số SIPAS', 'overall', u.overall, u, u.change)] : []),
    ...family('Yếu tố', u.factors, u.ranks?.factors, u.change?.factors),
    ...family('Tiêu chí', u.criteria, u.ranks?.criteria, u.change?.criteria),
    ...family('Hài lòng theo yếu tố', u.satisfaction),
    ...family('Nhận thức', u.perception),
    ...u.expectations.map((e) => line('Mong đợi', e.code, e))
  ]
}

/** Title and value lines: what the workbook is, whose decision approved it, how to read its numbers. */
function aboutLines(doc: PublicationDocument): Array<[string, string | number | null]> {
  const { campaign, publication } = doc
  const approval = publication.approval
  return [
    ['Đợt khảo sát', campaign.name],
    ['Năm', campaign.year],
    ['Phiên bản công bố', publication.version],
    ['Trạng thái', publication.status === 'published' ? 'Đã công bố' : 'Dự thảo, chưa phê duyệt'],
    ['Quyết định phê duyệt', approval ? `${approval.decisionNumber} ngày ${approval.decisionDate}` : null],
    ['Người ký', approval ? `${approval.approverName}, ${approval.approverPosition}` : null],
    ['Số phiếu được tính', doc.responses],
    ['Gia quyền', doc.weighting?.description ?? null],
    [
      'Cách đọc',
      'Giá trị là phần trăm, chưa làm tròn (chỉ làm tròn khi trình bày); KTC: khoảng tin cậy ở mức của đợt khảo sát.'
    ]
  ]
}

/** The headings of an overall index with its precision, then of the factors. */
const FIGURE_COLUMNS = ['SIPAS (%)', 'Sai số chuẩn (%)', 'Cận dưới KTC (%)', 'Cận trên KTC (%)']

/** An overall index with its precision, then each of `factors`: the cells under FIGURE_COLUMNS and the factors. */
const figureCells = (f: { overall: Figure | null; factors: Record<string, Figure> }, factors: string[]) => [
  f.overall?.estimate ?? null,
  f.overall?.se ?? null,
  f.overall?.ci?.[0] ?? null,
  f.overall?.ci?.[1] ?? null,
  ...factors.map((code) => f.factors[code]?.estimate ?? null)
]

/** One sheet per breakdown: each answer's respondents, and its overall index and factors unless suppressed. */
function breakdownSheet(workbook: ExcelJS.Workbook, b: Breakdown): void {
  const sheet = workbook.addWorksheet(sheetName(`Theo ${b.label}`), {
    views: [{ state: 'frozen', ySplit: 1 }]
  })
  const factors = [...new Set(b.categories.flatMap((c) => Object.keys(c.factors)))]
  sheet.addRow(['Mã', 'Trả lời', 'Số người trả lời', 'Ghi chú', ...FIGURE_COLUMNS, ...factors])
  sheet.getRow(1).font = { bold: true }
  for (const c of b.categories)
    sheet.addRow([
      c.value,
      c.label,
      c.respondents,
      c.suppressed ? `Không công bố: dưới ${b.minimumRespondents} người trả lời` : null,
      ...figureCells(c, factors)
    ])
  sheet.getColumn(2).width = 32
}

/** One sheet per peer group: the group's own figure, then its units ranked among themselves. */
function groupSheet(workbook: ExcelJS.Workbook, doc: PublicationDocument, group: GroupResult): void {
  const sheet = workbook.addWorksheet(sheetName(group.name), { views: [{ state: 'frozen', ySplit: 1 }] })
  const factors = Object.keys(group.factors)
  sheet.addRow([
    'Tên đơn vị',
    'Xếp hạng trong khối',
    'Khoảng xếp hạng',
    'Số người trả lời',
    ...FIGURE_COLUMNS,
    ...factors
  ])
  sheet.getRow(1).font = { bold: true }
  sheet.addRow([`${group.name} (cả khối)`, null, null, group.respondents, ...figureCells(group, factors)]).font = {
    bold: true
  }
  for (const id of group.units) {
    const u = doc.units.find((unit) => unit.unitId === id)
    if (!u) continue
    const interval = u.group?.rankInterval
    sheet.addRow([
      u.name,
      u.group?.rank ?? null,
      interval ? `${interval[0]}–${interval[1]}` : null,
      u.respondents ?? u.responses,
      ...figureCells(u, factors)
    ])
  }
  sheet.getColumn(1).width = 40
}

/** A sheet's name: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (name: string) => name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31)

/** The workbook: the ranking, every figure with its precision, and what the publication is. */
export async function publicationWorkbook(doc: PublicationDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.created = new Date(doc.publication.publishedAt ?? doc.publication.createdAt)
  const ranking = workbook.addWorksheet('Xếp hạng', { views: [{ state: 'frozen', ySplit: 1 }] })
  const rows = rankingRows(doc)
  // `responses` is `respondents` under its former name, kept in the CSV for integrators who read it.
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((key) => key !== 'responses')
  ranking.columns = keys.map((key) => ({ header: RANKING_HEADINGS[key] ?? key, key, width: key === 'name' ? 40 : 14 }))
  ranking.addRows(rows)
  const figures = workbook.addWorksheet('Chỉ số chi tiết', { views: [{ state: 'frozen', ySplit: 1 }] })
  figures.addRow(FIGURE_HEADINGS)
  figures.addRows([doc.province, ...doc.units].flatMap(figureLines))
  for (const group of doc.groups ?? []) groupSheet(workbook, doc, group)
  for (const breakdown of doc.breakdowns ?? []) breakdownSheet(workbook, breakdown)
  const about = workbook.addWorksheet('Thông tin')
  about.addRows(aboutLines(doc))
  about.getColumn(1).width = 24
  about.getColumn(2).width = 80
  for (const sheet of [ranking, figures]) sheet.getRow(1).font = { bold: true }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
