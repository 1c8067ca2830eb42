import t, { type Test } from 'tap'
import type { App } from '../../src/app.js'
import { buildTestApp } from '../helpers/app.js'
import { admin, campaignInput, seedProvince } from '../helpers/province.js'
import { response } from '../helpers/collecting.js'
import { designOfBatch, MISSING, type ResponseBatch } from '../../src/scoring/batch.js'
import { calibrateWeights, type CalibrationSpec, type Margin } from '../../src/scoring/calibration.js'
import { computeIndices, type DomainResult } from '../../src/scoring/compute.js'
import { answerColumns } from '../../src/scoring/instrument.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

const UNITS = ['08500', '08501', '08502']
const CHANNELS = ['in-person', 'online', 'post']
const SUBJECTS = ['citizen', 'business']
const COLUMNS = answerColumns(STANDARD_INSTRUMENT)
const CRITERIA = STANDARD_INSTRUMENT.items.filter((item) => item.kind === 'criterion').map((item) => item.code)

/** A frame record: its dossier code and the indices of its unit, channel and subject type. */
interface Rec {
  code: string
  unit: number
  channel: number
  subject: number
}

/** 720 dossiers, 240 per commune, the three channels alike, a fifth of them businesses. */
const RECORDS: Rec[] = Array.from({ length: 720 }, (_, i) => ({
  code: `HS-${String(i).padStart(4, '0')}`,
  unit: i % 3,
  channel: Math.floor(i / 3) % 3,
  subject: i % 5 === 0 ? 1 : 0
}))
const BY_CODE = new Map(RECORDS.map((r) => [r.code, r]))

const frameNdjson = () =>
  RECORDS.map((r, i) =>
    JSON.stringify({
      MaHoSo: r.code,
      MaTTHC: '1.001612.000.00.00.H48',
      KenhThucHien: String(1 + r.channel),
      LoaiDoiTuong: String(1 + r.subject),
      NgayTra: `202511${String(1 + (i % 28)).padStart(2, '0')}100000`,
      TrangThaiHoSo: '10',
      DonViXuLy: UNITS[r.unit]
    })
  ).join('\n')

/** Criterion answers more often satisfied online and by businesses: calibration to those margins matters. */
function answersFor(rec: Rec, i: number): Record<string, number> {
  const answers: Record<string, number> = {}
  CRITERIA.forEach((code, k) => {
    const x = (i * 7 + k * 3 + rec.unit * 5) % 10
    answers[code] = x < 1 ? 0 : x < 1 + rec.channel + 2 * (1 - rec.subject) ? 2 : x < 7 ? 4 : 5
  })
  return answers
}

const post = async (app: App, url: string, payload?: object) =>
  await app.inject({ method: 'POST', url, headers: admin, payload })

/** A campaign of the seeded province with the frame above, moved to sampling (sampled) or collecting (not). */
async function campaignWithFrame(app: App, ids: Awaited<ReturnType<typeof seedProvince>>, over = {}) {
  const created = await post(
    app,
    '/v1/campaigns',
    campaignInput(ids, { channels: ['interview', 'post-transaction'], ...over })
  )
  if (created.statusCode !== 201) throw new Error(created.body)
  const url = `/v1/campaigns/${created.json().id}`
  const up = await app.inject({
    method: 'POST',
    url: `${url}/frame`,
    headers: { ...admin, 'content-type': 'application/x-ndjson' },
    payload: frameNdjson()
  })
  if (up.statusCode !== 201) throw new Error(up.body)
  return { id: created.json().id as string, url }
}

/** The sampled campaign drawn (strata unit × channel) and collecting, with its slots and design. */
async function sampledCampaign(app: App, ids: Awaited<ReturnType<typeof seedProvince>>, over = {}) {
  const { id, url } = await campaignWithFrame(app, ids, over)
  await post(app, `${url}/transitions`, { to: 'sampling' })
  const design = await post(app, `${url}/sample-design`, {
    stratifyBy: 'unit-channel',
    minimumPerUnit: 40,
    expectedResponseRate: 0.8
  })
  if (design.statusCode !== 201 && design.statusCode !== 200) throw new Error(design.body)
  const drawn = await post(app, `${url}/sample`, { seed: 'after-service' })
  if (drawn.statusCode !== 201) throw new Error(drawn.body)
  await post(app, `${url}/transitions`, { to: 'collecting' })
  const slots = (await app.inject({ method: 'GET', url: `${url}/sample`, headers: admin })).json() as Array<{
    id: string
    dossierCode: string
    stratum: string
    role: string
  }>
  const strata = (await app.inject({ method: 'GET', url: `${url}/sample-design`, headers: admin })).json()
    .strata as Array<{ stratum: string; populationSize: number }>
  return { id, url, slots, strata }
}

interface Posted {
  rec: Rec | null
  answers: Record<string, number>
  slot?: { id: string; stratum: string }
}

/**
 * The mix every campaign gets: four of five main slots answered, 60 ratings of dossiers that were not drawn
 * (communes 08500 and 08501 only), 6 without a dossier code and 4 with a code the frame lacks.
 */
function mix(campaignId: string, slots: Array<{ id: string; dossierCode: string; stratum: string; role: string }>) {
  const drawn = new Set(slots.map((s) => s.dossierCode))
  const sample: Posted[] = slots
    .filter((s, i) => s.role === 'main' && i % 5 !== 0)
    .map((s, i) => {
      const rec = BY_CODE.get(s.dossierCode)!
      return { rec, answers: answersFor(rec, i), slot: s }
    })
  // Five in each unit × channel × subject type cell of the two communes.
  const afterService: Posted[] = [0, 1]
    .flatMap((unit) =>
      [0, 1, 2].flatMap((channel) =>
        [0, 1].flatMap((subject) =>
          RECORDS.filter(
            (r) => !drawn.has(r.code) && r.unit === unit && r.channel === channel && r.subject === subject
          ).slice(0, 5)
        )
      )
    )
    .map((rec, i) => ({ rec, answers: answersFor(rec, 1000 + i) }))
  const unlinked: Posted[] = Array.from({ length: 10 }, (_, i) => ({
    rec: null,
    answers: answersFor(RECORDS[i], 2000 + i)
  }))
  const records = [
    ...sample.map((p, i) =>
      response(campaignId, {
        unit: UNITS[p.rec!.unit],
        channel: 'interview',
        sampleSlotId: p.slot!.id,
        externalId: `S-${i}`,
        answers: p.answers
      })
    ),
    ...afterService.map((p, i) =>
      response(campaignId, {
        unit: UNITS[p.rec!.unit],
        channel: 'post-transaction',
        dossierCode: p.rec!.code,
        externalId: `A-${i}`,
        answers: p.answers
      })
    ),
    ...unlinked.map((p, i) =>
      response(campaignId, {
        unit: UNITS[i % 3],
        channel: 'post-transaction',
        externalId: `U-${i}`,
        answers: p.answers,
        ...(i < 4 ? { dossierCode: `NOT-IN-FRAME-${i}` } : {})
      })
    )
  ]
  return { sample, afterService, unlinked, records }
}

async function postAll(t: Test, app: App, records: unknown[]) {
  const posted = (await post(app, '/v1/responses/batch', records)).json()
  t.equal(posted.accepted, records.length, 'every response accepted')
}

/** A batch of posted rows for the scoring core, in the order given. */
function batchOf(rows: Posted[], unitIds: string[], unitOf: (p: Posted) => number): ResponseBatch {
  const K = COLUMNS.length
  const answers = new Uint8Array(rows.length * K).fill(MISSING)
  rows.forEach((p, i) => {
    for (const [code, v] of Object.entries(p.answers)) answers[i * K + COLUMNS.indexOf(code)] = v
  })
  return {
    columns: COLUMNS,
    size: rows.length,
    answers,
    unit: Uint32Array.from(rows, unitOf),
    units: unitIds,
    stratum: null,
    psu: null,
    weight: null
  }
}

/** The frame's totals of each margin over the records `keep` accepts, with unit ids for units. */
function margins(by: string[][], unitIds: string[], keep: (r: Rec) => boolean = () => true): Margin[] {
  const valueOf = (r: Rec, v: string) =>
    v === 'unit' ? unitIds[r.unit] : v === 'channel' ? CHANNELS[r.channel] : SUBJECTS[r.subject]
  return by.map((vars) => {
    const totals = new Map<string, { values: string[]; N: number }>()
    for (const r of RECORDS.filter(keep)) {
      const values = vars.map((v) => valueOf(r, v))
      const cell = totals.get(values.join('|')) ?? { values, N: 0 }
      cell.N++
      totals.set(values.join('|'), cell)
    }
    return { by: vars, totals: [...totals.values()] }
  })
}

const variablesOf = (rows: Posted[]) => ({
  channel: rows.map((p) => CHANNELS[p.rec!.channel]),
  subjectType: rows.map((p) => SUBJECTS[p.rec!.subject])
})

const TOL = 1e-9
const close = (a: number | null | undefined, b: number | null | undefined) =>
  a != null && b != null && Math.abs(a - b) <= TOL * Math.max(Math.abs(b), 1)

interface DocFigure {
  estimate: number | null
  se: number | null
  ci: [number, number] | null
  df: number | null
  nonProbability?: true
}

/** Every overall, factor and criterion figure of a document unit equals the core's, in percent, to 1e-9. */
function sameFigures(t: Test, doc: Record<string, unknown>, direct: DomainResult, what: string) {
  let compared = 0
  let differing: string[] = []
  for (const index of direct.indices) {
    const group =
      index.kind === 'overall'
        ? { overall: doc.overall }
        : index.kind === 'factor'
          ? (doc.factors as object)
          : index.kind === 'criterion'
            ? (doc.criteria as object)
            : null
    if (group === null || index.estimate === null) continue
    const got = (group as Record<string, DocFigure>)[index.kind === 'overall' ? 'overall' : index.code]
    compared++
    const ok =
      close(got?.estimate, index.estimate * 100) &&
      close(got?.se, index.se! * 100) &&
      got?.df === index.df &&
      (index.ci === null
        ? got?.ci === null
        : close(got?.ci?.[0], index.ci.lower * 100) && close(got?.ci?.[1], index.ci.upper * 100))
    if (!ok) differing.push(`${index.code}: ${JSON.stringify(got)} vs ${JSON.stringify(index)}`)
  }
  t.ok(compared >= 1 + 5 + 22, `${what}: ${compared} figures compared`)
  t.same(differing, [], `${what}: every figure equals the scoring core's`)
  differing = []
}

t.test('how responses count, the after-service index and GREG of the official sample', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await seedProvince(app)
  const communes = ids.communes
  const options = scoringOptions()

  t.test('bad weighting options are refused, naming the field', async (t) => {
    const twoMargins = await post(
      app,
      '/v1/campaigns',
      campaignInput(ids, { afterService: { method: 'poststratify', margins: [['unit'], ['channel']] } })
    )
    t.equal(twoMargins.statusCode, 422)
    t.match(twoMargins.json(), {
      type: '/problems/campaign-invalid',
      errors: [{ pointer: '/afterService/margins', detail: /one margin/ }]
    })
    const unsampled = await post(
      app,
      '/v1/campaigns',
      campaignInput(ids, { sampled: false, calibration: { method: 'linear', margins: [['unit']] } })
    )
    t.equal(unsampled.statusCode, 422)
    t.match(unsampled.json(), { type: '/problems/campaign-invalid', errors: [{ pointer: '/calibration' }] })
    const unknown = await post(
      app,
      '/v1/campaigns',
      campaignInput(ids, { calibration: { method: 'linear', margins: [['unit', 'district']] } })
    )
    t.equal(unknown.statusCode, 400)
    t.match(unknown.json(), { type: '/problems/invalid-request', errors: [{ pointer: /^\/calibration/ }] })
    const method = await post(
      app,
      '/v1/campaigns',
      campaignInput(ids, { afterService: { method: 'greg', margins: [['unit']] } })
    )
    t.equal(method.statusCode, 400)
    t.match(method.json(), { errors: [{ pointer: /^\/afterService/ }] })
  })

  // The published method (N_h/r_h), and the after-service index by default: post-stratified by unit.
  const plain = await sampledCampaign(app, ids)
  const plainMix = mix(plain.id, plain.slots)
  await postAll(t, app, plainMix.records)
  const plainComputed = await post(app, `${plain.url}/computations`)
  t.equal(plainComputed.statusCode, 201, plainComputed.body)
  const plainResults = plainComputed.json().results

  t.test('the counts add up to what was posted, per unit and for the campaign', async (t) => {
    const campaign = (await app.inject({ method: 'GET', url: plain.url, headers: admin })).json()
    t.same(campaign.afterService, { method: 'poststratify', margins: [['unit']] }, 'the default weighting')
    t.equal(campaign.calibration, null)
    const { counts } = plainResults
    const [S, A, U] = [plainMix.sample.length, plainMix.afterService.length, plainMix.unlinked.length]
    t.match(counts, { posted: S + A + U, sample: S, afterService: A, unlinked: U, official: S })
    t.same(counts.excluded, [
      { reason: 'after-service', responses: A },
      { reason: 'unlinked', responses: U }
    ])
    t.equal(plainResults.responses, S, 'the official figures count the sample only')
    t.equal(
      counts.official + counts.excluded.reduce((n: number, e: { responses: number }) => n + e.responses, 0),
      counts.posted
    )
    const byUnit = (unitId: string, key: string) =>
      counts.units.find((u: { unitId: string }) => u.unitId === unitId)?.[key] ?? 0
    for (const [u, unitId] of communes.entries()) {
      const expected = {
        sample: plainMix.sample.filter((p) => p.rec!.unit === u).length,
        afterService: plainMix.afterService.filter((p) => p.rec!.unit === u).length,
        unlinked: plainMix.unlinked.filter((_, i) => i % 3 === u).length
      }
      t.same(
        {
          sample: byUnit(unitId, 'sample'),
          afterService: byUnit(unitId, 'afterService'),
          unlinked: byUnit(unitId, 'unlinked')
        },
        expected,
        `commune ${UNITS[u]}`
      )
      t.equal(byUnit(unitId, 'posted'), expected.sample + expected.afterService + expected.unlinked)
    }
    t.equal(
      counts.units.reduce((n: number, u: { posted: number }) => n + u.posted, 0),
      counts.posted,
      'the units add up to the campaign'
    )
    t.match(plainResults.weighting, { method: 'stratified', margins: null, description: /N_h\/r_h/ })
  })

  t.test('the after-service index is what the scoring core computes, post-stratified by unit', async (t) => {
    const as = plainResults.afterService
    const rows = plainMix.afterService
    t.equal(as.respondents, rows.length)
    t.match(as.weighting, {
      method: 'poststratify',
      margins: [['unit']],
      description: /base weight 1 each, post-stratified/
    })
    t.same(as.unitsLeftOut, [{ unitId: communes[2], population: 240 }], 'the commune without ratings, said so')
    t.equal(as.population, 480, 'the frame records of the two communes rated')
    // The same rows and totals straight into the core: units in their frame record's unit.
    const unitIds = [communes[0], communes[1]]
    const batch = batchOf(rows, unitIds, (p) => p.rec!.unit)
    const spec: CalibrationSpec = { method: 'poststratify', margins: margins([['unit']], communes, (r) => r.unit < 2) }
    const calibration = calibrateWeights(batch, variablesOf(rows), spec)
    const design = designOfBatch(batch, ['all'], [null])
    const direct = computeIndices(
      batch,
      design,
      STANDARD_INSTRUMENT,
      options,
      [{ id: 'all', units: unitIds }, ...unitIds.map((u) => ({ id: u, units: [u] }))],
      { calibration }
    )
    sameFigures(t, as.province, direct[0], 'province')
    t.equal(as.units.length, 2)
    for (const [i, unitId] of unitIds.entries())
      sameFigures(
        t,
        as.units.find((u: { unitId: string }) => u.unitId === unitId),
        direct[1 + i],
        UNITS[i]
      )
    t.equal(as.province.overall.nonProbability, true, 'flagged non-probability')
    t.ok(
      Object.values(as.units[0].criteria).every((f) => (f as DocFigure).nonProbability === true),
      'every figure flagged'
    )
    t.notOk(plainResults.province.overall.nonProbability, 'the official figures are not')
    t.not(as.province.overall.estimate, plainResults.province.overall.estimate, 'never mixed into the official ones')
  })

  // The same responses in a campaign whose official figures are calibrated by GREG and its after-service
  // index raked, both to unit; channel; subject type.
  const allMargins = [['unit'], ['channel'], ['subjectType']]
  const greg = await sampledCampaign(app, ids, {
    calibration: { method: 'linear', margins: allMargins },
    afterService: { method: 'raking', margins: allMargins }
  })
  const gregMix = mix(greg.id, greg.slots)
  await postAll(t, app, gregMix.records)
  const gregComputed = await post(app, `${greg.url}/computations`)
  t.equal(gregComputed.statusCode, 201, gregComputed.body)
  const gregResults = gregComputed.json().results

  t.test('GREG weighting of the official sample equals the core calibrating the same rows', async (t) => {
    t.match(gregResults.weighting, { method: 'linear', margins: allMargins, description: /GREG/ })
    const rows = gregMix.sample
    const strata = greg.strata.map((s) => s.stratum)
    const batch = batchOf(rows, communes, (p) => p.rec!.unit)
    const stratum = Uint32Array.from(rows, (p) => strata.indexOf(p.slot!.stratum))
    const respondents = strata.map((_, h) => stratum.filter((s) => s === h).length)
    const weight = Float64Array.from(stratum, (h) => greg.strata[h].populationSize / respondents[h])
    const sampleBatch = { ...batch, stratum, weight }
    const design = designOfBatch(
      sampleBatch,
      strata,
      greg.strata.map((s) => s.populationSize)
    )
    const spec: CalibrationSpec = { method: 'linear', margins: margins(allMargins, communes) }
    const calibration = calibrateWeights(sampleBatch, variablesOf(rows), spec)
    const domains = [{ id: 'all', units: communes }, ...communes.map((u) => ({ id: u, units: [u] }))]
    const direct = computeIndices(sampleBatch, design, STANDARD_INSTRUMENT, options, domains, { calibration })
    sameFigures(t, gregResults.province, direct[0], 'province')
    for (const [i, unitId] of communes.entries())
      sameFigures(
        t,
        gregResults.units.find((u: { unitId: string }) => u.unitId === unitId),
        direct[1 + i],
        UNITS[i]
      )
    // Without calibration the core gives the published method's figures, which the GREG ones are not.
    const uncalibrated = computeIndices(sampleBatch, design, STANDARD_INSTRUMENT, options, domains)
    t.ok(
      !close(
        gregResults.province.overall.estimate,
        uncalibrated[0].indices.find((i) => i.kind === 'overall')!.estimate! * 100
      ),
      'the weighting changed the figures'
    )
    t.equal(gregResults.counts.official, rows.length)
  })

  t.test('the after-service index raked to three margins equals the core', async (t) => {
    const as = gregResults.afterService
    t.match(as.weighting, { method: 'raking', margins: allMargins })
    const rows = gregMix.afterService
    const unitIds = [communes[0], communes[1]]
    const batch = batchOf(rows, unitIds, (p) => p.rec!.unit)
    const spec: CalibrationSpec = { method: 'raking', margins: margins(allMargins, communes, (r) => r.unit < 2) }
    const calibration = calibrateWeights(batch, variablesOf(rows), spec)
    const direct = computeIndices(
      batch,
      designOfBatch(batch, ['all'], [null]),
      STANDARD_INSTRUMENT,
      options,
      [{ id: 'all', units: unitIds }, ...unitIds.map((u) => ({ id: u, units: [u] }))],
      { calibration }
    )
    sameFigures(t, as.province, direct[0], 'province')
  })

  t.test('GREG without a frame to calibrate to is a problem naming the figure', async (t) => {
    await post(app, `${greg.url}/transitions`, { to: 'closed' })
    const deleted = await app.inject({ method: 'DELETE', url: `${greg.url}/frame`, headers: admin })
    t.ok(deleted.statusCode < 300, deleted.body)
    const res = await post(app, `${greg.url}/computations`)
    t.equal(res.statusCode, 409)
    t.match(res.json(), { type: '/problems/calibration-frame-missing', figure: 'official' })
  })

  t.test('a campaign without a sample: every response official, and a cell without ratings refused', async (t) => {
    const open = await campaignWithFrame(app, ids, {
      sampled: false,
      afterService: { method: 'poststratify', margins: [['unit', 'channel']] }
    })
    t.equal((await post(app, `${open.url}/transitions`, { to: 'collecting' })).statusCode, 200)
    const rated = (channels: number[], from: number) =>
      RECORDS.filter((r) => r.unit === 0 && channels.includes(r.channel))
        .slice(0, 12)
        .map((rec, i) => ({ rec, answers: answersFor(rec, from + i) }))
    const toPost = (rows: Posted[], prefix: string) =>
      rows.map((p, i) =>
        response(open.id, {
          unit: UNITS[p.rec!.unit],
          channel: 'post-transaction',
          dossierCode: p.rec!.code,
          externalId: `${prefix}-${i}`,
          answers: p.answers
        })
      )
    const first = rated([0, 1], 0)
    await postAll(t, app, toPost(first, 'F'))
    const refused = await post(app, `${open.url}/computations`)
    t.equal(refused.statusCode, 409)
    t.match(refused.json(), {
      type: '/problems/calibration-cell-without-respondents',
      figure: 'after-service',
      margin: 'unit × channel',
      cell: `unit=${communes[0]}, channel=post`
    })
    // The weighting is a choice about results: it is mended while the campaign collects, and nothing else is.
    const edit = (payload: object) => app.inject({ method: 'PATCH', url: open.url, headers: admin, payload })
    t.equal((await edit({ name: 'Renamed while collecting' })).statusCode, 409)
    const byUnit = await edit({ afterService: { method: 'poststratify', margins: [['unit']] } })
    t.equal(byUnit.statusCode, 200, byUnit.body)
    t.equal((await post(app, `${open.url}/computations`)).statusCode, 201, 'by unit alone, every cell has ratings')
    t.equal((await edit({ afterService: { method: 'poststratify', margins: [['unit', 'channel']] } })).statusCode, 200)
    const second = RECORDS.filter((r) => r.unit === 0 && r.channel === 2)
      .slice(0, 5)
      .map((rec, i) => ({ rec, answers: answersFor(rec, 500 + i) }))
    await postAll(t, app, toPost(second, 'G'))
    const computed = await post(app, `${open.url}/computations`)
    t.equal(computed.statusCode, 201, computed.body)
    const { results } = computed.json()
    const n = first.length + second.length
    t.match(results.counts, { posted: n, sample: 0, afterService: n, unlinked: 0, official: n, excluded: [] })
    t.equal(results.responses, n, 'the official figures take every response')
    t.equal(results.probability, false)
    t.match(results.weighting, { method: 'unweighted' })
    t.equal(results.afterService.respondents, n)
    t.same(
      results.afterService.unitsLeftOut.map((u: { unitId: string }) => u.unitId).sort(),
      [communes[1], communes[2]].sort()
    )
  })
})
