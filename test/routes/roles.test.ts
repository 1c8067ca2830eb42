import t from 'tap'
import type { App } from '../../src/app.js'
import { buildTestApp } from '../helpers/app.js'
import { admin, campaignInput, seedProvince } from '../helpers/province.js'
import { frame } from '../helpers/frame.js'
import { response } from '../helpers/collecting.js'

type Who = 'public' | 'admin' | 'province-admin' | 'surveyor' | 'client'
const ROLES: Who[] = ['public', 'admin', 'province-admin', 'surveyor', 'client']

/**
 * Who may call what, written here independently of the routes' own declarations: a route added without a
 * line here fails the walk below.
 */
const PUBLIC: Who[] = ROLES
const ADMIN: Who[] = ['admin']
const MANAGERS: Who[] = ['admin', 'province-admin']
const FIELDWORK: Who[] = ['admin', 'province-admin', 'surveyor']
const INGESTION: Who[] = ['admin', 'surveyor', 'client']
const EXPECTED: Record<string, Who[]> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /problems': PUBLIC,
  'GET /problems/{slug}': PUBLIC,
  'GET /v1/units': PUBLIC,
  'GET /v1/units/{id}': PUBLIC,
  'POST /v1/units': MANAGERS,
  'POST /v1/units/import': ADMIN,
  'POST /v1/units/seed/vn-2025': ADMIN,
  'GET /v1/instruments': PUBLIC,
  'POST /v1/instruments': MANAGERS,
  'GET /v1/instruments/{code}/versions/{version}': PUBLIC,
  'POST /v1/campaigns': MANAGERS,
  'GET /v1/campaigns': MANAGERS,
  'GET /v1/campaigns/{id}': MANAGERS,
  'PATCH /v1/campaigns/{id}': MANAGERS,
  'POST /v1/campaigns/{id}/transitions': MANAGERS,
  'GET /v1/campaigns/{id}/events': MANAGERS,
  'POST /v1/campaigns/{id}/frame': MANAGERS,
  'GET /v1/campaigns/{id}/frame': MANAGERS,
  'DELETE /v1/campaigns/{id}/frame': MANAGERS,
  'POST /v1/campaigns/{id}/sample-design': MANAGERS,
  'GET /v1/campaigns/{id}/sample-design': MANAGERS,
  'POST /v1/campaigns/{id}/sample': MANAGERS,
  'GET /v1/campaigns/{id}/sample': FIELDWORK,
  'PATCH /v1/campaigns/{id}/sample/{slotId}': FIELDWORK,
  'POST /v1/campaigns/{id}/sample/{slotId}/replacement': FIELDWORK,
  'GET /v1/campaigns/{id}/progress': MANAGERS,
  'POST /v1/clients': MANAGERS,
  'GET /v1/clients': MANAGERS,
  'POST /v1/clients/{id}/rotation': MANAGERS,
  'DELETE /v1/clients/{id}': MANAGERS,
  'POST /v1/responses': INGESTION,
  'POST /v1/responses/batch': INGESTION,
  'POST /v1/campaigns/{id}/computations': MANAGERS,
  'GET /v1/campaigns/{id}/computations/{computationId}': MANAGERS,
  'POST /v1/campaigns/{id}/publications': MANAGERS,
  'POST /v1/campaigns/{id}/publications/{publicationId}/approval': MANAGERS,
  'GET /v1/campaigns/{id}/publications': PUBLIC,
  'GET /v1/campaigns/{id}/publications/{publicationId}/report': MANAGERS,
  'GET /v1/public/publications': PUBLIC,
  'GET /v1/public/publications/{id}': PUBLIC,
  'GET /v1/public/publications/{id}/units/{unitId}': PUBLIC,
  'GET /v1/public/publications/{id}/report': PUBLIC,
  'GET /v1/public/units/{unitId}/series': PUBLIC,
  'POST /v1/history': MANAGERS,
  'POST /v1/webhooks': ADMIN,
  'GET /v1/webhooks': ADMIN,
  'DELETE /v1/webhooks/{id}': ADMIN,
  'GET /v1/webhooks/{id}/deliveries': ADMIN,
  'GET /v1/audit': MANAGERS
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

async function createKey(app: App, headers: Record<string, string>, payload: object) {
  const res = await app.inject({ method: 'POST', url: '/v1/clients', headers, payload })
  return res
}

t.test('roles: what each key may do, in its province and units only, every change audited', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = await seedProvince(app)
  const [hoaBinh, thanhSon] = ids.communes
  const keyOf = async (payload: object) => {
    const res = await createKey(app, admin, payload)
    t.equal(res.statusCode, 201, res.body)
    return res.json() as { id: string; key: string; role: string }
  }
  const phuTho = await keyOf({
    name: 'Sở Nội vụ Phú Thọ',
    role: 'province-admin',
    units: [ids.province],
    campaigns: []
  })
  const haNoi = await keyOf({ name: 'Sở Nội vụ Hà Nội', role: 'province-admin', units: [ids.other], campaigns: [] })
  t.equal(phuTho.role, 'province-admin')
  const asPhuTho = bearer(phuTho.key)
  const asHaNoi = bearer(haNoi.key)

  // A campaign of the other province, defined by the system administrator.
  const hanoiCampaign = await app.inject({
    method: 'POST',
    url: '/v1/campaigns',
    headers: admin,
    payload: {
      ...campaignInput({ province: ids.other, communes: [], agency: ids.other }),
      name: 'SIPAS Hà Nội 2026',
      units: [ids.other]
    }
  })
  t.equal(hanoiCampaign.statusCode, 201, hanoiCampaign.body)

  let campaignId = ''
  let slots: Array<{ id: string; unitId: string; status: string }> = []
  let surveyor = { id: '', key: '' }

  t.test('a province administrator runs its own campaign, and nothing outside its province', async (t) => {
    const outside = await app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: asPhuTho,
      payload: campaignInput({ ...ids, province: ids.other, communes: [], agency: ids.other }, { units: [ids.other] })
    })
    t.equal(outside.statusCode, 403, 'not for another province')
    t.equal(outside.json().errors[0].pointer, '/provinceId')
    const created = await app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: asPhuTho,
      payload: campaignInput(ids)
    })
    t.equal(created.statusCode, 201, created.body)
    campaignId = created.json().id
    const listed = (await app.inject({ method: 'GET', url: '/v1/campaigns', headers: asPhuTho })).json() as Array<{
      id: string
      provinceId: string
    }>
    t.same(
      listed.map((c) => c.id),
      [campaignId],
      'lists its own province only'
    )
    t.equal(
      (await app.inject({ method: 'GET', url: '/v1/campaigns', headers: admin })).json().length,
      2,
      'the system administrator sees both'
    )
    t.equal(
      (await app.inject({ method: 'GET', url: `/v1/campaigns/${hanoiCampaign.json().id}`, headers: asPhuTho }))
        .statusCode,
      403,
      "another province's campaign: 403"
    )

    const url = `/v1/campaigns/${campaignId}`
    const up = await app.inject({
      method: 'POST',
      url: `${url}/frame`,
      headers: { ...asPhuTho, 'content-type': 'application/x-ndjson' },
      payload: frame(300)
    })
    t.equal(up.statusCode, 201, up.body)
    t.equal(
      (await app.inject({ method: 'POST', url: `${url}/transitions`, headers: asPhuTho, payload: { to: 'sampling' } }))
        .statusCode,
      200
    )
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: `${url}/sample-design`,
          headers: asPhuTho,
          payload: { stratifyBy: 'unit-channel', minimumPerUnit: 20 }
        })
      ).statusCode,
      200
    )
    t.equal(
      (await app.inject({ method: 'POST', url: `${url}/sample`, headers: asPhuTho, payload: { seed: 'roles' } }))
        .statusCode,
      201
    )
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: `${url}/transitions`,
          headers: asPhuTho,
          payload: { to: 'collecting' }
        })
      ).statusCode,
      200
    )
    slots = (await app.inject({ method: 'GET', url: `${url}/sample?role=main`, headers: asPhuTho })).json()
    t.ok(slots.length > 0)

    t.equal(
      (await app.inject({ method: 'GET', url, headers: asHaNoi })).statusCode,
      403,
      "the other province's administrator cannot read it"
    )
    t.equal(
      (await app.inject({ method: 'POST', url: `${url}/computations`, headers: asHaNoi })).statusCode,
      403,
      'nor compute it'
    )
    t.equal(
      (
        await app.inject({
          method: 'PATCH',
          url: `${url}/sample/${slots[0].id}`,
          headers: asHaNoi,
          payload: { status: 'contacted' }
        })
      ).statusCode,
      403,
      'nor touch its sample'
    )
  })

  t.test('a province administrator hands out surveyor and client keys of its province only', async (t) => {
    const made = await createKey(app, asPhuTho, {
      name: 'Điều tra viên Hòa Bình',
      role: 'surveyor',
      units: [hoaBinh],
      campaigns: [campaignId]
    })
    t.equal(made.statusCode, 201, made.body)
    surveyor = made.json()
    t.equal(
      (await createKey(app, asPhuTho, { name: 'x', role: 'province-admin', units: [ids.province], campaigns: [] }))
        .statusCode,
      403,
      'not another administrator'
    )
    t.equal(
      (await createKey(app, asPhuTho, { name: 'x', role: 'client', units: [ids.other], campaigns: [campaignId] }))
        .statusCode,
      403,
      "not for another province's units"
    )
    const foreign = await createKey(app, asPhuTho, {
      name: 'x',
      role: 'client',
      units: [hoaBinh],
      campaigns: [hanoiCampaign.json().id]
    })
    t.equal(foreign.statusCode, 403, "not for another province's campaign")
    t.equal(foreign.json().errors[0].pointer, '/campaigns/0')
    t.equal(
      (await createKey(app, asPhuTho, { name: 'x', role: 'surveyor', units: [hoaBinh], campaigns: [] })).statusCode,
      422,
      'a surveyor needs a campaign'
    )
    const listed = (await app.inject({ method: 'GET', url: '/v1/clients', headers: asPhuTho })).json() as Array<{
      id: string
    }>
    t.same(
      listed.map((k) => k.id),
      [surveyor.id],
      'lists the keys it manages'
    )
    t.equal(
      (await app.inject({ method: 'DELETE', url: `/v1/clients/${haNoi.id}`, headers: asPhuTho })).statusCode,
      403,
      'cannot revoke another administrator'
    )
  })

  t.test('a surveyor works on the sample of its own units', async (t) => {
    const asSurveyor = bearer(surveyor.key)
    const url = `/v1/campaigns/${campaignId}`
    const mine = (
      await app.inject({ method: 'GET', url: `${url}/sample?role=main&include=contacts`, headers: asSurveyor })
    ).json() as Array<{ id: string; unitId: string; dossierCode: string; contact: { phone: string | null } }>
    t.ok(mine.length > 0 && mine.length < slots.length, 'a part of the sample')
    t.ok(
      mine.every((s) => s.unitId === hoaBinh),
      'only its commune'
    )
    t.ok(
      mine.every((s) => s.contact.phone !== null),
      'with the contacts it needs to call'
    )
    const theirs = slots.find((s) => s.unitId === thanhSon)!
    t.equal(
      (
        await app.inject({
          method: 'PATCH',
          url: `${url}/sample/${theirs.id}`,
          headers: asSurveyor,
          payload: { status: 'contacted' }
        })
      ).statusCode,
      403,
      "another commune's slot: 403"
    )
    const outcome = await app.inject({
      method: 'PATCH',
      url: `${url}/sample/${mine[0].id}`,
      headers: asSurveyor,
      payload: { status: 'contacted' }
    })
    t.equal(outcome.statusCode, 200, outcome.body)
    const posted = await app.inject({
      method: 'POST',
      url: '/v1/responses',
      headers: asSurveyor,
      payload: response(campaignId, {
        channel: 'interview',
        sampleSlotId: mine[1].id,
        dossierCode: mine[1].dossierCode
      })
    })
    t.equal(posted.statusCode, 201, posted.body)
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/responses',
          headers: asSurveyor,
          payload: response(campaignId, { channel: 'interview', unit: '08501' })
        })
      ).statusCode,
      403,
      'not for another commune'
    )
    t.equal(
      (await app.inject({ method: 'POST', url: `${url}/transitions`, headers: asSurveyor, payload: { to: 'closed' } }))
        .statusCode,
      403,
      "not the campaign's lifecycle"
    )
    t.equal((await app.inject({ method: 'GET', url, headers: asSurveyor })).statusCode, 403)
  })

  t.test(
    'the audit log: every change with who, when and where; paged by cursor; a province reads its own',
    async (t) => {
      const refused = await app.inject({
        method: 'POST',
        url: `/v1/campaigns/${campaignId}/transitions`,
        headers: asPhuTho,
        payload: { to: 'published' }
      })
      t.equal(refused.statusCode, 409, 'a refused change…')
      const all = (await app.inject({ method: 'GET', url: '/v1/audit?limit=1000', headers: admin })).json() as {
        items: Array<Record<string, unknown>>
        next: string | null
      }
      t.equal(all.next, null)
      const actions = all.items.map((e) => e.action)
      t.notOk(
        all.items.some(
          (e) => e.action === 'campaign.transition' && (e.after as { status: string }).status === 'published'
        ),
        '…leaves no entry'
      )
      for (const action of [
        'api-key.create',
        'campaign.create',
        'frame.upload',
        'campaign.transition',
        'sample.design',
        'sample.draw',
        'sample.outcome',
        'unit.import'
      ])
        t.ok(actions.includes(action), action)
      const created = all.items.find((e) => e.action === 'campaign.create' && e.entityId === campaignId)!
      t.match(created, {
        actor: `province-admin:${phuTho.id}`,
        role: 'province-admin',
        entity: 'campaign',
        provinceId: ids.province,
        after: { status: 'draft' }
      })
      t.ok(
        typeof created.ip === 'string' &&
          typeof created.requestId === 'string' &&
          !Number.isNaN(Date.parse(created.at as string))
      )
      const outcome = all.items.find((e) => e.action === 'sample.outcome')!
      t.match(outcome, {
        actor: `surveyor:${surveyor.id}`,
        entity: 'sample-slot',
        before: { status: 'pending' },
        after: { status: 'contacted' }
      })
      // The frame's phone numbers are 0912 and six digits (helpers/frame.ts); ids are hex and may hold "0912".
      t.notOk(
        /(?<![0-9a-f])0912\d{6}(?![0-9a-f])/.test(JSON.stringify(all)),
        'no phone number (personal data) in the log'
      )

      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page = (
          await app.inject({
            method: 'GET',
            url: `/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
            headers: admin
          })
        ).json() as { items: Array<{ id: string }>; next: string | null }
        seen.push(...page.items.map((e) => e.id))
        cursor = page.next
      } while (cursor)
      t.same(
        seen,
        all.items.map((e) => e.id),
        'the pages add up to the whole log, newest first, without gaps or repeats'
      )
      t.ok(seen.every((id, i) => i === 0 || Number(id) < Number(seen[i - 1])))

      const filtered = (
        await app.inject({
          method: 'GET',
          url: `/v1/audit?action=campaign.transition&entityId=${campaignId}`,
          headers: admin
        })
      ).json()
      t.same(
        filtered.items.map((e: { after: { status: string } }) => e.after.status),
        ['collecting', 'sampling']
      )
      const own = (await app.inject({ method: 'GET', url: '/v1/audit?limit=1000', headers: asPhuTho })).json() as {
        items: Array<{ provinceId: string }>
      }
      t.ok(
        own.items.length > 0 && own.items.every((e) => e.provinceId === ids.province),
        "a province administrator reads its province's entries"
      )
      const other = (await app.inject({ method: 'GET', url: '/v1/audit?limit=1000', headers: asHaNoi })).json() as {
        items: Array<{ provinceId: string }>
      }
      t.ok(
        other.items.every((e) => e.provinceId === ids.other),
        "and no other province's"
      )

      await t.rejects(
        app.database.db.execute("update audit_log set actor = 'someone else'"),
        'the log is append-only in the database'
      )
      await t.rejects(app.database.db.execute('delete from audit_log'), 'the log cannot be deleted')
    }
  )

  t.test('every route in the OpenAPI document, with every role: 401, 403, or through', async (t) => {
    const spare = await keyOf({ name: 'spare', role: 'client', units: [hoaBinh], campaigns: [campaignId] })
    const client = await keyOf({
      name: 'Một cửa Phú Thọ',
      role: 'client',
      units: [ids.province],
      campaigns: [campaignId]
    })
    const headers: Record<Who, Record<string, string>> = {
      public: {},
      admin,
      'province-admin': asPhuTho,
      surveyor: bearer(surveyor.key),
      client: bearer(client.key)
    }
    const slot = slots.find((s) => s.unitId === hoaBinh && s.status === 'pending')!
    const document = app.swagger() as {
      paths: Record<string, Record<string, { security?: unknown[]; description?: string }>>
    }
    const param = (path: string, name: string): string => {
      if (name === 'slotId') return slot.id
      if (name === 'slug') return 'not-found'
      if (name === 'code') return 'SIPAS-2017'
      if (name === 'version') return '1'
      if (name === 'unitId') return hoaBinh
      if (path.startsWith('/v1/clients')) return spare.id
      if (path.startsWith('/v1/units')) return hoaBinh
      if (path.startsWith('/v1/campaigns')) return campaignId
      return '00000000-0000-4000-8000-000000000000'
    }
    const walked = new Set<string>()
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`
        walked.add(route)
        const allowed = EXPECTED[route]
        if (!t.ok(allowed, `${route} has an expected access`)) continue
        t.equal(
          (operation.security?.length ?? 0) > 0,
          allowed !== PUBLIC,
          `${route}: the document says whether it needs a key`
        )
        const url = path.replace(/\{(\w+)\}/g, (_, name: string) => param(path, name))
        for (const who of ROLES) {
          const res = await app.inject({
            method: method.toUpperCase() as 'GET',
            url,
            headers: headers[who],
            ...(['post', 'patch'].includes(method) ? { payload: {} } : {})
          })
          const expected = allowed.includes(who) ? 'through' : who === 'public' ? 401 : 403
          const got = res.statusCode === 401 || res.statusCode === 403 ? res.statusCode : 'through'
          t.equal(got, expected, `${route} as ${who}: ${res.statusCode}`)
          t.ok(res.statusCode < 500, `${route} as ${who}: not a server error (${res.statusCode})`)
        }
      }
    }
    t.same(
      Object.keys(EXPECTED).filter((route) => !walked.has(route)),
      [],
      'every expected route is in the document'
    )
  })
})
