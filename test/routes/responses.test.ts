import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'

t.test('ingestion of responses', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const { campaign, client, key, ids } = await collectingCampaign(app)
  const post = (payload: unknown, headers = key) =>
    app.inject({ method: 'POST', url: '/v1/responses', headers, payload: payload as object })
  const batch = (payload: unknown, query = '', headers: Record<string, string> = key) =>
    app.inject({ method: 'POST', url: `/v1/responses/batch${query}`, headers, payload: payload as object })
  const count = async () =>
    Number(
      (
        (await app.database.db.execute('select count(*)::int as n from responses' as never)) as unknown as {
          rows: Array<{ n: number }>
        }
      ).rows[0].n
    )

  t.test('client keys: shown once, stored hashed, listed without the key', async (t) => {
    t.match(client.key, /^sipas_[\w-]{43}$/)
    const list = (await app.inject({ method: 'GET', url: '/v1/clients', headers: admin })).json()
    t.equal(list.length, 1)
    t.notOk('key' in list[0])
    t.equal(list[0].keyPrefix, client.key.slice(0, 12))
    t.equal(
      (await app.inject({ method: 'GET', url: '/v1/clients', headers: key })).statusCode,
      403,
      'a client key is not an admin key'
    )
  })

  t.test('a valid response is stored once; a replay is a duplicate; other content under its id is a 409', async (t) => {
    const r = response(campaign, {
      answers: { ...response(campaign).answers, 'E.IMPROVE': [4, 5], GENDER: 2 },
      procedureCode: '1.001612.000.00.00.H48'
    })
    const first = await post(r)
    t.equal(first.statusCode, 201, first.body)
    t.equal(first.json().status, 'accepted')
    const again = await post(r)
    t.equal(again.statusCode, 200)
    t.same(again.json(), { id: first.json().id, status: 'duplicate', countsAs: 'unlinked' })
    const changed = await post({ ...r, answers: { ...r.answers, 'F1.1': 1 } })
    t.equal(changed.statusCode, 409)
    t.equal(changed.json().type, '/problems/external-id-reused')
    t.equal(changed.json().existingId, first.json().id, 'the stored response, as an extension member')
    t.equal(changed.json().errors[0].pointer, '/externalId')
    const [stored] = (
      (await app.database.db.execute(
        `select procedure_code, answers from responses where id = '${first.json().id}'` as never
      )) as unknown as { rows: Array<{ procedure_code: string; answers: number[] }> }
    ).rows
    t.equal(stored.procedure_code, '1.001612', 'procedure code in its short form')
    t.equal(
      stored.answers.length,
      22 + 6 + 5 + 8 + 6,
      'one column per criterion, satisfaction, perception, expectation option, profile item'
    )
  })

  t.test('every validation rule names the field', async (t) => {
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ['unknown item', { answers: { 'F9.9': 4 } }, '/answers/F9.9', 'response-invalid'],
      ['required item missing', { answers: { 'F1.1': 4 } }, '/answers/F2.3', 'response-invalid'],
      ['value outside the scale', { answers: { 'F1.1': 7 } }, '/answers/F1.1', 'response-invalid'],
      ['single choice answered twice', { answers: { 'F1.1': [4, 5] } }, '/answers/F1.1', 'response-invalid'],
      ['too many picks', { answers: { 'E.IMPROVE': [1, 2, 3, 4] } }, '/answers/E.IMPROVE', 'response-invalid'],
      ['channel not accepted', { channel: 'online-survey' }, '/channel', 'channel-not-accepted'],
      ['outside the window', { collectedAt: '2026-12-15T09:00:00+07:00' }, '/collectedAt', 'outside-collection-window'],
      ['unit outside the campaign', { unit: '01' }, '/unit', 'unit-out-of-scope'],
      ['bad date', { collectedAt: 'yesterday' }, '/collectedAt', 'response-invalid'],
      ['missing external id', { externalId: undefined }, '/externalId', 'response-invalid'],
      ['unknown property', { fax: '024' }, '/fax', 'response-invalid']
    ]
    for (const [what, change, pointer, type] of cases) {
      const res = await post({ ...response(campaign), ...change })
      t.equal(res.statusCode, 422, what)
      t.equal(res.json().type, `/problems/${type}`, what)
      t.notMatch(res.body, /schema is false/, `${what}: no validator jargon`)
      t.match(
        res.json().detail,
        type === 'response-invalid' ? /^The response is not valid: / : /^The campaign does not take this response: \S/,
        `${what}: the detail blames the record only when the record is at fault`
      )
      t.ok(
        res.json().errors.some((e: { pointer: string }) => e.pointer === pointer),
        `${what}: ${res.body}`
      )
    }
    t.equal(
      (await post({ ...response(campaign), sampleSlotId: '00000000-0000-4000-8000-000000000000' })).json().errors[0]
        .pointer,
      '/sampleSlotId'
    )
  })

  t.test('scope: other units and campaigns are 403 and nothing is stored', async (t) => {
    const before = await count()
    const other = await post(response(campaign, { unit: '08502' }))
    t.equal(other.statusCode, 403)
    t.equal(other.json().type, '/problems/forbidden')
    const mixed = await batch([response(campaign), response(campaign, { unit: '08502' })])
    t.equal(mixed.statusCode, 403)
    t.equal(await count(), before, 'nothing of the request stored')
    const adminPost = await post(response(campaign, { unit: '08502' }), admin)
    t.equal(adminPost.statusCode, 201, 'the administrator may post anywhere')
    t.ok(ids)
  })

  t.test('mixed batches answer per record and keep the valid ones', async (t) => {
    const before = await count()
    const dup = response(campaign)
    await post(dup)
    const res = await batch([
      response(campaign),
      dup,
      response(campaign, { answers: { 'F1.1': 9 } }),
      { ...dup, answers: { ...dup.answers, 'F1.1': 1 } },
      { nonsense: true }
    ])
    t.equal(res.statusCode, 200, res.body)
    t.match(res.json(), { accepted: 1, duplicate: 1, conflict: 1, rejected: 2 })
    t.same(
      res.json().results.map((r: { status: string }) => r.status),
      ['accepted', 'duplicate', 'rejected', 'conflict', 'rejected']
    )
    t.equal(res.json().results[2].errors[0].pointer, '/2/answers/F1.1')
    t.same(
      res.json().results.map((r: { type?: string }) => r.type),
      [
        undefined,
        undefined,
        '/problems/response-invalid',
        '/problems/external-id-reused',
        '/problems/response-invalid'
      ],
      'each refused record names the problem type a single POST of it would answer'
    )
    t.equal(await count(), before + 2)
  })

  t.test('all-or-nothing batches store nothing when a record is rejected', async (t) => {
    const before = await count()
    const res = await batch([response(campaign), response(campaign, { answers: { 'F1.1': 9 } })], '?atomic=true')
    t.equal(res.statusCode, 422)
    t.equal(res.json().type, '/problems/batch-refused')
    t.equal(res.json().errors[0].pointer, '/1/answers/F1.1')
    t.equal(await count(), before)
    const ok = await batch([response(campaign), response(campaign)], '?atomic=true')
    t.equal(ok.json().accepted, 2)
  })

  t.test('a repeated external id inside one batch is stored once', async (t) => {
    const r = response(campaign)
    const res = await batch([r, r, { ...r, answers: { ...r.answers, 'F1.1': 2 } }])
    t.same(
      res.json().results.map((x: { status: string }) => x.status),
      ['accepted', 'duplicate', 'conflict']
    )
    t.equal(res.json().results[1].id, res.json().results[0].id)
  })

  t.test('NDJSON streaming of a large batch', async (t) => {
    const before = await count()
    const lines = Array.from({ length: 5000 }, () => JSON.stringify(response(campaign))).join('\n')
    const res = await batch(lines, '', { ...key, 'content-type': 'application/x-ndjson' })
    t.equal(res.statusCode, 200)
    t.equal(res.json().accepted, 5000)
    t.equal(await count(), before + 5000)
  })

  t.test(
    'an NDJSON line that is not JSON is the error of its record, with its line number; the others are stored',
    async (t) => {
      const before = await count()
      const lines = [JSON.stringify(response(campaign)), '', '{"campaignId": ', JSON.stringify(response(campaign))]
      const res = await batch(lines.join('\n'), '', { ...key, 'content-type': 'application/x-ndjson' })
      t.equal(res.statusCode, 200, res.body)
      t.match(res.json(), { accepted: 2, rejected: 1 })
      t.match(res.json().results[1], {
        status: 'rejected',
        errors: [{ pointer: '/1', detail: /^line 3 is not valid JSON: \S/ }]
      })
      t.equal(await count(), before + 2)
    }
  )

  t.test('revocation and rotation take effect at once', async (t) => {
    t.equal((await post(response(campaign))).statusCode, 201)
    const rotated = (
      await app.inject({ method: 'POST', url: `/v1/clients/${client.id}/rotation`, headers: admin })
    ).json()
    t.equal((await post(response(campaign))).statusCode, 401, 'the old key stops working')
    const newKey = { authorization: `Bearer ${rotated.key}` }
    t.equal((await post(response(campaign), newKey)).statusCode, 201)
    await app.inject({ method: 'DELETE', url: `/v1/clients/${client.id}`, headers: admin })
    t.equal((await post(response(campaign), newKey)).statusCode, 401, 'revoked')
  })

  t.test('a campaign that is not collecting refuses responses', async (t) => {
    await app.inject({
      method: 'POST',
      url: `/v1/campaigns/${campaign}/transitions`,
      headers: admin,
      payload: { to: 'closed' }
    })
    const res = await post(response(campaign), admin)
    t.equal(res.statusCode, 409)
    t.equal(res.json().type, '/problems/campaign-not-collecting')
    t.equal(res.json().errors[0].pointer, '/campaignId')
    const inBatch = await batch([response(campaign)], '', admin)
    t.match(inBatch.json().results[0], { status: 'rejected', type: '/problems/campaign-not-collecting' })
  })

  t.test('keys never reach the logs', async (t) => {
    t.notMatch(JSON.stringify(logs()), /sipas_[\w-]{20}/)
  })
})

t.test('a database failure mid-batch: 503 with Retry-After, nothing half-stored, the retry succeeds', async (t) => {
  const { app } = await buildTestApp(t)
  const { campaign, key } = await collectingCampaign(app)
  const exec = (text: string) =>
    app.database.db.execute(text as never) as unknown as Promise<{ rows: Array<{ n: number }> }>
  // The 700th row of the batch makes the server fail as a shutdown would (SQLSTATE 57P01).
  await exec(`create function fail_mid_batch() returns trigger language plpgsql as $$
    begin if new.external_id = 'BOOM' then raise exception 'terminating connection' using errcode = '57P01'; end if; return new; end $$`)
  await exec('create trigger fail_mid_batch before insert on responses for each row execute function fail_mid_batch()')
  const records = Array.from({ length: 1000 }, (_, i) =>
    response(campaign, { externalId: i === 699 ? 'BOOM' : `F-${i}` })
  )
  const failed = await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: key, payload: records })
  t.equal(failed.statusCode, 503)
  t.equal(failed.headers['retry-after'], '5')
  t.equal(failed.json().type, '/problems/service-unavailable')
  t.equal((await exec('select count(*)::int as n from responses')).rows[0].n, 0, 'nothing of the batch is stored')
  await exec('drop trigger fail_mid_batch on responses')
  const retried = await app.inject({ method: 'POST', url: '/v1/responses/batch', headers: key, payload: records })
  t.equal(retried.json().accepted, 1000)
  t.equal((await exec('select count(*)::int as n from responses')).rows[0].n, 1000)
})
