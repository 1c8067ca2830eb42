import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { collectingCampaign, response } from '../helpers/collecting.js'

t.test('responses have no foreign keys, yet their campaign and unit cannot be deleted from under them', async (t) => {
  const { app } = await buildTestApp(t)
  const { ids, campaign, key } = await collectingCampaign(app)
  const posted = await app.inject({ method: 'POST', url: '/v1/responses', headers: key, payload: response(campaign) })
  t.equal(posted.statusCode, 201, posted.body)
  const { db } = app.database
  await t.rejects(
    db.execute(`delete from campaigns where id = '${campaign}'`),
    { cause: { message: /campaigns .* has responses/ } },
    'not the campaign'
  )
  await t.rejects(
    db.execute(`delete from org_units where id = '${ids.communes[0]}'`),
    { cause: { message: /org_units .* has responses/ } },
    'not the unit answered for'
  )
  // A unit nobody answered for is another matter (its other references permitting).
  await db.execute(`delete from org_units where id = '${ids.other}'`)
  const left = (await db.execute(`select count(*)::int as n from org_units where id = '${ids.other}'`)) as unknown as {
    rows: Array<{ n: number }>
  }
  t.equal(left.rows[0].n, 0)
})
