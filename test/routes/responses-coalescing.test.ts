import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin, campaignInput } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'

// Single posts that arrive together are written in one statement: each caller must still get its own answer.
t.test('concurrent single posts: one answer per caller, the stored rows exactly the accepted ones', async (t) => {
  const { app } = await buildTestApp(t)
  const { campaign, key, ids } = await collectingCampaign(app)
  const exec = async <T>(text: string) =>
    ((await app.database.db.execute(text as never)) as unknown as { rows: T[] }).rows
  const post = (payload: object, headers = key) =>
    app.inject({ method: 'POST', url: '/v1/responses', headers, payload })
  // A second campaign, cached by the service while it collects, then closed: its posts pass validation and
  // are refused by the INSERT's own status check, inside the same statements as the others.
  const closing = (
    await app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: admin,
      payload: campaignInput(ids, { sampled: false, channels: ['interview', 'kiosk'] })
    })
  ).json().id as string
  await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${closing}/transitions`,
    headers: admin,
    payload: { to: 'collecting' }
  })
  t.equal((await post(response(closing), admin)).statusCode, 201)
  await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${closing}/transitions`,
    headers: admin,
    payload: { to: 'closed' }
  })

  const replayed = response(campaign)
  const overwritten = response(campaign)
  const before = { replayed: (await post(replayed)).json().id, overwritten: (await post(overwritten)).json().id }
  // Statements that inserted into responses, counted by the database itself.
  await exec('create table insert_statements (n int)')
  await exec(
    `create function count_insert() returns trigger language plpgsql as $$ begin insert into insert_statements values (1); return null; end $$`
  )
  await exec('create trigger count_insert after insert on responses for each statement execute function count_insert()')

  const twin = response(campaign)
  // Text that array literals must quote and escape.
  const nasty = 'NULL "q" \\ {a,b} \u1ec7'
  const rival = response(campaign)
  type Case = { what: string; payload: object; headers?: { authorization: string } }
  const cases: Case[] = [
    ...Array.from({ length: 30 }, (_, i) => ({
      what: `new ${i}`,
      payload: response(campaign, i === 0 ? { externalId: nasty, dossierCode: nasty } : {})
    })),
    ...Array.from({ length: 4 }, () => ({ what: 'replay of a stored response', payload: replayed })),
    ...Array.from({ length: 3 }, (_, i) => ({
      what: 'other content under a stored id',
      payload: { ...overwritten, answers: { ...overwritten.answers, 'F1.1': 1 + i } }
    })),
    ...Array.from({ length: 3 }, () => ({ what: 'the same new response twice at once', payload: twin })),
    { what: 'a new id posted with two contents at once', payload: rival },
    {
      what: 'a new id posted with two contents at once',
      payload: { ...rival, answers: { ...rival.answers, 'F1.1': 1 } }
    },
    { what: 'the same external id from the administrator', payload: twin, headers: admin },
    ...Array.from({ length: 3 }, (_, i) => ({
      what: 'invalid',
      payload: response(campaign, { answers: { 'F1.1': 7 + i } })
    })),
    ...Array.from({ length: 3 }, () => ({
      what: 'campaign closed since it was cached',
      payload: response(closing),
      headers: admin
    }))
  ]
  const answers = await Promise.all(cases.map((c) => post(c.payload, c.headers)))
  const by = (what: string) => answers.filter((_, i) => cases[i].what === what)

  const fresh = answers.filter((_, i) => cases[i].what.startsWith('new '))
  t.same(
    fresh.map((a) => a.statusCode),
    fresh.map(() => 201),
    'every new response accepted'
  )
  t.equal(new Set(fresh.map((a) => a.json().id)).size, 30, 'each with its own id')
  t.same(
    by('replay of a stored response').map((a) => [a.statusCode, a.json()]),
    Array(4).fill([200, { id: before.replayed, status: 'duplicate', countsAs: 'unlinked' }])
  )
  for (const a of by('other content under a stored id')) {
    t.equal(a.statusCode, 409)
    t.equal(a.json().errors[0].detail, `conflicts with response ${before.overwritten}`)
  }
  const twins = by('the same new response twice at once')
  t.same(twins.map((a) => a.statusCode).sort(), [200, 200, 201], 'one stored, the others told they replay it')
  t.equal(new Set(twins.map((a) => a.json().id)).size, 1, 'all with the id of the stored one')
  const rivals = by('a new id posted with two contents at once')
  t.same(rivals.map((a) => a.statusCode).sort(), [201, 409])
  const rivalId = rivals.find((a) => a.statusCode === 201)!.json().id
  t.equal(rivals.find((a) => a.statusCode === 409)!.json().errors[0].detail, `conflicts with response ${rivalId}`)
  t.equal(rivals.find((a) => a.statusCode === 409)!.json().existingId, rivalId)
  const [fromAdmin] = by('the same external id from the administrator')
  t.equal(fromAdmin.statusCode, 201, "another client's external ids are its own")
  t.not(fromAdmin.json().id, twins[0].json().id)
  for (const a of by('invalid')) t.same([a.statusCode, a.json().errors[0].pointer], [422, '/answers/F1.1'])
  for (const a of by('campaign closed since it was cached'))
    t.same(
      [a.statusCode, a.json().type, a.json().errors[0].pointer],
      [409, '/problems/campaign-not-collecting', '/campaignId']
    )

  const accepted = answers
    .filter((a) => a.statusCode === 201)
    .map((a) => a.json().id)
    .sort()
  t.equal(accepted.length, 30 + 1 + 1 + 1)
  const stored = await exec<{ id: string }>(
    `select id from responses where id not in ('${before.replayed}', '${before.overwritten}') and campaign_id = '${campaign}' order by id`
  )
  t.same(
    stored.map((r) => r.id),
    accepted,
    'the stored rows are exactly the accepted ones'
  )
  t.equal(
    (await exec<{ n: number }>(`select count(*)::int as n from responses where campaign_id = '${closing}'`))[0].n,
    1,
    'nothing stored in the closed campaign'
  )
  t.same(
    await exec(`select external_id, dossier_code from responses where id = '${fresh[0].json().id}'`),
    [{ external_id: nasty, dossier_code: nasty }],
    'text stored as posted'
  )
  const statements = (await exec<{ n: number }>('select count(*)::int as n from insert_statements'))[0].n
  t.ok(statements < cases.length / 4, `${cases.length} posts written in ${statements} statements`)
})

t.test('a row the database refuses fails only its own post, nothing of it stored', async (t) => {
  const { app } = await buildTestApp(t)
  const { campaign, key } = await collectingCampaign(app)
  const exec = async <T>(text: string) =>
    ((await app.database.db.execute(text as never)) as unknown as { rows: T[] }).rows
  await exec(`create function fail_boom() returns trigger language plpgsql as $$
    begin if new.external_id = 'BOOM' then raise exception 'out of range' using errcode = '22003'; end if; return new; end $$`)
  await exec('create trigger fail_boom before insert on responses for each row execute function fail_boom()')
  const payloads = Array.from({ length: 20 }, (_, i) => response(campaign, i === 7 ? { externalId: 'BOOM' } : {}))
  const answers = await Promise.all(
    payloads.map((payload) => app.inject({ method: 'POST', url: '/v1/responses', headers: key, payload }))
  )
  t.same(
    answers.map((a, i) => (i === 7 ? a.headers['content-type'] : a.statusCode)),
    payloads.map((_, i) => (i === 7 ? 'application/problem+json; charset=utf-8' : 201))
  )
  const stored = await exec<{ external_id: string }>('select external_id from responses order by external_id')
  t.same(
    stored.map((r) => r.external_id),
    payloads
      .filter((_, i) => i !== 7)
      .map((p) => p.externalId)
      .sort()
  )
})
