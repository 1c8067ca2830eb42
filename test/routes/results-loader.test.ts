import t from 'tap'
import { sql } from 'drizzle-orm'
import { buildTestApp } from '../helpers/app.js'
import { admin, seededCampaign } from '../helpers/province.js'
import { response } from '../helpers/collecting.js'
import { rows as rowsOf } from '../../src/db/client.js'
import { findCampaign } from '../../src/db/queries/campaigns.js'
import { loadResponses } from '../../src/db/queries/results.js'
import { AnswerRows } from '../../src/db/queries/answer-rows.js'
import { AnswerCopyParser } from '../../src/db/queries/answer-copy.js'
import { MISSING } from '../../src/scoring/batch.js'
import { answerColumns } from '../../src/scoring/instrument.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import type { SampleDesign } from '../../src/schemas/sample.js'

const COLUMNS = answerColumns(STANDARD_INSTRUMENT)
const K = COLUMNS.length

/** One row as text: unit, stratum, answers (MISSING for none): comparable whatever the reading order. */
const rowKey = (unit: string, stratum: string, answers: ArrayLike<number | null>) =>
  `${unit}|${stratum}|${Array.from({ length: K }, (_, c) => answers[c] ?? MISSING).join(',')}`

t.test(
  'the loader reads a sampled campaign as the driver does: every answered slot, in its stratum, weighted',
  async (t) => {
    const { app } = await buildTestApp(t)
    const { campaign } = await seededCampaign(app)
    const url = `/v1/campaigns/${campaign.id}`
    const units = ['08500', '08501', '08502']
    // Three procedures (a rare one without a name) and two fields (a few records name none).
    const procedure = (i: number) =>
      i % 25 === 0
        ? { MaTTHC: '2.000001' }
        : i % 3 === 0
          ? { MaTTHC: '1.000894.000.00.00.H12', TenTTHC: 'Cấp bản sao trích lục hộ tịch' }
          : { MaTTHC: '1.001612', TenTTHC: 'Đăng ký khai sinh' }
    const frame = Array.from({ length: 600 }, (_, i) =>
      JSON.stringify({
        MaHoSo: `HS-${i}`,
        ...procedure(i),
        ...(i % 25 === 1 ? {} : { MaLinhVuc: i % 2 === 0 ? 'HT-01' : 'CT-02' }),
        KenhThucHien: String(1 + (i % 2)),
        LoaiDoiTuong: '1',
        NgayTra: `202511${String(1 + (i % 28)).padStart(2, '0')}100000`,
        TrangThaiHoSo: '10',
        DonViXuLy: units[i % 3]
      })
    ).join('\n')
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: `${url}/frame`,
          headers: { ...admin, 'content-type': 'application/x-ndjson' },
          payload: frame
        })
      ).statusCode,
      201
    )
    await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'sampling' } })
    await app.inject({
      method: 'POST',
      url: `${url}/sample-design`,
      headers: admin,
      payload: { stratifyBy: 'unit-channel', minimumPerUnit: 40, expectedResponseRate: 0.8 }
    })
    t.equal(
      (await app.inject({ method: 'POST', url: `${url}/sample`, headers: admin, payload: { seed: 'loader' } }))
        .statusCode,
      201
    )
    t.equal(
      (await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'collecting' } }))
        .statusCode,
      200
    )
    const slots = (
      await app.inject({ method: 'GET', url: `${url}/sample?role=main`, headers: admin })
    ).json() as Array<{ id: string; stratum: string }>
    // Answers with no-answer codes, optional items left out and multiple picks; some responses outside the sample.
    const records = slots.slice(0, 300).map((slot, i) => {
      const base = response(campaign.id, {
        unit: slot.stratum.split('|')[0],
        channel: 'interview',
        sampleSlotId: slot.id,
        externalId: `L-${i}`
      })
      const answers: Record<string, number | number[]> = { ...(base.answers as Record<string, number>), 'F2.3': i % 6 }
      if (i % 3 !== 0) answers.SAT = 1 + (i % 5)
      if (i % 4 === 0) answers['P.ONTIME'] = 1 + (i % 2)
      if (i % 5 !== 0) answers['E.IMPROVE'] = [1 + (i % 8), 1 + ((i + 3) % 8)]
      return { ...base, answers }
    })
    const outside = Array.from({ length: 20 }, (_, i) =>
      response(campaign.id, { channel: 'interview', externalId: `O-${i}` })
    )
    const posted = (
      await app.inject({
        method: 'POST',
        url: '/v1/responses/batch',
        headers: admin,
        payload: [...records, ...outside]
      })
    ).json()
    t.equal(
      posted.accepted,
      320,
      JSON.stringify(posted.results?.find((r: { status: string }) => r.status !== 'accepted'))
    )

    const db = app.database.db
    const sampleDesign = (await findCampaign(db, campaign.id)).sampleDesign as SampleDesign
    const progress: number[] = []
    const loaded = await loadResponses(db, campaign.id, COLUMNS, sampleDesign, (read) => progress.push(read), 320)
    t.equal(loaded.batch.size, 300, 'only responses answering a slot')
    t.equal(progress.at(-1), 300, 'progress ends at the rows read')
    const strata = loaded.design.strata
    const { batch } = loaded
    const read = Array.from({ length: batch.size }, (_, r) =>
      rowKey(batch.units[batch.unit[r]], strata[batch.stratum![r]], batch.answers.subarray(r * K, r * K + K))
    )
    // The driver's own reading of the same rows (the stored bytes, MISSING for none) is the reference.
    const stored = rowsOf(
      await db.execute(sql`select r.unit_id, s.stratum, r.answers from responses r join sample_slots s on s.id = r.slot_id
    where r.campaign_id = ${campaign.id}`)
    ) as Array<{ unit_id: string; stratum: string; answers: Buffer }>
    t.same(read.sort(), stored.map((s) => rowKey(s.unit_id, s.stratum, s.answers)).sort())
    t.ok(
      stored.every((s) => s.answers.length === K),
      'one byte per answer column'
    )
    t.ok(
      stored.some((s) => s.answers.includes(MISSING)) && stored.some((s) => s.answers.includes(0)),
      'the data hold missing values and no-answer codes'
    )
    for (let r = 0; r < batch.size; r++) {
      const stratum = sampleDesign.strata.find((s) => s.stratum === strata[batch.stratum![r]])!
      const answered = loaded.respondentsByStratum.get(stratum.stratum)!
      if (batch.weight![r] !== stratum.populationSize / answered) {
        t.fail(`row ${r}: weight ${batch.weight![r]}, not N_h/r_h`)
        break
      }
    }
    t.equal(
      [...loaded.respondentsByStratum.values()].reduce((a, b) => a + b, 0),
      300
    )

    const computed = await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })
    t.equal(computed.statusCode, 201, computed.body)
    t.equal(computed.json().results.responses, 300)
    t.equal(computed.json().results.probability, true)

    // Each unit's diagnosis: every criterion against the province, strengths and weaknesses from the verdicts.
    const results = computed.json().results
    // Breakdowns by the frame record's respondent type and channel, every response in one category.
    const byFrame = (variable: string) =>
      results.breakdowns.find((b: { variable: string }) => b.variable === variable) as {
        categories: Array<{
          value: string
          label: string
          respondents: number
          suppressed: boolean
          overall: { estimate: number } | null
        }>
      }
    const subject = byFrame('frame.subjectType')
    t.same(
      subject.categories.map((c) => [c.value, c.respondents]),
      [
        ['citizen', 300],
        ['business', 0],
        ['agency', 0],
        ['other-organisation', 0]
      ],
      'every respondent a citizen, as the frame says'
    )
    t.ok(
      Math.abs(subject.categories[0].overall!.estimate - results.province.overall.estimate) < 1e-9,
      "all the citizens: the province's figure"
    )
    const channels = byFrame('frame.channel').categories
    t.equal(channels[0].respondents + channels[1].respondents, 300, 'in person and online: every respondent')
    t.ok(channels[0].respondents > 0 && channels[1].respondents > 0)
    t.same(
      channels.slice(2).map((c) => c.suppressed),
      [true, true],
      'post and phone: none, suppressed'
    )

    // By the frame record's field and procedure: the codes met, the most respondents first, as the stored
    // responses' records say; a procedure under its name in the frame; a rare one suppressed.
    const recordCounts = async (column: 'field_code' | 'procedure_code') =>
      rowsOf(
        await db.execute(
          sql`select f.${sql.raw(column)} as code, count(*)::int as n from responses r join sample_slots s on s.id = r.slot_id
              join frame_records f on f.id = s.record_id where r.campaign_id = ${campaign.id} and f.${sql.raw(column)} is not null
              group by 1 order by 2 desc, 1`
        )
      ) as Array<{ code: string; n: number }>
    const procedures = byFrame('frame.procedure').categories
    t.same(
      procedures.map((c) => [c.value, c.respondents]),
      (await recordCounts('procedure_code')).map((r) => [r.code, r.n])
    )
    t.same(
      new Map(procedures.map((c) => [c.value, c.label])),
      new Map([
        ['1.001612', 'Đăng ký khai sinh'],
        ['1.000894', 'Cấp bản sao trích lục hộ tịch'],
        ['2.000001', '2.000001']
      ]),
      'a procedure under its name, or its code where the frame names none'
    )
    t.same(
      procedures.map((c) => c.suppressed),
      procedures.map((c) => c.respondents < 30)
    )
    t.ok(procedures.some((c) => c.suppressed) && procedures.some((c) => !c.suppressed))
    const fields = byFrame('frame.field').categories
    t.same(
      fields.map((c) => [c.value, c.respondents]),
      (await recordCounts('field_code')).map((r) => [r.code, r.n])
    )
    t.ok(fields.reduce((n, c) => n + c.respondents, 0) < 300, 'records naming no field are in no category')

    t.notOk(results.province.diagnosis, 'the province is not diagnosed against itself')
    const diagnosed = results.units.filter((u: { respondents: number }) => u.respondents > 0)
    t.ok(diagnosed.length > 0)
    for (const unit of diagnosed) {
      const { differences, strengths, weaknesses } = unit.diagnosis
      t.same(Object.keys(differences).sort(), Object.keys(unit.criteria).sort(), `${unit.name}: every criterion`)
      for (const [code, d] of Object.entries(differences) as Array<
        [string, { estimate: number; ci: number[] | null; verdict: string }]
      >) {
        t.ok(
          Math.abs(d.estimate - (unit.criteria[code].estimate - results.province.criteria[code].estimate)) < 1e-9,
          `${unit.name} ${code}: the unit's figure less the province's`
        )
        const verdict =
          d.ci === null || (d.ci[0] <= 0 && d.ci[1] >= 0) ? 'not-distinguishable' : d.estimate > 0 ? 'above' : 'below'
        t.equal(d.verdict, verdict, `${unit.name} ${code}: the verdict follows the interval`)
      }
      const side = (verdict: string) => Object.keys(differences).filter((code) => differences[code].verdict === verdict)
      t.same([...strengths].sort(), side('above').sort())
      t.same([...weaknesses].sort(), side('below').sort())
    }
  }
)

/** A binary COPY stream of (uuid, text, bytea: one byte per answer, MISSING for none) rows, as PostgreSQL writes it. */
function copyStream(rows: Array<{ unit: string; stratum: string | null; answers: Array<number | null> }>): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]
  const int = (n: number, bytes = 4) => {
    const b = Buffer.alloc(bytes)
    if (bytes === 4) b.writeInt32BE(n)
    else b.writeInt16BE(n)
    return b
  }
  for (const row of rows) {
    parts.push(int(3, 2), int(16), Buffer.from(row.unit.replaceAll('-', ''), 'hex'))
    if (row.stratum === null) parts.push(int(-1))
    else {
      const s = Buffer.from(row.stratum, 'utf8')
      parts.push(int(s.length), s)
    }
    const bytes = Buffer.from(row.answers.map((a) => a ?? MISSING))
    parts.push(int(bytes.length), bytes)
  }
  parts.push(int(-1, 2))
  return Buffer.concat(parts)
}

t.test('the COPY parser gives the same rows however the stream is cut into chunks', async (t) => {
  // The third id shares its first 4 bytes with the first.
  const units = [
    '0b9f4d8e-7c1a-4e2b-9f00-aa11bb22cc33',
    'ffffffff-0000-4000-8000-000000000001',
    '0b9f4d8e-0000-4000-8000-000000000002'
  ]
  const strata = ['08500|kiosk', 'Xã Tân Lạc|trực tuyến']
  const rows = [
    { unit: units[0], stratum: strata[1], answers: [5, 4, null, 0, ...Array.from({ length: K - 4 }, (_, c) => c % 6)] },
    { unit: units[1], stratum: null, answers: [] },
    {
      unit: units[0],
      stratum: strata[0],
      answers: Array.from({ length: K + 3 }, (_, c) => (c % 2 === 0 ? null : 250))
    },
    { unit: units[1], stratum: 'unknown stratum', answers: [1, 2, 3] },
    { unit: units[2], stratum: strata[1], answers: [2, 3] },
    // Longer than the first slice of a chunk the parser joins to a row cut in two.
    {
      unit: units[2],
      stratum: strata[0],
      answers: Array.from({ length: 1500 }, (_, c) => (c % 7 === 0 ? null : c % 5))
    },
    { unit: units[0], stratum: strata[0], answers: [4] }
  ]
  const stream = copyStream(rows)
  const expected = rows.map((row) => rowKey(row.unit, row.stratum === strata[1] ? strata[1] : strata[0], row.answers))
  const parse = (cuts: number[]) => {
    const out = new AnswerRows(K, 1)
    const parser = new AnswerCopyParser(out, new Map(strata.map((s, i) => [s, i])))
    let from = 0
    for (const cut of [...cuts, stream.length]) {
      parser.push(stream.subarray(from, cut))
      from = cut
    }
    return {
      finished: parser.finished,
      rows: Array.from({ length: out.size }, (_, r) =>
        rowKey(out.units[out.unit[r]], strata[out.stratum[r]], out.answers.subarray(r * K, r * K + K))
      )
    }
  }
  t.same(parse([]), { finished: true, rows: expected }, 'one chunk')
  t.same(
    new Set(parse([]).rows.map((r) => r.split('|')[0])),
    new Set(units),
    'ids sharing their first bytes stay apart'
  )
  let failures = 0
  for (let cut = 1; cut < stream.length; cut++) {
    const got = parse([cut])
    if (!got.finished || JSON.stringify(got.rows) !== JSON.stringify(expected)) failures++
  }
  t.equal(failures, 0, 'cut in two at every byte')
  t.same(
    parse(Array.from({ length: stream.length - 1 }, (_, i) => i + 1)),
    { finished: true, rows: expected },
    'byte by byte'
  )
  t.equal(parse([stream.length - 2]).finished, true)
  const truncated = new AnswerCopyParser(new AnswerRows(K, 1), new Map())
  truncated.push(stream.subarray(0, stream.length - 2))
  t.equal(truncated.finished, false, 'no trailer, not finished')
})
