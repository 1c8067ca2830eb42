import t from 'tap'
import Type from 'typebox'
import { buildTestApp } from '../helpers/app.js'
import type { App } from '../../src/app.js'
import type { Test } from 'tap'
import { Problem } from '../../src/problems.js'

const Echo = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    answers: Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 5 })),
    'a/b': Type.Optional(Type.Integer())
  },
  { additionalProperties: false }
)

/** Routes that exist only for these tests: a validated body, a domain problem and a crash. */
function testRoutes(app: App): void {
  app.post(
    '/echo',
    { schema: { body: Echo, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ maximum: 10 })) }) } },
    async (request) => request.body
  )
  app.get('/conflict', async () => {
    throw new Problem(
      'external-id-reused',
      'Already there.',
      [{ in: 'body', pointer: '/id', detail: 'taken' }],
      undefined,
      {
        existingId: 'r1',
        type: 'not this'
      }
    )
  })
  app.get('/crash', async () => {
    throw Object.assign(new Error('boom at row (0901234567)'), { detail: 'Key (phone)=(0901234567) exists' })
  })
}

const isProblem = (
  t: Test,
  res: { statusCode: number; headers: Record<string, unknown>; json: () => any },
  status: number,
  type: string
) => {
  t.equal(res.statusCode, status)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  const body = res.json()
  t.equal(body.status, status)
  t.equal(body.type, `/problems/${type}`)
  t.type(body.title, 'string')
  t.type(body.detail, 'string')
  t.type(body.requestId, 'string')
  t.notOk(JSON.stringify(body).includes('    at '), 'no stack trace')
  return body
}

t.test('problem+json for every kind of bad request', async (t) => {
  const { app, logs } = await buildTestApp(t, { bodyLimit: 2048 }, testRoutes)

  t.test('unknown route', async (t) => {
    const body = isProblem(t, await app.inject({ method: 'GET', url: '/nowhere?x=1' }), 404, 'not-found')
    t.equal(body.instance, '/nowhere')
  })

  t.test('malformed JSON', async (t) => {
    isProblem(
      t,
      await app.inject({
        method: 'POST',
        url: '/echo',
        headers: { 'content-type': 'application/json' },
        payload: '{"name": '
      }),
      400,
      'malformed-body'
    )
  })

  t.test('empty JSON body', async (t) => {
    isProblem(
      t,
      await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '' }),
      400,
      'malformed-body'
    )
  })

  t.test('wrong content type', async (t) => {
    isProblem(
      t,
      await app.inject({
        method: 'POST',
        url: '/echo',
        headers: { 'content-type': 'application/xml' },
        payload: '<a/>'
      }),
      415,
      'unsupported-media-type'
    )
  })

  t.test('oversized body', async (t) => {
    const payload = JSON.stringify({ name: 'x'.repeat(4096), answers: {} })
    isProblem(
      t,
      await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload }),
      413,
      'body-too-large'
    )
  })

  t.test('schema violations name every field by JSON pointer', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: { answers: { 'F1.1': 9, 'F1.2': 'x' }, extra: true, 'a/b': 'no' }
    })
    const body = isProblem(t, res, 400, 'invalid-request')
    const pointers = body.errors.map((e: { pointer: string }) => e.pointer).sort()
    t.same(pointers, ['/answers/F1.1', '/answers/F1.2', '/a~1b', '/extra', '/name'])
    t.ok(body.errors.every((e: { in: string }) => e.in === 'body'))
    t.match(
      body.errors.find((e: { pointer: string }) => e.pointer === '/extra'),
      { detail: 'is not a known property' }
    )
  })

  t.test('query string violations say so', async (t) => {
    const body = isProblem(
      t,
      await app.inject({ method: 'POST', url: '/echo?limit=99', payload: { name: 'a', answers: {} } }),
      400,
      'invalid-request'
    )
    t.same(body.errors, [{ in: 'querystring', pointer: '/limit', detail: 'must be <= 10' }])
  })

  t.test('a valid body passes', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'a', answers: { 'F1.1': 5 } } })
    t.equal(res.statusCode, 200)
    t.same(res.json(), { name: 'a', answers: { 'F1.1': 5 } })
  })

  t.test('domain problems keep their field errors', async (t) => {
    const body = isProblem(t, await app.inject({ method: 'GET', url: '/conflict' }), 409, 'external-id-reused')
    t.same(body.errors, [{ in: 'body', pointer: '/id', detail: 'taken' }])
    t.equal(body.existingId, 'r1', 'an extension member sits at the top level (RFC 9457 §3.2)')
  })

  t.test('an unexpected error is a 500 without details, logged without row values', async (t) => {
    const body = isProblem(t, await app.inject({ method: 'GET', url: '/crash' }), 500, 'internal')
    t.notMatch(body.detail, /boom/)
    const logged = logs().find((line) => line.level === 50)
    t.ok(logged, 'the error is logged')
    t.notMatch(JSON.stringify(logged), /Key \(phone\)/, 'driver detail with row values is not logged')
  })
})

t.test('request ids: kept when given, generated otherwise, echoed, logged once per request', async (t) => {
  const { app, logs } = await buildTestApp(t)
  const given = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'portal-42.abc' } })
  t.equal(given.headers['x-request-id'], 'portal-42.abc')
  const generated = await app.inject({
    method: 'GET',
    url: '/healthz',
    headers: { 'x-request-id': 'bad id with spaces\n' }
  })
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const secret = 'Bearer sk_live_0123456789abcdef0123456789abcdef'
  await app.inject({
    method: 'GET',
    url: '/healthz?phone=0901234567',
    headers: { authorization: secret, 'x-request-id': 'with-key' }
  })
  const requestLines = logs().filter((line) => line.msg === 'request')
  t.equal(requestLines.filter((line) => line.reqId === 'portal-42.abc').length, 1, 'one line per request')
  t.match(
    requestLines.find((line) => line.reqId === 'with-key'),
    { method: 'GET', path: '/healthz', status: 200 }
  )
  const all = JSON.stringify(logs())
  t.notMatch(all, /sk_live/, 'no API key in logs')
  t.notMatch(all, /0901234567/, 'no query string (contacts) in logs')
})
