import type { CampaignResults, UnitResult } from './results.js'
import type { IndexChange, PublicationInfo } from '../schemas/results.js'

/** What the printable report shows besides the publication itself. */
export interface ReportInput {
  results: CampaignResults
  campaign: { name: string; year: number }
  publication: Pick<PublicationInfo, 'version' | 'createdAt' | 'publishedAt' | 'note' | 'approval'>
  factorNames: Record<string, string>
  /** The questionnaire's words for criteria and perception items (by code) and expectation options (by `code.value`). */
  itemTexts: Record<string, string>
}

const escape = (text: unknown): string => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
/** Vietnamese number format, two decimals, for display only (figures stay unrounded in the data). */
const pct = (value: number | null | undefined): string =>
  value === null || value === undefined
    ? '–'
    : value.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/** An interval's bounds in percent, as the tables write them (85,06 – 89,45); a dash without one. */
const interval = (ci: number[] | null | undefined): string => (ci ? `${pct(ci[0])} – ${pct(ci[1])}` : '–')

/** Counts with the Vietnamese thousands separator (24.011). */
const count = (n: number): string => n.toLocaleString('vi-VN')
/** The day in Vietnam, written as official documents write it (05/12/2026): an instant late on the 5th UTC is
 * already the 6th in Hà Nội. */
const day = (instant: string): string =>
  new Date(instant).toLocaleDateString('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric'
  })

/** A calendar date (yyyy-mm-dd) as official documents write it: 05/12/2026. */
const calendarDay = (date: string): string => date.split('-').reverse().join('/')

/**
 * Who approved the results, on which decision; or, for a draft, that it is one. A draft's mark is fixed, so
 * that Chromium prints it on every page (a fixed box repeats on each printed page).
 */
function approvalLines(publication: ReportInput['publication']): { mark: string; meta: string; approval: string } {
  const { approval } = publication
  if (!approval)
    return {
      mark: '<div class="draft-mark" id="draft-mark" aria-hidden="true">DỰ THẢO</div>',
      meta: `Dự thảo lần ${publication.version}, lập ngày ${day(publication.createdAt)} · chưa được phê duyệt, chưa công bố`,
      approval: ''
    }
  return {
    mark: '',
    meta: `Công bố lần ${publication.version}, ${day(publication.publishedAt ?? publication.createdAt)}`,
    approval: `<p class="meta" id="approval">Phê duyệt theo Quyết định số ${escape(approval.decisionNumber)} ngày ${calendarDay(approval.decisionDate)} · ${escape(approval.approverPosition)} ${escape(approval.approverName)}</p>`
  }
}

/** A target in percent as people write it: 90%, 84,01%. */
const targetLabel = (percent: number): string => (Number.isInteger(percent) ? `${percent}%` : `${pct(percent)}%`)

const STATUS: Record<string, string> = { met: 'Đạt', 'not-met': 'Chưa đạt', undetermined: 'Chưa xác định' }

/** Horizontal bars with their 95% interval and a line at each target (in percent), as inline SVG. */
function bars(rows: Array<{ label: string; estimate: number | null; ci: number[] | null }>, targets: number[]): string {
  const width = 820
  const left = 330
  // Room on the right for the value printed after a full bar.
  const scale = (v: number) => left + ((width - left - 60) * v) / 100
  // Two rows under the bars for the target labels, so that close targets (90% and 95%) do not overlap.
  const height = 26 * rows.length + 44
  const body = rows
    .map((row, i) => {
      const y = 10 + i * 26
      if (row.estimate === null)
        return `<text x="${left - 8}" y="${y + 14}" text-anchor="end">${escape(row.label)}</text>`
      // The interval with end caps, drawn over the bar so that a narrow one still shows.
      const whisker = row.ci
        ? `<path d="M${scale(row.ci[0])} ${y + 4}v10M${scale(row.ci[0])} ${y + 9}H${scale(row.ci[1])}M${scale(row.ci[1])} ${y + 4}v10" stroke="#1a202c" stroke-width="2" fill="none"/>`
        : ''
      return (
        `<text x="${left - 8}" y="${y + 14}" text-anchor="end">${escape(row.label)}</text>` +
        `<rect x="${left}" y="${y}" width="${scale(row.estimate) - left}" height="18" fill="#2b6cb0"/>${whisker}` +
        `<text x="${scale(row.estimate) + 4}" y="${y + 14}" class="value">${pct(row.estimate)}</text>`
      )
    })
    .join('')
  const COLOURS = ['#c05621', '#276749', '#6b46c1']
  let previousX = -Infinity
  let previousRow = 1
  const lines = [...targets]
    .sort((a, b) => a - b)
    .map((v, i) => {
      const x = scale(v)
      // A label too close to the one before it goes on the other row.
      const row = x - previousX < 48 ? 1 - previousRow : 0
      previousX = x
      previousRow = row
      return `<line x1="${x}" x2="${x}" y1="4" y2="${height - 32 + row * 13}" stroke="${COLOURS[i % COLOURS.length]}" stroke-dasharray="4 3"/><text x="${x}" y="${height - 19 + row * 13}" text-anchor="middle" class="axis">${targetLabel(v)}</text>`
    })
    .join('')
  // The width follows the page (the viewBox keeps the proportions); values are drawn over the target lines.
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img">${body}${lines}</svg>`
}

/**
 * A unit's change against last year (its frozen `change`: the change's interval at the campaign's level,
 * variances of the two campaigns added), as the report writes it: the change in points, starred when its
 * interval excludes 0, and the places gained (↑) or lost (↓).
 */
function changeCells(c: IndexChange | undefined): { change: string; places: string } {
  if (!c) return { change: '–', places: '–' }
  const places = c.places === null ? '–' : c.places > 0 ? `↑${c.places}` : c.places < 0 ? `↓${-c.places}` : '='
  return { change: `${c.estimate >= 0 ? '+' : ''}${pct(c.estimate)}${c.significant ? '*' : ''}`, places }
}

/** The province's factors against last year: that year's figure, this year's, and the change. */
function factorChangeTable(p: UnitResult, factorNames: Record<string, string>, year: number): string {
  const rows = Object.entries(p.change?.factors ?? {})
    .map(
      ([code, c]) =>
        `<tr><td>${escape(code)} ${escape(factorNames[code] ?? '')}</td><td class="n">${pct(c.previous)}</td><td class="n">${pct(p.factors[code]?.estimate)}</td><td class="n" data-factor-change="${escape(code)}">${changeCells(c).change}</td></tr>`
    )
    .join('')
  return rows
    ? `<table data-section="factor-changes"><thead><tr><th>Yếu tố</th><th>Năm ${year - 1} (%)</th><th>Năm ${year} (%)</th><th>Thay đổi (điểm %)</th></tr></thead><tbody>${rows}</tbody></table>`
    : ''
}

/** Suppressed categories beyond this many (a province's hundreds of procedures) are summed up in one row. */
const SUPPRESSED_ROWS = 3

/**
 * The province's figures by each profile item: a table per item, a suppressed answer said as such (too few
 * respondents for a figure), never left blank; many suppressed answers as one row saying how many and whom.
 */
function breakdownTables(breakdowns: CampaignResults['breakdowns']): string {
  if (!breakdowns || breakdowns.length === 0) return ''
  const tables = breakdowns.map((b) => {
    const tooFew = `dưới ${count(b.minimumRespondents)} người trả lời`
    const suppressed = b.categories.filter((c) => c.suppressed)
    const collapsed = suppressed.length > SUPPRESSED_ROWS
    const shown = collapsed ? b.categories.filter((c) => !c.suppressed) : b.categories
    const rest = collapsed
      ? `<tr><td>${count(suppressed.length)} nhóm khác</td><td class="n">${count(suppressed.reduce((n, c) => n + c.respondents, 0))}</td><td colspan="2" class="suppressed">không công bố: mỗi nhóm ${tooFew}</td></tr>`
      : ''
    const rows =
      shown
        .map(
          (c) =>
            `<tr><td>${escape(c.label)}</td><td class="n">${count(c.respondents)}</td>` +
            (c.suppressed
              ? `<td colspan="2" class="suppressed">không công bố: ${tooFew}</td>`
              : `<td class="n">${pct(c.overall?.estimate)}</td><td class="n">${interval(c.overall?.ci)}</td>`) +
            '</tr>'
        )
        .join('') + rest
    return `<h3>${escape(b.label)}</h3><table data-breakdown="${escape(b.variable)}"><thead><tr><th>Trả lời</th><th>Số người</th><th>Chỉ số (%)</th><th>Khoảng tin cậy 95%</th></tr></thead><tbody>${rows}</tbody></table>`
  })
  return `<h2>Chỉ số chung theo đặc điểm người trả lời</h2>${tables.join('')}`
}

/**
 * What the province's respondents perceived (trips, results on time, no extra charges, …) and what they want
 * improved first, the options ranked by the share that chose them.
 */
function perceptionAndExpectations(p: UnitResult, itemTexts: Record<string, string>): string {
  const perception = Object.entries(p.perception)
    .map(
      ([code, f]) =>
        `<tr><td>${escape(itemTexts[code] ?? code)}</td><td class="n">${pct(f.estimate)}</td><td class="n">${interval(f.ci)}</td></tr>`
    )
    .join('')
  const expectations = p.expectations
    .map(
      (e) =>
        `<tr><td class="n">${e.rank}</td><td>${escape(itemTexts[e.code] ?? e.code)}</td><td class="n">${pct(e.estimate)}</td><td class="n">${interval(e.ci)}</td></tr>`
    )
    .join('')
  return (
    (perception
      ? `<h2>Nhận xét của người dân về việc giải quyết hồ sơ</h2><table data-section="perception"><thead><tr><th>Nội dung</th><th>Tỷ lệ (%)</th><th>Khoảng tin cậy 95%</th></tr></thead><tbody>${perception}</tbody></table>`
      : '') +
    (expectations
      ? `<h2>Nội dung người dân mong muốn cải thiện</h2><table data-section="expectations"><thead><tr><th>Thứ tự</th><th>Nội dung</th><th>Tỷ lệ chọn (%)</th><th>Khoảng tin cậy 95%</th></tr></thead><tbody>${expectations}</tbody></table>`
      : '')
  )
}

const WEIGHTING: Record<string, string> = {
  stratified: 'trọng số N_h/r_h trong từng tầng của mẫu (phương pháp công bố)',
  unweighted: 'phiếu tự nguyện, không gia quyền: không phải mẫu xác suất',
  poststratify: 'hậu phân tầng theo tổng số hồ sơ của khung mẫu',
  linear: 'hiệu chỉnh GREG theo tổng số hồ sơ của khung mẫu',
  raking: 'hiệu chỉnh raking theo tổng số hồ sơ của khung mẫu'
}

/** Half the interval's width: the margin of error, in points. */
const margin = (u: UnitResult): string => (u.overall?.ci ? `±${pct((u.overall.ci[1] - u.overall.ci[0]) / 2)}` : '–')

/**
 * The annex of method: how many answered, at what response rate, how the answers were weighted and how sure
 * each figure is (the margin of error of each overall index at the campaign's level).
 */
function methodAnnex(results: CampaignResults): string {
  const p = results.province
  const { weighting, options } = results
  const lonely = (p.quality ?? []).filter((f) => f.code === 'lonely-psu')
  const margins = weighting?.margins?.length ? ` (${weighting.margins.map((m) => m.join(' × ')).join('; ')})` : ''
  const rows = [p, ...results.units]
    .map(
      (u) =>
        `<tr><td>${escape(u.name)}</td><td class="n">${count(u.respondents ?? u.responses)}</td>` +
        `<td class="n">${u.responseRate === null ? '–' : `${pct(u.responseRate * 100)}%`}</td><td class="n">${margin(u)}</td>` +
        `<td class="n">${count(u.quality?.find((f) => f.code === 'straight-lining')?.count ?? 0)}</td></tr>`
    )
    .join('')
  return `<h2 class="annex">Phụ lục: phương pháp</h2>
<ul>
<li>Số người trả lời: ${count(p.respondents ?? p.responses)}${p.responseRate === null ? '' : `; tỷ lệ phản hồi ${pct(p.responseRate * 100)}%`}.</li>
<li>Gia quyền: ${weighting ? `${WEIGHTING[weighting.method] ?? escape(weighting.method)}${escape(margins)}` : '–'}.</li>
<li>Khoảng tin cậy ${pct(options.level * 100)}% (phương pháp ${escape(options.interval)}), sai số chuẩn theo thiết kế mẫu (tuyến tính hoá Taylor); sai số biên của chỉ số chung toàn tỉnh: ${margin(p)} điểm %.</li>
<li>Khoảng hạng: tập tin cậy của thứ hạng (Mogstad, Romano, Shaikh & Wilhelm, 2024).</li>
${lonely.length === 0 ? '' : `<li>Tầng chỉ có một đơn vị mẫu chính (phương sai theo quy tắc ${escape(options.lonelyPsu)}): ${lonely.map((f) => escape(f.subject)).join(', ')}.</li>`}
</ul>
<table data-annex="units"><thead><tr><th>Đơn vị</th><th>Số người trả lời</th><th>Tỷ lệ phản hồi</th><th>Sai số biên (điểm %)</th><th>Phiếu chọn một mức cho mọi tiêu chí</th></tr></thead><tbody>${rows}</tbody></table>`
}

/**
 * One ranking table: rank (among all, or among the peers), figure, interval, rank set, change, PAR points; places
 * gained or lost only among all units (last year's ranking is of every unit).
 */
function rankingTable(units: UnitResult[], peers: boolean, attributes = ''): string {
  const rows = units
    .map((u) => {
      const rank = peers ? u.group?.rank : u.rank
      const rankInterval = peers ? u.group?.rankInterval : u.rankInterval
      const change = changeCells(u.change)
      return (
        `<tr><td>${rank ?? '–'}</td><td>${escape(u.name)}</td><td class="n">${count(u.respondents ?? u.responses)}</td>` +
        `<td class="n" data-unit="${escape(u.unitId)}">${pct(u.overall?.estimate)}</td><td class="n">${interval(u.overall?.ci)}</td>` +
        `<td class="n">${rankInterval ? `${rankInterval[0]}–${rankInterval[1]}` : '–'}</td><td class="n">${change.change}</td>${peers ? '' : `<td class="n">${change.places}</td>`}<td class="n">${u.parPoints === null ? '–' : pct(u.parPoints)}</td></tr>`
      )
    })
    .join('')
  return `<table${attributes}><thead><tr><th>Hạng</th><th>Đơn vị</th><th>Số phiếu</th><th>Chỉ số (%)</th><th>Khoảng tin cậy 95%</th><th>Khoảng hạng</th><th>Thay đổi (điểm %)</th>${peers ? '' : '<th>Thay đổi hạng</th>'}<th>Điểm PAR</th></tr></thead><tbody>${rows}</tbody></table>`
}

/**
 * The rankings: one of every unit; with peer groups (khối), each group's figure and a ranking of its units
 * among themselves (units in no group last, unranked).
 */
function rankingTables(results: CampaignResults): string {
  const groups = results.groups ?? []
  if (groups.length === 0) return `<h2>Xếp hạng các đơn vị</h2>${rankingTable(results.units, false)}`
  const summary = groups
    .map(
      (g) =>
        `<tr><td>${escape(g.name)}</td><td class="n">${count(g.units.length)}</td><td class="n">${count(g.respondents)}</td><td class="n" data-group="${escape(g.code)}">${pct(g.overall?.estimate)}</td><td class="n">${interval(g.overall?.ci)}</td><td>${g.targets.map((t) => `${targetLabel(t.target * 100)}: ${STATUS[t.status] ?? t.status}`).join('; ')}</td></tr>`
    )
    .join('')
  const members = (ids: string[]) => ids.flatMap((id) => results.units.filter((u) => u.unitId === id))
  const tables = groups.map(
    (g) =>
      `<h3>Xếp hạng ${escape(g.name)}</h3>${rankingTable(members(g.units), true, ` data-group-ranking="${escape(g.code)}"`)}`
  )
  const loose = results.units.filter((u) => !u.group)
  return (
    `<h2>Chỉ số theo khối</h2><table data-section="groups"><thead><tr><th>Khối</th><th>Số đơn vị</th><th>Số người trả lời</th><th>Chỉ số (%)</th><th>Khoảng tin cậy 95%</th><th>Mục tiêu</th></tr></thead><tbody>${summary}</tbody></table>` +
    `<h2>Xếp hạng các đơn vị trong từng khối</h2>${tables.join('')}` +
    (loose.length === 0 ? '' : `<h3>Đơn vị không thuộc khối nào</h3>${rankingTable(loose, true)}`)
  )
}

/**
 * Each unit's rank on every factor, its rank set in brackets: among its peers, group by group, when the campaign
 * has peer groups (as the units are ranked overall), else among every unit.
 */
function factorRankTables(results: CampaignResults, factorNames: Record<string, string>): string {
  const codes = Object.keys(results.province.factors)
  if (codes.length === 0 || results.units.every((u) => !u.ranks)) return ''
  const table = (units: UnitResult[], peers: boolean) => {
    const rows = units
      .map((u) => {
        const ranks = peers ? u.group?.ranks : u.ranks
        const cells = codes.map((code) => {
          const r = ranks?.factors[code]
          const set = r?.rankInterval ? ` (${r.rankInterval[0]}–${r.rankInterval[1]})` : ''
          // Places are counted among all units: beside a rank among them, not among peers.
          const places = peers ? '–' : changeCells(u.change?.factors?.[code]).places
          return `<td class="n">${r ? `${r.rank}${set}${places === '–' ? '' : ` ${places}`}` : '–'}</td>`
        })
        return `<tr data-factor-ranks="${escape(u.unitId)}"><td>${escape(u.name)}</td>${cells.join('')}</tr>`
      })
      .join('')
    return `<table><thead><tr><th>Đơn vị</th>${codes.map((code) => `<th>${escape(code)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`
  }
  const groups = results.groups ?? []
  const members = (ids: string[]) => ids.flatMap((id) => results.units.filter((u) => u.unitId === id))
  const legend = codes.map((code) => `${escape(code)}: ${escape(factorNames[code] ?? code)}`).join('; ')
  return (
    `<h2>Xếp hạng theo từng yếu tố</h2><p class="meta">Hạng của đơn vị theo chỉ số của từng yếu tố${groups.length === 0 ? '' : ' trong khối của mình'}; trong ngoặc: khoảng hạng 95%${groups.length === 0 ? '; ↑/↓: số bậc tăng/giảm so với năm trước' : ''}. ${legend}.</p>` +
    (groups.length === 0
      ? table(results.units, false)
      : groups.map((g) => `<h3>${escape(g.name)}</h3>${table(members(g.units), true)}`).join(''))
  )
}

/** The province's figure for each criterion, grouped by factor, with its interval. */
function criterionTable(p: UnitResult, factorNames: Record<string, string>, itemTexts: Record<string, string>): string {
  const rows = Object.entries(p.criteria)
    .map(([code, f]) => {
      const factor = code.split('.')[0]
      return `<tr><td>${escape(code)}</td><td>${escape(itemTexts[code] ?? factorNames[factor] ?? '')}</td><td class="n" data-criterion="${escape(code)}">${pct(f.estimate)}</td><td class="n">${interval(f.ci)}</td></tr>`
    })
    .join('')
  return rows
    ? `<h2>Chỉ số theo tiêu chí</h2><table data-section="criteria"><thead><tr><th>Mã</th><th>Tiêu chí</th><th>Chỉ số (%)</th><th>Khoảng tin cậy 95%</th></tr></thead><tbody>${rows}</tbody></table>`
    : ''
}

/**
 * Each unit's strengths and weaknesses: the criteria significantly above and below the province (with the
 * difference in points), what its respondents most want improved, and its data-quality flags.
 */
function strengthsAndWeaknesses(results: CampaignResults, itemTexts: Record<string, string>): string {
  const diagnosed = results.units.filter((u) => u.diagnosis)
  if (diagnosed.length === 0) return ''
  // The three furthest from the province on each side, by code (the criteria table names them); the others counted.
  const criteria = (u: UnitResult, codes: string[]) =>
    codes.length === 0
      ? '–'
      : codes
          .slice(0, 3)
          .map((code) => {
            const d = (u.diagnosis as NonNullable<UnitResult['diagnosis']>).differences[code]
            return `<span title="${escape(itemTexts[code] ?? '')}">${escape(code)}</span> (${d.estimate >= 0 ? '+' : ''}${pct(d.estimate)})`
          })
          .join(', ') + (codes.length > 3 ? ` và ${codes.length - 3} tiêu chí khác` : '')
  const rows = diagnosed
    .map((u) => {
      const diagnosis = u.diagnosis as NonNullable<UnitResult['diagnosis']>
      const wish = u.expectations[0]
      const straight = (u.quality ?? []).find((f) => f.code === 'straight-lining')
      return (
        `<tr data-diagnosis="${escape(u.unitId)}"><td>${escape(u.name)}</td><td>${criteria(u, diagnosis.strengths)}</td><td>${criteria(u, diagnosis.weaknesses)}</td>` +
        `<td>${wish ? `${escape(itemTexts[wish.code] ?? wish.code)} (${pct(wish.estimate)}%)` : '–'}</td>` +
        `<td>${straight && straight.count > 0 ? `${count(straight.count)} phiếu chọn một mức cho mọi tiêu chí` : '–'}</td></tr>`
      )
    })
    .join('')
  return `<h2>Điểm mạnh, điểm yếu của từng đơn vị</h2>
<p class="meta">Tiêu chí cao hơn (điểm mạnh) hoặc thấp hơn (cần cải thiện) chỉ số của toàn tỉnh có ý nghĩa thống kê: khoảng tin cậy 95% của chênh lệch không chứa 0 (sai số chuẩn tính cả hiệp phương sai giữa đơn vị và toàn tỉnh). Mã tiêu chí như bảng chỉ số theo tiêu chí; trong ngoặc: chênh lệch, điểm %.</p>
<table data-section="diagnosis"><thead><tr><th>Đơn vị</th><th>Điểm mạnh</th><th>Cần cải thiện</th><th>Mong muốn hàng đầu</th><th>Lưu ý về dữ liệu</th></tr></thead><tbody>${rows}</tbody></table>`
}

/** The printable report of a publication, in Vietnamese: server-rendered HTML with inline SVG, no script. */
export function reportHtml(input: ReportInput): string {
  const { results, campaign, publication, factorNames, itemTexts } = input
  const approval = approvalLines(publication)
  const p = results.province
  const factorRows = Object.entries(p.factors).map(([code, f]) => ({
    label: `${code} ${factorNames[code] ?? ''}`,
    estimate: f.estimate,
    ci: f.ci
  }))
  const unitRows = results.units
    .filter((u) => u.overall)
    .map((u) => ({ label: u.name, estimate: u.overall?.estimate ?? null, ci: u.overall?.ci ?? null }))
  const rankings = rankingTables(results)
  // The chart lines are the province's targets: those of single units would mislead on the other bars.
  const targetLines = p.targets.map((t) => t.target * 100)
  const targets = p.targets
    .map(
      (t) =>
        `<li>Mục tiêu ${targetLabel(t.target * 100)}${t.name ? ` (${escape(t.name)})` : ''}: <strong>${STATUS[t.status] ?? t.status}</strong> (chênh lệch ${pct(t.gap * 100)} điểm %)</li>`
    )
    .join('')
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${escape(campaign.name)}</title>
<style>
body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:2rem;color:#1a202c;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #cbd5e0}
.headline{font-size:3rem;font-weight:700;color:#2b6cb0}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #cbd5e0;padding:.3rem .5rem;text-align:left}td.n{text-align:right}td.suppressed{color:#4a5568;font-style:italic}table[data-breakdown]{table-layout:fixed}h3{font-size:1rem}table{break-inside:auto}tr{break-inside:avoid}
svg text{font-size:12px}svg .value{font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}svg .axis{fill:#4a5568}
.meta{color:#4a5568;font-size:.9rem}@media print{body{margin:1cm}h2{break-after:avoid}h2.annex{break-before:page}}
.draft-mark{position:fixed;top:40%;left:0;right:0;text-align:center;font-size:7rem;font-weight:700;letter-spacing:.2em;color:rgb(200,30,30);opacity:.15;transform:rotate(-30deg);pointer-events:none}
</style></head><body>${approval.mark}
<h1>${escape(campaign.name)}</h1>
<p class="meta">Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) năm ${campaign.year} · ${approval.meta}${publication.note ? ` · ${escape(publication.note)}` : ''} · ${count(results.responses)} phiếu${results.probability ? '' : ' · mẫu không xác suất: không có khoảng tin cậy'}</p>
${approval.approval}
<h2>Chỉ số chung của ${escape(p.name)}</h2>
<p class="headline" id="headline" data-value="${p.overall?.estimate ?? ''}">${pct(p.overall?.estimate)}%</p>
<p>Khoảng tin cậy 95%: ${p.overall?.ci ? `${pct(p.overall.ci[0])}% – ${pct(p.overall.ci[1])}%` : '–'} · Thay đổi so với năm trước: ${changeCells(p.change).change} điểm %</p>
${results.provinceFigure?.method === 'mean-of-groups' ? `<p id="province-figure">Chỉ số chung của tỉnh là trung bình cộng chỉ số của ${results.groups?.length ?? 0} khối (không gia quyền theo số người trả lời).</p>` : ''}
<ul>${targets}</ul>
<h2>Chỉ số theo yếu tố</h2>
${bars(factorRows, targetLines)}
${factorChangeTable(p, factorNames, campaign.year)}
${criterionTable(p, factorNames, itemTexts)}
${perceptionAndExpectations(p, itemTexts)}
${rankings}
${factorRankTables(results, factorNames)}
<h2>Chỉ số chung theo đơn vị</h2>
${bars(unitRows, targetLines)}
${strengthsAndWeaknesses(results, itemTexts)}
${breakdownTables(results.breakdowns)}
<p class="meta">Thay đổi so với năm trước: * khác biệt có ý nghĩa thống kê (khoảng tin cậy của chênh lệch không chứa 0; hai đợt khảo sát độc lập); không đánh dấu khi số liệu năm trước không có sai số chuẩn (nhập từ quyết định công bố). ↑/↓: số bậc tăng/giảm so với xếp hạng năm trước.</p>
${methodAnnex(results)}
<p class="meta">Chỉ số tính theo phương pháp của QĐ 2640/QĐ-BNV; sai số chuẩn theo thiết kế mẫu. Số liệu làm tròn để hiển thị; xếp hạng dùng giá trị chưa làm tròn.</p>
</body></html>`
}
