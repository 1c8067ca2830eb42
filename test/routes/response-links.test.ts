import t from 'tap'
import type { App } from '../../src/app.js'
import { buildTestApp } from '../helpers/app.js'
import { collectingCampaign, response } from '../helpers/collecting.js'
import { campaignWithFrame, frame } from '../helpers/frame.js'
import { admin } from '../helpers/province.js'

interface Slot {
  id: string
  dossierCode: string
  unitId: string
  stratum: string
  role: 'main' | 'reserve'
  reserveRank: number | null
  status: string
}

/** A sampled campaign over a frame of 300 dossiers, 10 drawn per unit with 5 reserves, collecting. */
async function collectingSample(app: App) {
  const { id } = await campaignWithFrame(app, 300)
  const url = `/v1/campaigns/${id}`
  const design = (
    await app.inject({
      method: 'POST',
      url: `${url}/sample-design`,
      headers: admin,
      payload: { stratifyBy: 'unit', reserveRate: 0.5 }
    })
  ).json() as { strata: Array<{ stratum: string }> }
  await app.inject({
    method: 'POST',
    url: `${url}/sample-design`,
    headers: admin,
    payload: {
      stratifyBy: 'unit',
      reserveRate: 0.5,
      overrides: Object.fromEntries(design.strata.map((s) => [s.stratum, 10]))
    }
  })
  const drawn = await app.inject({ method: 'POST', url: `${url}/sample`, headers: admin, payload: { seed: 'links' } })
  if (drawn.statusCode !== 201) throw new Error(drawn.body)
  const moved = await app.inject({
    method: 'POST',
    url: `${url}/transitions`,
    headers: admin,
    payload: { to: 'collecting' }
  })
  if (moved.statusCode !== 200) throw new Error(moved.body)
  const slots = (await app.inject({ method: 'GET', url: `${url}/sample`, headers: admin })).json() as Slot[]
  const drawnCodes = new Set(slots.map((s) => s.dossierCode))
  // The frame helper's dossiers: HS-00000 … HS-00299, handled by 08500, 08501, 08502 in turn.
  const undrawn = Array.from({ length: 300 }, (_, i) => ({
    code: `HS-${String(i).padStart(5, '0')}`,
    unit: ['08500', '08501', '08502'][i % 3]
  })).filter((d) => !drawnCodes.has(d.code))
  return { id, url, slots, undrawn }
}

t.test('a response is linked to its dossier, counts as it says, and a dossier is answered once', async (t) => {
  const { app } = await buildTestApp(t)
  const { id, url, slots, undrawn } = await collectingSample(app)
  const main = slots.filter((s) => s.role === 'main')
  const post = (payload: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: '/v1/responses',
      headers: admin,
      payload: response(id, { channel: 'interview', ...payload })
    })
  let sampleCount = 0

  t.test('the code of a drawn dossier answers its slot', async (t) => {
    const slot = main[0]
    const first = await post({ unit: slot.unitId, dossierCode: slot.dossierCode, externalId: 'D-1' })
    t.equal(first.statusCode, 201, first.body)
    t.equal(first.json().countsAs, 'sample')
    sampleCount++
    const responded = (
      await app.inject({ method: 'GET', url: `${url}/sample?status=responded`, headers: admin })
    ).json()
    t.same(
      responded.map((s: Slot) => s.id),
      [slot.id],
      'the slot is responded'
    )
    const replay = await post({ unit: slot.unitId, dossierCode: slot.dossierCode, externalId: 'D-1' })
    t.equal(replay.statusCode, 200)
    t.same(replay.json(), { id: first.json().id, status: 'duplicate', countsAs: 'sample' })
    const second = await post({ unit: slot.unitId, dossierCode: slot.dossierCode, externalId: 'D-2' })
    t.equal(second.statusCode, 409, second.body)
    t.match(second.json(), {
      type: '/problems/already-answered',
      existingId: first.json().id,
      errors: [{ pointer: '/dossierCode' }]
    })
    const bySlot = await post({ unit: slot.unitId, sampleSlotId: slot.id, externalId: 'D-3' })
    t.equal(bySlot.statusCode, 409, 'nor through its slot')
  })

  t.test('a slot answers for its dossier', async (t) => {
    const slot = main[1]
    const bySlot = await post({ unit: slot.unitId, sampleSlotId: slot.id, externalId: 'S-1' })
    t.equal(bySlot.statusCode, 201, bySlot.body)
    t.equal(bySlot.json().countsAs, 'sample')
    sampleCount++
    const byCode = await post({ unit: slot.unitId, dossierCode: slot.dossierCode, externalId: 'S-2' })
    t.equal(byCode.statusCode, 409)
    t.equal(byCode.json().type, '/problems/already-answered')
    const other = main[2]
    const mismatch = await post({
      unit: other.unitId,
      sampleSlotId: other.id,
      dossierCode: slot.dossierCode,
      externalId: 'S-3'
    })
    t.equal(mismatch.statusCode, 422)
    t.match(mismatch.json().errors, [{ pointer: '/dossierCode', detail: new RegExp(other.dossierCode) }])
  })

  t.test(
    'a dossier of the frame that was not drawn counts after service; what contradicts the frame is refused',
    async (t) => {
      const [dossier] = undrawn
      const wrongUnit = await post({
        unit: undrawn.find((d) => d.unit !== dossier.unit)!.unit,
        dossierCode: dossier.code,
        externalId: 'A-0'
      })
      t.equal(wrongUnit.statusCode, 422)
      t.match(wrongUnit.json(), { type: '/problems/response-invalid', errors: [{ pointer: '/unit' }] })
      const wrongProcedure = await post({
        unit: dossier.unit,
        dossierCode: dossier.code,
        procedureCode: '2.000123',
        externalId: 'A-0'
      })
      t.equal(wrongProcedure.statusCode, 422)
      t.match(wrongProcedure.json().errors, [{ pointer: '/procedureCode', detail: /1\.001612/ }])
      const sameProcedure = await post({
        unit: dossier.unit,
        dossierCode: dossier.code,
        procedureCode: '1.001612.000.00.00.H48',
        externalId: 'A-1'
      })
      t.equal(sameProcedure.statusCode, 201, sameProcedure.body)
      t.equal(sameProcedure.json().countsAs, 'after-service')
    }
  )

  t.test('without a dossier, or with one the frame does not hold, a response is unlinked', async (t) => {
    const none = await post({ unit: '08500', externalId: 'U-1' })
    t.equal(none.json().countsAs, 'unlinked')
    const unknown = await post({ unit: '08500', dossierCode: 'NOT-IN-FRAME-1', externalId: 'U-2' })
    t.equal(unknown.statusCode, 201)
    t.equal(unknown.json().countsAs, 'unlinked')
  })

  t.test('a batch says how each record counts; a dossier twice in it is answered once', async (t) => {
    const [, a, b] = undrawn
    const res = await app.inject({
      method: 'POST',
      url: '/v1/responses/batch',
      headers: admin,
      payload: [
        response(id, { channel: 'interview', unit: a.unit, dossierCode: a.code, externalId: 'B-1' }),
        response(id, { channel: 'interview', unit: a.unit, dossierCode: a.code, externalId: 'B-2' }),
        response(id, {
          channel: 'interview',
          unit: main[3].unitId,
          dossierCode: main[3].dossierCode,
          externalId: 'B-3'
        }),
        response(id, { channel: 'interview', unit: b.unit, externalId: 'B-4' })
      ]
    })
    t.equal(res.statusCode, 200)
    const body = res.json()
    t.match(body, { accepted: 3, conflict: 1 })
    t.same(
      body.results.map((r: { status: string; countsAs?: string; type?: string }) => [r.status, r.countsAs ?? r.type]),
      [
        ['accepted', 'after-service'],
        ['conflict', '/problems/already-answered'],
        ['accepted', 'sample'],
        ['accepted', 'unlinked']
      ]
    )
    t.equal(body.results[1].id, body.results[0].id, 'the conflict names the response that answers the dossier')
    sampleCount++
  })

  t.test('posted at once, one response per dossier is stored', async (t) => {
    const [, , , dossier] = undrawn
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post({ unit: dossier.unit, dossierCode: dossier.code, externalId: `C-${i}` }))
    )
    t.same(answers.map((a) => a.statusCode).sort(), [201, 409, 409, 409, 409, 409])
  })

  t.test('the database holds a campaign to one response per dossier', async (t) => {
    const db = app.database.db
    const refused = await db
      .execute(
        `insert into responses (campaign_id, unit_id, client_id, external_id, content_hash, channel, dossier_code, collected_at, answers)
         select campaign_id, unit_id, client_id, 'SQL-1', content_hash, channel, dossier_code, collected_at, answers
         from responses where campaign_id = '${id}' and dossier_code is not null limit 1` as never
      )
      .then(
        () => null,
        (error: Error) => error
      )
    // drizzle wraps the driver's error in `cause`.
    t.match(refused?.cause, { message: /responses_campaign_dossier_key/ })
  })

  t.test("a response for a reserve's dossier counts after service until the reserve is released", async (t) => {
    const reserve = slots.find((s) => s.role === 'reserve' && s.reserveRank === 1)!
    const posted = await post({ unit: reserve.unitId, dossierCode: reserve.dossierCode, externalId: 'R-1' })
    t.equal(posted.statusCode, 201, posted.body)
    t.equal(posted.json().countsAs, 'after-service')
    const replaced = main.find(
      (s) => s.stratum === reserve.stratum && s.id !== main[0].id && s.id !== main[1].id && s.id !== main[3].id
    )!
    const released = await app.inject({
      method: 'POST',
      url: `${url}/sample/${replaced.id}/replacement`,
      headers: admin,
      payload: { reason: 'unreachable' }
    })
    t.equal(released.statusCode, 201, released.body)
    t.match(released.json(), { id: reserve.id, status: 'responded' }, 'released, the reserve is answered already')
    sampleCount++
    const replay = await post({ unit: reserve.unitId, dossierCode: reserve.dossierCode, externalId: 'R-1' })
    t.equal(replay.json().countsAs, 'sample', 'and the response counts in the sample from then on')
  })

  t.test('the official figures count the responses that answer the sample', async (t) => {
    const computed = await app.inject({ method: 'POST', url: `${url}/computations`, headers: admin })
    t.equal(computed.statusCode, 201, computed.statusCode === 201 ? 'computed' : computed.body)
    t.equal(computed.json().responses, sampleCount)
    const { counts } = computed.json().results
    t.match(counts, { sample: sampleCount, posted: counts.sample + counts.afterService + counts.unlinked })
    t.equal(
      counts.official + counts.excluded.reduce((n: number, e: { responses: number }) => n + e.responses, 0),
      counts.posted
    )
    // Accepted after service: A-1, B-1, C-(one of six); unlinked: U-1, U-2, B-4.
    t.match(counts, { afterService: 3, unlinked: 3 })
  })
})

t.test('a frame uploaded after the responses links them', async (t) => {
  const { app } = await buildTestApp(t)
  const { campaign } = await collectingCampaign(app)
  const posts = Array.from({ length: 6 }, (_, i) =>
    response(campaign, {
      unit: ['08500', '08501', '08502'][i % 3],
      dossierCode: `HS-${String(i).padStart(5, '0')}`,
      externalId: `F-${i}`
    })
  )
  const before = (
    await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: posts })
  ).json()
  t.same(
    before.results.map((r: { countsAs: string }) => r.countsAs),
    Array(6).fill('unlinked'),
    'no frame yet'
  )
  const uploaded = await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaign}/frame`,
    headers: { ...admin, 'content-type': 'application/x-ndjson' },
    payload: frame(3)
  })
  t.equal(uploaded.statusCode, 201, 'a campaign without a sample takes its frame while collecting')
  const after = (
    await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: admin, payload: posts })
  ).json()
  t.same(
    after.results.map((r: { status: string; countsAs: string }) => [r.status, r.countsAs]),
    [...Array(3).fill(['duplicate', 'after-service']), ...Array(3).fill(['duplicate', 'unlinked'])],
    'the dossiers of the frame are linked'
  )
})
