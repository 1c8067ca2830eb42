import { createServer } from 'node:http'
import { once } from 'node:events'
import t from 'tap'
import { Webhook } from 'standardwebhooks'
import { buildTestApp } from '../helpers/app.js'
import { admin, approvalInput, vietnamToday } from '../helpers/province.js'
import { collectingCampaign, response } from '../helpers/collecting.js'
import { signedHeaders } from '../../src/plugins/webhooks.js'

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
  t.match(secret, /^whsec_/, 'a Standard Webhooks secret is generated and shown once')
  t.ok(Buffer.from(secret.slice('whsec_'.length), 'base64').length >= 24, 'of at least 24 random bytes')
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
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.equal(calls.length, 0, 'a draft is announced to nobody')
  const approved = await app.inject({
    method: 'POST',
    url: `/v1/campaigns/${campaign}/publications/${publication.id}/approval`,
    headers: admin,
    payload: approvalInput()
  })
  t.equal(approved.statusCode, 201, approved.body)

  const deadline = Date.now() + 15_000
  while (calls.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(calls.length, 3, 'two failures, then delivered')
  const first = JSON.parse(calls[0].body)
  t.match(first, {
    event: 'publication.created',
    data: {
      publicationId: publication.id,
      campaignId: campaign,
      version: 1,
      year: 2026,
      decisionNumber: '1234/QĐ-UBND',
      decisionDate: vietnamToday()
    }
  })
  const other = new Webhook(`whsec_${Buffer.alloc(24, 7).toString('base64')}`)
  for (const call of calls) {
    const headers = call.headers as Record<string, string>
    t.same(new Webhook(secret).verify(call.body, headers), first, 'the Standard Webhooks library verifies it')
    t.throws(() => other.verify(call.body, headers), 'and refuses it with another secret')
    t.throws(() => new Webhook(secret).verify(call.body.replace('2026', '2027'), headers), 'or an altered body')
  }
  t.same(
    new Set(calls.map((c) => c.headers['webhook-id'])),
    new Set([first.id]),
    'webhook-id is the delivery id, the same on every retry'
  )
  const gaps = [calls[1].at - calls[0].at, calls[2].at - calls[1].at]
  t.ok(gaps[0] >= 140, `first retry after the base delay (${gaps[0]} ms)`)
  t.ok(gaps[1] >= 290, `second retry after twice as long (${gaps[1]} ms)`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const deliveries = (await app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: admin })).json()
  t.match(deliveries, [{ status: 'delivered', attempts: 3, lastError: 'HTTP 500' }])
})

t.test('webhooks: a caller-given secret must be a Standard Webhooks one', async (t) => {
  const { app } = await buildTestApp(t)
  const subscribe = (secret: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: admin,
      payload: { url: 'https://example.org/hooks', secret }
    })
  const given = `whsec_${Buffer.alloc(32, 1).toString('base64')}`
  const accepted = await subscribe(given)
  t.equal(accepted.statusCode, 201, accepted.body)
  t.equal(accepted.json().secret, given, 'kept as given')
  for (const secret of [
    'a-long-enough-plain-secret-0000',
    `whsec_${Buffer.alloc(16, 1).toString('base64')}`,
    `whsec_${Buffer.alloc(24, 1).toString('base64url')}-_`,
    'whsec_not base64 at all, not at all!'
  ]) {
    const refused = await subscribe(secret)
    t.equal(refused.statusCode, 422, secret)
    t.match(refused.json(), {
      type: '/problems/unprocessable',
      errors: [{ in: 'body', pointer: '/secret', detail: /whsec_/ }]
    })
  }
})

t.test('webhooks: a secret from before the whsec_ convention still signs, as the raw key it was', async (t) => {
  const legacy = 'kX3v9Q_pLm2-Zr8sTq4wYb7nHc1dFg5e'
  const body = JSON.stringify({ id: 'd', event: 'publication.created', data: {} })
  const headers = signedHeaders(legacy, 'delivery-1', body)
  t.same(new Webhook(legacy, { format: 'raw' }).verify(body, headers), JSON.parse(body))
})
