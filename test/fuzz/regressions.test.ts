import t from 'tap'
import type { Test } from 'tap'
import type { InjectOptions } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { admin } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'

/** What the fuzzer found (each was a 500 or a plain-JSON answer), kept as plain cases. */
t.test('requests the fuzzer found answer a problem of the catalogue', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const { campaign, key } = await collectingCampaign(app)
  const problem = async (t: Test, request: InjectOptions, status: number, type: string) => {
    const res = await app.inject(request)
    t.equal(res.statusCode, status, res.body.slice(0, 300))
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.equal(res.json().type, `/problems/${type}`)
  }

  t.test('a malformed percent-escape or an overlong parameter in the path (was plain JSON, 400 and 414)', async (t) => {
    await problem(t, { method: 'GET', url: '/v1/units/%E0%A4%A' }, 400, 'invalid-request')
    await problem(t, { method: 'GET', url: '/problems/%' }, 400, 'invalid-request')
    await problem(t, { method: 'GET', url: `/v1/units/${'a'.repeat(101)}` }, 400, 'invalid-request')
  })

  t.test(
    'a route whose body is typed by content type, called without a body or in a type it does not declare (reached the handler unchecked: 500s)',
    async (t) => {
      await problem(t, { method: 'POST', url: '/v1/units/import', headers: admin }, 400, 'malformed-body')
      await problem(t, { method: 'POST', url: '/v1/responses/batch', headers: key }, 400, 'malformed-body')
      await problem(
        t,
        { method: 'POST', url: `/v1/campaigns/${campaign}/frame`, headers: admin },
        400,
        'malformed-body'
      )
      await problem(
        t,
        { method: 'POST', url: '/v1/responses/batch', headers: { ...key, 'content-type': 'text/plain' }, payload: '' },
        415,
        'unsupported-media-type'
      )
      for (const headers of [{ ...key, 'content-type': 'text/plain' }, key])
        t.match(
          (
            await app.inject({
              method: 'POST',
              url: '/v1/responses/batch',
              headers,
              payload: JSON.stringify([response(campaign)])
            })
          ).json(),
          { status: 415, detail: /^This route takes application\/json, application\/x-ndjson; the body was sent / },
          'the detail names the types the route takes'
        )
      await problem(
        t,
        {
          method: 'POST',
          url: '/v1/units/import',
          headers: { ...admin, 'content-type': 'text/plain' },
          payload: 'code\n01'
        },
        415,
        'unsupported-media-type'
      )
    }
  )

  t.test('values the schema lets through but the database cannot hold (was 500)', async (t) => {
    await problem(t, { method: 'GET', url: '/v1/campaigns?year=1e309', headers: admin }, 400, 'invalid-request')
    await problem(t, { method: 'GET', url: '/v1/public/publications?year=99999999999' }, 400, 'invalid-request')
    await problem(t, { method: 'GET', url: '/v1/units?q=%00' }, 400, 'invalid-request')
  })

  t.test("a NUL in a response's text is that record's error, named by its pointer (was the whole batch)", async (t) => {
    await problem(
      t,
      { method: 'POST', url: '/v1/responses', headers: key, payload: response(campaign, { externalId: 'a\u0000b' }) },
      422,
      'response-invalid'
    )
    const batch = await app.inject({
      method: 'POST',
      url: '/v1/responses/batch',
      headers: key,
      payload: [response(campaign), response(campaign, { dossierCode: 'H48\u0000' })]
    })
    t.equal(batch.statusCode, 200, batch.body)
    t.match(batch.json(), {
      accepted: 1,
      rejected: 1,
      results: [{ status: 'accepted' }, { status: 'rejected', errors: [{ pointer: '/1/dossierCode' }] }]
    })
  })

  t.same(
    logs().filter((l) => (l.level as number) >= 50),
    [],
    'none of them is logged as an error'
  )
})

t.test('a response whose externalId holds a lone surrogate is refused, and nothing is stored', async (t) => {
  const { app } = await buildTestApp(t)
  const { campaign, key } = await collectingCampaign(app)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/responses',
    headers: { ...key, 'content-type': 'application/json' },
    payload: JSON.stringify(response(campaign, { externalId: 'x\ud800y' }))
  })
  const { rows } = (await app.database.db.execute('select count(*)::int as n from responses' as never)) as unknown as {
    rows: Array<{ n: number }>
  }
  t.equal(res.statusCode, 422, res.body.slice(0, 200))
  t.equal(res.json().errors[0].pointer, '/externalId')
  t.equal(rows[0].n, 0, 'nothing stored')
})
