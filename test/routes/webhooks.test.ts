import { createServer } from 'node:http'
import { once } from 'node:events'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { admin } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'
import { signature } from '../../src/plugins/webhooks.js'

t.test('webhooks: signed notices of a publication, a failing subscriber retried with back-off', async (t) => {
  const { app } = await buildTestApp(t, { webhookRetryBaseMs: 150, webhookMaxAttempts: 5 })
  const calls: Array<{ at: number; body: string; headers: Record<string, string | string[] | undefined> }> = []
  const subscriber = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      calls.push({ at: Date.now(), body, headers: req.headers })
      res.statusCode = calls.length <= 2 ? 500 : 204
      res.end()
    })
  })
  subscriber.listen(0, '127.0.0.1')
  await once(subscriber, 'listening')
  t.teardown(() => subscriber.close())
  const port = (subscriber.address() as { port: number }).port

  const { campaign, ids } = await collectingCampaign(app)
  const hook = await app.inject({
    method: 'POST',
    url: '/v1/webhooks',
    headers: admin,
    payload: { url: `http://127.0.0.1:${port}/sipas`, provinceId: ids.province }
  })
  t.equal(hook.statusCode, 201, hook.body)
  const { secret, id } = hook.json()
  t.ok(secret.length >= 16, 'a secret is generated and shown once')
  t.notOk('secret' in (await app.inject({ method: 'GET', url: '/v1/webhooks', headers: admin })).json()[0])

  await app.inject({ method: 'POST', url: '/v1/responses', headers: admin, payload: response(campaign) })
  const computation = (
    await app.inject({ method: 'POST', url: `/v1/campaigns/${campaign}/computations`, headers: admin })
  ).json()
  await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaign}/transitions`,
    headers: admin,
    payload: { to: 'closed' }
  })
  const publication = (
    await app.inject({
      method: 'POST',
      url: `/v1/campaigns/${campaign}/publications`,
      headers: admin,
      payload: { computationId: computation.id }
    })
  ).json()

  const deadline = Date.now() + 15_000
  while (calls.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(calls.length, 3, 'two failures, then delivered')
  const first = JSON.parse(calls[0].body)
  t.match(first, {
    event: 'publication.created',
    data: { publicationId: publication.id, campaignId: campaign, version: 1, year: 2026 }
  })
  for (const call of calls) {
    const header = String(call.headers['x-sipas-signature'])
    const at = Number(/t=(\d+)/.exec(header)![1])
    t.equal(header, signature(secret, call.body, at), 'the signature verifies with the secret')
    t.not(header, signature('another-secret-000', call.body, at))
  }
  const gaps = [calls[1].at - calls[0].at, calls[2].at - calls[1].at]
  t.ok(gaps[0] >= 140, `first retry after the base delay (${gaps[0]} ms)`)
  t.ok(gaps[1] >= 290, `second retry after twice as long (${gaps[1]} ms)`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const deliveries = (await app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: admin })).json()
  t.match(deliveries, [{ status: 'delivered', attempts: 3, lastError: 'HTTP 500' }])
})
