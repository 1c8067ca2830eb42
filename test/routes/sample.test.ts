import t from 'tap'
import type { App } from '../../src/app.js'
import { buildTestApp } from '../helpers/app.js'
import { admin } from '../helpers/province.js'
import { campaignWithFrame } from '../helpers/frame.js'
import { response } from '../helpers/collecting.js'

const draw = async (app: App, id: string, seed: string) => {
  await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${id}/sample-design`,
    headers: admin,
    payload: { stratifyBy: 'unit-channel', minimumPerUnit: 40, expectedResponseRate: 0.8, reserveRate: 0.5 }
  })
  const res = await app.inject({ method: 'POST', url: `/v1/campaigns/${id}/sample`, headers: admin, payload: { seed } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return (await app.inject({ method: 'GET', url: `/v1/campaigns/${id}/sample?role=main`, headers: admin }))
    .json()
    .map((s: { dossierCode: string }) => s.dossierCode)
    .sort()
}

t.test('sample design, draw, export, replacement and progress', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const { id } = await campaignWithFrame(app, 600)
  const url = `/v1/campaigns/${id}`

  t.test('the design is computed, shown and adjustable before the draw', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: `${url}/sample-design`,
      headers: admin,
      payload: { stratifyBy: 'unit-channel', minimumPerUnit: 40, expectedResponseRate: 0.8, reserveRate: 0.5 }
    })
    t.equal(res.statusCode, 200, res.body)
    const design = res.json()
    t.equal(design.populationSize, 600)
    t.equal(design.strata.length, 6, '3 units × 2 channels')
    // Yamane at e = 5% for N = 200 per unit: 200/(1 + 200·0.0025) = 133.3 → 134; /0.8 → 168 (≤ 200).
    const perUnit = new Map<string, number>()
    for (const s of design.strata) perUnit.set(s.unitId, (perUnit.get(s.unitId) ?? 0) + s.sampleSize)
    t.same([...perUnit.values()], [168, 168, 168])
    const key = design.strata[0].stratum
    const adjusted = (
      await app.inject({
        method: 'POST',
        url: `${url}/sample-design`,
        headers: admin,
        payload: { stratifyBy: 'unit-channel', overrides: { [key]: 5 } }
      })
    ).json()
    t.equal(adjusted.strata.find((s: { stratum: string }) => s.stratum === key).sampleSize, 5)
    const bad = await app.inject({
      method: 'POST',
      url: `${url}/sample-design`,
      headers: admin,
      payload: { overrides: { nope: 3 } }
    })
    t.equal(bad.statusCode, 422)
    t.equal(bad.json().errors[0].pointer, '/overrides/nope')
  })

  t.test('collecting needs the drawn sample; the draw fixes the design', async (t) => {
    t.equal(
      (await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'collecting' } }))
        .statusCode,
      409
    )
  })

  let main: string[] = []
  t.test('the same frame and seed give the same sample; inclusion probabilities add up', async (t) => {
    main = await draw(app, id, 'phu-tho-2026')
    t.equal(main.length, 168 * 3)
    const { app: other } = await buildTestApp(t)
    const second = await campaignWithFrame(other, 600)
    t.same(await draw(other, second.id, 'phu-tho-2026'), main, 'same seed, another database: same sample')
    const { app: third } = await buildTestApp(t)
    const third3 = await campaignWithFrame(third, 600)
    t.not(
      JSON.stringify(await draw(third, third3.id, 'another-seed')),
      JSON.stringify(main),
      'another seed: another sample'
    )

    const design = (await app.inject({ method: 'GET', url: `${url}/sample-design`, headers: admin })).json()
    const slots = (await app.inject({ method: 'GET', url: `${url}/sample?role=main`, headers: admin })).json()
    for (const s of design.strata) {
      const inStratum = slots.filter((slot: { stratum: string }) => slot.stratum === s.stratum)
      t.equal(inStratum.length, s.sampleSize)
      t.ok(
        Math.abs(s.populationSize * inStratum[0].inclusionProbability - s.sampleSize) < 1e-9,
        'Σ π over the stratum = n_h'
      )
      t.ok(
        Math.abs(
          inStratum.reduce((sum: number, x: { baseWeight: number }) => sum + x.baseWeight, 0) - s.populationSize
        ) < 1e-9,
        'Σ base weights = N_h'
      )
    }
    const again = await app.inject({ method: 'POST', url: `${url}/sample`, headers: admin, payload: { seed: 'x' } })
    t.equal(again.statusCode, 409, 'one draw per campaign')
    const redesign = await app.inject({ method: 'POST', url: `${url}/sample-design`, headers: admin, payload: {} })
    t.equal(redesign.statusCode, 409)
  })

  t.test('exports hold personal data only when asked, and the read is logged without values', async (t) => {
    const json = (await app.inject({ method: 'GET', url: `${url}/sample`, headers: admin })).body
    t.notMatch(json, /\b0912\d{6}\b|Người/)
    const csv = await app.inject({ method: 'GET', url: `${url}/sample?format=csv&role=main`, headers: admin })
    t.match(csv.headers['content-type'], /text\/csv/)
    t.equal(csv.body.trim().split('\n').length, 1 + 168 * 3)
    t.notMatch(csv.body, /\b0912\d{6}\b/)
    const withContacts = await app.inject({
      method: 'GET',
      url: `${url}/sample?format=csv&role=main&include=contacts`,
      headers: admin
    })
    t.match(withContacts.body, /\b0912\d{6}\b/)
    t.equal((await app.inject({ method: 'GET', url: `${url}/sample` })).statusCode, 401)
    const lines = logs()
    t.ok(lines.some((l) => l.msg === 'contact details read' && l.records === 168 * 3))
    t.notMatch(JSON.stringify(lines), /\b0912\d{6}\b|Người \d/)
  })

  t.test('outcomes, replacement by the next reserve, progress', async (t) => {
    const slots = (await app.inject({ method: 'GET', url: `${url}/sample?role=main`, headers: admin })).json()
    const [first, second] = slots
    const outcome = await app.inject({
      method: 'PATCH',
      url: `${url}/sample/${second.id}`,
      headers: admin,
      payload: { status: 'contacted' }
    })
    t.equal(outcome.json().status, 'contacted')
    const res = await app.inject({
      method: 'POST',
      url: `${url}/sample/${first.id}/replacement`,
      headers: admin,
      payload: { reason: 'unreachable', note: 'no answer after 3 calls' }
    })
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json(), {
      role: 'reserve',
      reserveRank: 1,
      status: 'pending',
      replacesSlotId: first.id,
      stratum: first.stratum
    })
    const twice = await app.inject({
      method: 'POST',
      url: `${url}/sample/${first.id}/replacement`,
      headers: admin,
      payload: { reason: 'unreachable' }
    })
    t.equal(twice.statusCode, 409)
    const progress = (await app.inject({ method: 'GET', url: `${url}/progress`, headers: admin })).json()
    const stratum = progress.strata.find((s: { stratum: string }) => s.stratum === first.stratum)
    t.match(stratum, { replaced: 1, unreachable: 1 })
    t.equal(progress.total.drawn, 168 * 3 + 1, 'a released reserve counts as drawn')
    t.equal(progress.total.responded, 0)
    t.equal(progress.total.responseRate, 0)
  })

  t.test(
    'after the draw the campaign collects; a sampled response marks its slot; the frame and its contacts go once it is closed',
    async (t) => {
      t.equal(
        (await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'collecting' } }))
          .statusCode,
        200
      )
      const [slot] = (
        await app.inject({ method: 'GET', url: `${url}/sample?role=main&status=pending`, headers: admin })
      ).json()
      const reserve = (
        await app.inject({ method: 'GET', url: `${url}/sample?status=reserve`, headers: admin })
      ).json()[0]
      const answer = (unit: string, slotId: string, externalId: string) =>
        app.inject({
          method: 'POST',
          url: '/v1/responses',
          headers: admin,
          payload: { ...response(id), unit, channel: 'interview', sampleSlotId: slotId, externalId }
        })
      t.equal(
        (await answer(reserve.stratum.split('|')[0], reserve.id, 'S-0')).statusCode,
        422,
        'an unreleased reserve cannot answer'
      )
      const posted = await answer(slot.stratum.split('|')[0], slot.id, 'S-1')
      t.equal(posted.statusCode, 201, posted.body)
      const progress = (await app.inject({ method: 'GET', url: `${url}/progress`, headers: admin })).json()
      t.equal(progress.total.responded, 1, 'the response rate moves')
      t.equal(progress.strata.find((s: { stratum: string }) => s.stratum === slot.stratum).responded, 1)
      t.equal((await app.inject({ method: 'DELETE', url: `${url}/frame`, headers: admin })).statusCode, 409)
      t.equal(
        (await app.inject({ method: 'POST', url: `${url}/transitions`, headers: admin, payload: { to: 'closed' } }))
          .statusCode,
        200
      )
      const deleted = await app.inject({ method: 'DELETE', url: `${url}/frame`, headers: admin })
      t.equal(deleted.json().deleted, 600)
      const after = await app.inject({ method: 'GET', url: `${url}/sample?include=contacts&role=main`, headers: admin })
      t.equal(after.json().length, 168 * 3, 'the sample and its weights stay')
      t.notMatch(after.body, /\b0912\d{6}\b/, 'the contacts are gone')
    }
  )
})
