import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, campaignInput, publishApproved, seedProvince } from '../helpers/province.js'

t.test('campaigns: definition, drafts, lifecycle', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await seedProvince(app)
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/campaigns', headers: admin, payload })

  t.test('a campaign is checked against the province, its units and the instrument', async (t) => {
    const bad = await post(
      campaignInput(ids, {
        units: [ids.communes[0], ids.other],
        instrument: { code: 'SIPAS-2017', version: 7 },
        periodEnd: '2025-01-01'
      })
    )
    t.equal(bad.statusCode, 422)
    t.same(
      bad
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
      ['/instrument', '/periodEnd', '/units/1']
    )
    const wrongLevel = await post(campaignInput(ids, { provinceId: ids.communes[0] }))
    t.equal(wrongLevel.json().errors[0].pointer, '/provinceId')
    const invalid = await post({ ...campaignInput(ids), channels: ['carrier-pigeon'] })
    t.equal(invalid.statusCode, 400)
    t.equal(invalid.json().errors[0].pointer, '/channels/0')
  })

  t.test('create, read, list, update while draft', async (t) => {
    const created = await post(campaignInput(ids))
    t.equal(created.statusCode, 201, created.body)
    const c = created.json()
    t.match(c, {
      status: 'draft',
      year: 2026,
      marginOfError: 0.05,
      confidenceLevel: 0.95,
      channels: ['interview'],
      sampled: true,
      scoring: { factorMethod: 'mean-of-criteria', lonelyPsu: 'fail' }
    })
    t.equal(c.units.length, 4)
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/campaigns/${c.id}`,
      headers: admin,
      payload: { marginOfError: 0.03, scoring: { interval: 'beta' } }
    })
    t.equal(patched.statusCode, 200, patched.body)
    t.equal(patched.json().marginOfError, 0.03)
    t.equal(patched.json().scoring.interval, 'beta')
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/v1/campaigns/${c.id}`,
      headers: admin,
      payload: { channels: ['kiosk'], sampled: false, confidenceLevel: 0.9 }
    })
    t.equal(renamed.statusCode, 200, renamed.body)
    const named = (
      await app.inject({ method: 'PATCH', url: `/v1/campaigns/${c.id}`, headers: admin, payload: { name: 'Đổi tên' } })
    ).json()
    t.match(
      named,
      { name: 'Đổi tên', channels: ['kiosk'], sampled: false, confidenceLevel: 0.9, marginOfError: 0.03 },
      'a patch changes what it names: the defaults of the fields it leaves out are not filled in'
    )
    const listed = (
      await app.inject({
        method: 'GET',
        url: `/v1/campaigns?year=2026&provinceId=${ids.province}&status=draft`,
        headers: admin
      })
    ).json()
    t.equal(listed.length >= 1, true)
    t.equal((await app.inject({ method: 'GET', url: '/v1/campaigns?year=2020', headers: admin })).json().length, 0)
    t.equal(
      (await app.inject({ method: 'GET', url: '/v1/campaigns' })).statusCode,
      401,
      'campaigns are for administrators'
    )
  })

  t.test('every illegal transition is refused with problem+json; legal ones are recorded', async (t) => {
    const c = (await post(campaignInput(ids))).json()
    const move = (to: string) =>
      app.inject({ method: 'POST', url: `/v1/campaigns/${c.id}/transitions`, headers: admin, payload: { to } })
    for (const to of ['collecting', 'closed', 'published', 'draft']) {
      const res = await move(to)
      t.equal(res.statusCode, 409, `draft → ${to}`)
      t.equal(res.json().type, '/problems/transition-refused')
      t.match(
        res.json(),
        { reason: to === 'collecting' ? 'sampled' : 'not-a-transition', campaignStatus: 'draft' },
        'members a client branches on'
      )
      t.equal(res.json().errors[0].pointer, '/to')
    }
    t.equal((await move('sampling')).statusCode, 200)
    const collecting = await move('collecting')
    t.equal(collecting.statusCode, 409, 'no collecting without a drawn sample')
    t.match(collecting.json().detail, /no sample has been drawn/)
    t.match(collecting.json(), { reason: 'sample-not-drawn', campaignStatus: 'sampling' })
    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/campaigns/${c.id}`,
      headers: admin,
      payload: { name: 'x' }
    })
    t.equal(patch.statusCode, 409, 'only drafts change')
    t.equal((await move('draft')).statusCode, 200, 'back to draft before the draw')
    const events = (await app.inject({ method: 'GET', url: `/v1/campaigns/${c.id}/events`, headers: admin })).json()
    t.match(events, [
      { from: 'draft', to: 'sampling', actor: 'admin' },
      { from: 'sampling', to: 'draft', actor: 'admin' }
    ])
    const instrument = (await app.inject({ method: 'GET', url: '/v1/instruments/SIPAS-2017/versions/1' })).json()
    t.ok(instrument.lockedAt, 'the instrument is locked once a campaign uses it')
  })

  t.test('a campaign without a sample goes straight to collecting, then closed, then published', async (t) => {
    const c = (await post(campaignInput(ids, { sampled: false, channels: ['kiosk'] }))).json()
    const move = (to: string) =>
      app.inject({ method: 'POST', url: `/v1/campaigns/${c.id}/transitions`, headers: admin, payload: { to } })
    t.equal((await move('sampling')).statusCode, 409)
    for (const to of ['collecting', 'closed']) t.equal((await move(to)).statusCode, 200, to)
    const unapproved = await move('published')
    t.equal(unapproved.json().type, '/problems/publication-not-approved', 'published only by an approval')
    const computation = await app.inject({ method: 'POST', url: `/v1/campaigns/${c.id}/computations`, headers: admin })
    await publishApproved(app, c.id, computation.json().id)
    t.equal(
      (await app.inject({ method: 'GET', url: `/v1/campaigns/${c.id}`, headers: admin })).json().status,
      'published'
    )
    const final = await move('closed')
    t.equal(final.statusCode, 409)
    t.match(final.json().detail, /published is final/)
  })

  t.test('unknown campaign: 404', async (t) => {
    t.equal(
      (await app.inject({ method: 'GET', url: '/v1/campaigns/00000000-0000-4000-8000-000000000000', headers: admin }))
        .statusCode,
      404
    )
  })
})
