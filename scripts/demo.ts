/**
 * A synthetic province end to end, through the public API: units, a sampled campaign, its frame, the draw,
 * ~20,000 responses posted in batches, the computation and the publication; then the URLs to open.
 *
 *   npm run demo                                        an embedded service (in memory) on port 3000, or on a
 *                                                       free port when 3000 is taken
 *   PORT=4000 npm run demo                              the embedded service on that port, or a clear refusal
 *   API=http://host:3000 ADMIN_API_KEY=… npm run demo   against a running service
 *   npm run demo -- --exit                              stop the embedded service at the end (scripts/demo-count.ts)
 *
 * Every request honours `Retry-After` on 503 and 429 (scripts/retrying-fetch.ts).
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { parseConfig } from '../src/config.js'
import { retryingFetch } from './retrying-fetch.js'

const PROVINCE = '25'
const UNITS = 24
const FRAME_PER_UNIT = 2500

function fail(message: string): never {
  console.error(`demo: ${message}`)
  process.exit(2)
}

async function listen(app: FastifyInstance): Promise<string> {
  const chosen = process.env.PORT
  try {
    return await app.listen({ port: Number(chosen ?? 3000), host: '127.0.0.1' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    if (chosen)
      fail(`port ${chosen} is taken (another service?); choose another PORT, or leave PORT unset for a free one`)
    console.log(
      '  port 3000 is taken (is `npm start` running? then API=http://localhost:3000 uses it); a free port instead'
    )
    return await app.listen({ port: 0, host: '127.0.0.1' })
  }
}

let api = process.env.API?.replace(/\/+$/, '')
let key = process.env.ADMIN_API_KEY
let embedded: FastifyInstance | undefined
if (!api) {
  key = randomBytes(24).toString('hex')
  embedded = await buildApp({
    config: parseConfig({ dataDir: 'memory://demo', adminApiKey: key, logLevel: 'warn' })
  })
  await embedded.ready()
  await embedded.databaseReady
  api = await listen(embedded)
  process.on('SIGINT', () => {
    void embedded?.close().then(() => process.exit(0))
  })
}
if (!key) fail('API is set, so ADMIN_API_KEY must be too: the administrator key that service was started with')

async function call<T = any>(method: string, path: string, body?: unknown, type = 'application/json'): Promise<T> {
  const res = await retryingFetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': type }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await res.text()
  // 409 is expected once: the national tree is already loaded on a service that ran the demo before.
  if (!res.ok && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return (text ? JSON.parse(text) : null) as T
}

const step = (text: string) => console.log(`\n▶ ${text}`)
const bar = (done: number, total: number, label: string) => {
  const width = 30
  const filled = Math.round((width * done) / total)
  process.stdout.write(
    `\r  [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done.toLocaleString('vi-VN')}/${total.toLocaleString('vi-VN')} ${label}   `
  )
  if (done === total) process.stdout.write('\n')
}

// A small deterministic PRNG, so every demo shows the same province.
let state = 20260
const random = () => {
  state = (state * 1103515245 + 12345) % 2147483648
  return state / 2147483648
}
/** An index drawn with the given shares (adding up to 1). */
const pick = (shares: number[]) => {
  let u = random()
  const k = shares.findIndex((share) => (u -= share) < 0)
  return k === -1 ? shares.length - 1 : k
}

/** The demo's peer groups: wards (phường) and communes (xã), by the unit's full name. */
function peerGroups(units: Array<{ id: string; fullName: string }>) {
  const wards = units.filter((u) => u.fullName.startsWith('Phường')).map((u) => u.id)
  const rural = units.filter((u) => !wards.includes(u.id)).map((u) => u.id)
  return [
    { code: 'phuong', name: 'Khối phường', units: wards },
    { code: 'xa', name: 'Khối xã', units: rural }
  ].filter((g) => g.units.length > 0)
}

step('National tree of administrative units (34 provinces, 3,321 communes)')
await call('POST', '/v1/units/seed/vn-2025')
const [province] = await call('GET', `/v1/units?code=${PROVINCE}`)
const communes = (await call('GET', `/v1/units?parentId=${province.id}&level=commune&limit=1000`)).slice(0, UNITS)
console.log(`  ${province.fullName}: ${communes.length} communes measured`)

step('Campaign 2026 on the standard questionnaire')
const campaign = await call('POST', '/v1/campaigns', {
  name: `Đo lường SIPAS ${province.fullName} năm 2026 (minh hoạ)`,
  year: 2026,
  provinceId: province.id,
  instrument: { code: 'SIPAS-2017', version: 1 },
  units: communes.map((c: { id: string }) => c.id),
  periodStart: '2025-10-01',
  periodEnd: '2026-09-30',
  collectionStart: '2026-10-01',
  collectionEnd: '2026-11-30',
  parRule: { kind: 'linear', maxPoints: 38 },
  // Wards and communes are ranked among their peers (khối), as provinces publish them.
  groups: peerGroups(communes),
  targets: [
    { value: 0.85, name: 'Kế hoạch của UBND tỉnh năm 2026' },
    { value: 0.9, name: 'Nghị quyết 76/NQ-CP, 2025' }
  ]
})

step('Sampling frame from the one-stop shops (portal format)')
// A commune's everyday procedures in their fields, with how often each is done and how it is received (land
// registration least well, certification best). Codes and names are illustrative.
const PROCEDURES = [
  { code: '1.001193', name: 'Đăng ký khai sinh', field: 'HO-TICH', share: 0.3, effect: 0.02 },
  { code: '1.000894', name: 'Đăng ký kết hôn', field: 'HO-TICH', share: 0.12, effect: 0.03 },
  { code: '1.000656', name: 'Đăng ký khai tử', field: 'HO-TICH', share: 0.08, effect: 0 },
  { code: '2.000815', name: 'Chứng thực bản sao từ bản chính', field: 'CHUNG-THUC', share: 0.25, effect: 0.04 },
  { code: '2.000884', name: 'Chứng thực chữ ký', field: 'CHUNG-THUC', share: 0.1, effect: 0.03 },
  { code: '1.003554', name: 'Đăng ký biến động đất đai', field: 'DAT-DAI', share: 0.1, effect: -0.1 },
  { code: '1.001776', name: 'Trợ cấp xã hội hằng tháng', field: 'BAO-TRO-XA-HOI', share: 0.05, effect: -0.03 }
]
const procedureOf = new Map<string, (typeof PROCEDURES)[number]>()
const frame: string[] = []
communes.forEach((c: { code: string }, u: number) => {
  for (let i = 0; i < FRAME_PER_UNIT; i++) {
    const dossier = `H48.${c.code}-${String(i).padStart(5, '0')}`
    const procedure = PROCEDURES[pick(PROCEDURES.map((p) => p.share))]
    procedureOf.set(dossier, procedure)
    frame.push(
      JSON.stringify({
        MaHoSo: dossier,
        MaTTHC: `${procedure.code}.000.00.00.H48`,
        TenTTHC: procedure.name,
        MaLinhVuc: procedure.field,
        KenhThucHien: String(1 + ((i + u) % 2)),
        LoaiDoiTuong: i % 7 === 0 ? '2' : '1',
        SoDienThoai: `09${String(u * 100000 + i).padStart(8, '0')}`,
        NgayTra: `2026${String(1 + (i % 9)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}100000`,
        TrangThaiHoSo: i % 20 === 0 ? '4' : '10',
        DonViXuLy: c.code
      })
    )
  }
})
const uploaded = await call('POST', `/v1/campaigns/${campaign.id}/frame`, frame.join('\n'), 'application/x-ndjson')
console.log(
  `  ${uploaded.accepted} records in the frame, ${uploaded.leftOut['not-finished'] ?? 0} unfinished dossiers left out`
)

step('Sample design and draw (Yamane, at least 1,000 per commune, 85% response expected)')
await call('POST', `/v1/campaigns/${campaign.id}/transitions`, { to: 'sampling' })
const design = await call('POST', `/v1/campaigns/${campaign.id}/sample-design`, {
  minimumPerUnit: 1000,
  expectedResponseRate: 0.85,
  reserveRate: 0.2
})
const drawn = await call('POST', `/v1/campaigns/${campaign.id}/sample`, { seed: 'demo-2026' })
console.log(
  `  ${design.sampleSize} to draw from ${design.populationSize}; ${drawn.main} drawn, ${drawn.reserves} reserves (seed ${drawn.seed})`
)
await call('POST', `/v1/campaigns/${campaign.id}/transitions`, { to: 'collecting' })

step('Responses posted in batches')
const slots: Array<{ id: string; stratum: string }> = await call('GET', `/v1/campaigns/${campaign.id}/sample?role=main`)
const criteria = (await call('GET', '/v1/instruments/SIPAS-2017/versions/1')).definition.items
  .filter((i: { kind: string }) => i.kind === 'criterion')
  .map((i: { code: string }) => i.code)
const unitQuality = new Map(communes.map((c: { code: string }) => [c.code, 0.72 + 0.25 * random()]))
// Each commune its own strengths and weaknesses: every criterion a little off its level, one far below it.
const criterionEffect = new Map(
  communes.map((c: { code: string }) => {
    const weak = criteria[Math.floor(random() * criteria.length)]
    return [
      c.code,
      Object.fromEntries(criteria.map((code: string) => [code, 0.08 * (random() - 0.5) - (code === weak ? 0.15 : 0)]))
    ]
  })
)
// As published SIPAS results go: procedures (F2) and the handling of feedback (F5) lowest; online and phone
// submissions less satisfied than at the counter; older respondents more satisfied than younger ones.
const FACTOR_EFFECT: Record<string, number> = { F1: 0.03, F2: -0.07, F3: 0.03, F4: 0.01, F5: -0.09 }
const CHANNEL_SHARE = [0.62, 0.25, 0.08, 0.05]
const CHANNEL_EFFECT = [0.02, -0.06, 0, -0.04]
const AGE_SHARE = [0.12, 0.28, 0.27, 0.23, 0.1]
const AGE_EFFECT = [-0.05, -0.02, 0, 0.02, 0.04]
const IMPROVEMENT_SHARE = [0.07, 0.08, 0.1, 0.22, 0.17, 0.12, 0.09, 0.15]
const answering = (slots as Array<{ id: string; stratum: string; dossierCode: string }>).filter(() => random() < 0.85)
const responses = answering.map((slot, i) => {
  const unit = slot.stratum.split('|')[0]
  const channel = pick(CHANNEL_SHARE)
  const age = pick(AGE_SHARE)
  // Each respondent's answers move together, as a person's do.
  const base =
    (unitQuality.get(unit) as number) +
    CHANNEL_EFFECT[channel] +
    AGE_EFFECT[age] +
    (procedureOf.get(slot.dossierCode)?.effect ?? 0) +
    0.16 * (random() - 0.5)
  const answers: Record<string, number> = { GENDER: 1 + Number(random() < 0.48), AGE: 1 + age, CHANNEL: 1 + channel }
  // Perception (1: yes, 2: no) and up to three improvements wanted, simplification and feedback most often.
  const yes = (p: number) => (random() < Math.min(0.99, p) ? 1 : 2)
  Object.assign(answers, { 'P.TRIPS': yes(base + 0.08), 'P.ONTIME': yes(base + 0.1), 'P.NOBRIBE': yes(0.97) })
  const wanted = new Set<number>()
  for (let k = 1 + Math.floor(3 * random()); wanted.size < k;) wanted.add(1 + pick(IMPROVEMENT_SHARE))
  const picks: Record<string, number | number[]> = { 'E.IMPROVE': [...wanted].sort((a, b) => a - b) }
  for (const code of criteria) {
    const x = random()
    const effect = FACTOR_EFFECT[code.split('.')[0]] + (criterionEffect.get(unit) as Record<string, number>)[code]
    const p = Math.min(0.98, Math.max(0.05, base + effect))
    answers[code] = x < 0.03 ? 0 : x < p ? 4 + Number(random() < 0.5) : 1 + Math.floor(random() * 3)
  }
  return {
    campaignId: campaign.id,
    unit,
    externalId: `demo-${i}`,
    channel: 'interview',
    collectedAt: '2026-10-20T09:00:00+07:00',
    sampleSlotId: slot.id,
    answers: { ...answers, ...picks }
  }
})
for (let i = 0; i < responses.length; i += 2000) {
  await call(
    'POST',
    '/v1/responses/batch',
    responses
      .slice(i, i + 2000)
      .map((r) => JSON.stringify(r))
      .join('\n'),
    'application/x-ndjson'
  )
  bar(Math.min(i + 2000, responses.length), responses.length, 'responses')
}

step('Computation, draft publication and its approval')
await call('POST', `/v1/campaigns/${campaign.id}/transitions`, { to: 'closed' })
const computation = await call('POST', `/v1/campaigns/${campaign.id}/computations`)
// Last year's published figures, overall and by factor (made up here, from a decision before the service), join
// each unit's series; imported before the draft, which compares each unit with them.
await call('POST', '/v1/history', {
  provinceId: province.id,
  year: campaign.year - 1,
  source: `Quyết định công bố Chỉ số SIPAS năm ${campaign.year - 1} (minh hoạ)`,
  figures: [computation.results.province, ...computation.results.units]
    .filter((u: { overall: { estimate: number } | null }) => u.overall)
    .flatMap((u: { unitId: string; overall: { estimate: number }; factors: Record<string, { estimate: number }> }) =>
      [['overall', u.overall] as const, ...Object.entries(u.factors)].map(([index, figure]) => ({
        unitId: u.unitId,
        index,
        estimate: Math.min(100, Math.max(0, figure.estimate - 4 + 6 * random()))
      }))
    )
})
const draft = await call('POST', `/v1/campaigns/${campaign.id}/publications`, { computationId: computation.id })
// The demo records the approval itself, with a made-up decision of the Provincial People's Committee dated today.
const publication = await call('POST', `/v1/campaigns/${campaign.id}/publications/${draft.id}/approval`, {
  approverName: 'Nguyễn Văn A (minh hoạ)',
  approverPosition: `Chủ tịch Ủy ban nhân dân ${province.fullName}`,
  decisionNumber: '9999/QĐ-UBND (minh hoạ)',
  decisionDate: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' })
})
const overall = computation.results.province.overall
console.log(
  `  ${province.fullName}: ${overall.estimate.toFixed(2)}% (95% CI ${overall.ci[0].toFixed(2)}–${overall.ci[1].toFixed(2)}), ${computation.responses} responses`
)

console.log(`
Open:
  ${api}/v1/public/publications/${publication.id}/report      the printable report
  ${api}/v1/public/publications/${publication.id}              the published figures (JSON; ?format=csv, ?format=xlsx)
  ${api}/v1/public/publications/${publication.id}/units/${communes[0].id}   one commune
  ${api}/v1/public/units/${communes[0].id}/series               its series, last year's imported
  ${api}/docs                                                  the API
${embedded ? `Administrator key of this demo service: ADMIN_API_KEY=${key}\nCtrl-C stops it.` : ''}`)
if (embedded && process.argv.includes('--exit')) await embedded.close()
