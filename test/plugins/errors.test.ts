import t from 'tap'
import Type from 'typebox'
import { buildTestApp } from '../helpers/app.js'
import type { App } from '../../src/app.js'
import type { Test } from 'tap'
import { Compile } from 'typebox/compile'
import { Problem } from '../../src/problems.js'
import { describeSchemaErrors } from '../../src/schema-errors.js'

const Echo = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    answers: Type.Record(Type.String(), Type.Integer({ minimum: 0, maximum: 5 })),
    'a/b': Type.Optional(Type.Integer())
  },
  { additionalProperties: false }
)

const Visit = Type.Object({
  at: Type.String({ format: 'date-time' }),
  channel: Type.Enum(['interview', 'kiosk']),
  kind: Type.Optional(Type.Union([Type.Literal('first'), Type.Literal('repeat')]))
})

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
  app.post('/visit', { schema: { body: Visit } }, async (request) => request.body)
  // A `false` schema, as Ajv reports it ("boolean schema is false").
  app.post('/retired', { schema: { body: { type: 'object', properties: { fax: false } } } }, async () => ({}))
  app.get(
    '/bad-response',
    { schema: { response: { 200: Type.Object({ id: Type.String(), count: Type.Integer() }) } } },
    async () => ({ count: 'many' }) as never
  )
  // An error carrying schema errors but no request part (a serialiser, a plugin): not the client's to fix.
  app.get('/bad-value', async () => {
    throw Object.assign(new Error('schema mismatch'), {
      validation: [{ instancePath: '/id', keyword: 'type', message: 'must be string', params: {} }]
    })
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

  t.test('JSON sent as text/plain, or without a Content-Type, is told the type to use', async (t) => {
    const payload = JSON.stringify({ name: 'a', answers: {} })
    const plain = isProblem(
      t,
      await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'text/plain' }, payload }),
      415,
      'unsupported-media-type'
    )
    t.equal(plain.detail, 'This route takes application/json; the body was sent as text/plain.')
    const untyped = isProblem(
      t,
      await app.inject({ method: 'POST', url: '/echo', payload }),
      415,
      'unsupported-media-type'
    )
    t.equal(untyped.detail, 'This route takes application/json; the body was sent without a Content-Type.')
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

  t.test('an enum error lists the allowed values; a union of constants too', async (t) => {
    const body = isProblem(
      t,
      await app.inject({
        method: 'POST',
        url: '/visit',
        payload: { at: '2026-03-01T08:00:00+07:00', channel: 'fax', kind: 'third' }
      }),
      400,
      'invalid-request'
    )
    t.same(body.errors, [
      { in: 'body', pointer: '/channel', detail: 'must be one of "interview", "kiosk"' },
      { in: 'body', pointer: '/kind', detail: 'must be one of "first", "repeat"' }
    ])
  })

  t.test('a date-time error gives an example, and says when the time-zone offset is missing', async (t) => {
    const visit = (at: string) =>
      app.inject({ method: 'POST', url: '/visit', payload: { at, channel: 'kiosk' } }).then((r) => r.json())
    t.same((await visit('2026-03-01T08:00:00')).errors, [
      {
        in: 'body',
        pointer: '/at',
        detail: 'has no time-zone offset: add one, e.g. 2026-03-01T08:00:00+07:00 (Vietnam time) or a final Z for UTC'
      }
    ])
    t.same((await visit('yesterday')).errors, [
      {
        in: 'body',
        pointer: '/at',
        detail: 'must be a date and time with its time-zone offset, e.g. 2026-03-01T08:00:00+07:00'
      }
    ])
  })

  t.test('a false schema never reaches a client: the property that is not allowed is named', async (t) => {
    const body = isProblem(
      t,
      await app.inject({ method: 'POST', url: '/retired', payload: { fax: '024' } }),
      400,
      'invalid-request'
    )
    t.same(body.errors, [{ in: 'body', pointer: '/fax', detail: 'is not allowed here' }])
    // TypeBox 1.x reports additionalProperties: false twice: "schema is false" at the property, and the list.
    const Strict = Type.Object({ a: Type.String() }, { additionalProperties: false })
    const value = { a: 'x', zz: 1 }
    t.same(describeSchemaErrors(Compile(Strict).Errors(value), value), [
      { pointer: '/zz', detail: 'is not a known property' }
    ])
    t.notMatch(JSON.stringify(body), /schema is false/)
  })

  t.test('a schema error while serialising a response is an internal error, logged', async (t) => {
    for (const url of ['/bad-response', '/bad-value']) {
      const body = isProblem(t, await app.inject({ method: 'GET', url }), 500, 'internal')
      t.notOk(body.errors, 'nothing is described as the client’s fault')
      t.notMatch(body.detail, /not valid|body/)
      t.ok(
        logs().some((line) => line.level === 50 && line.reqId === body.requestId),
        `${url}: logged with its request id`
      )
    }
  })

  t.test('Vietnamese words for Accept-Language: vi; the type never changes', async (t) => {
    const visit = (language?: string) =>
      app.inject({
        method: 'POST',
        url: '/visit',
        headers: language ? { 'accept-language': language } : {},
        payload: { at: '2026-03-01T08:00', channel: 'fax' }
      })
    for (const language of ['vi', 'vi-VN,vi;q=0.9,en;q=0.8', 'en;q=0.2, vi']) {
      const res = await visit(language)
      const body = isProblem(t, res, 400, 'invalid-request')
      t.equal(res.headers['content-language'], 'vi', language)
      t.match(res.headers.vary, /Accept-Language/)
      t.equal(body.title, 'Yêu cầu không hợp lệ')
      t.equal(body.detail, 'Nội dung (body) của yêu cầu không hợp lệ.')
      t.same(body.errors, [
        {
          in: 'body',
          pointer: '/at',
          detail:
            'thiếu độ lệch múi giờ: hãy thêm vào, ví dụ 2026-03-01T08:00:00+07:00 (giờ Việt Nam) hoặc chữ Z ở cuối cho giờ UTC'
        },
        { in: 'body', pointer: '/channel', detail: 'phải là một trong các giá trị "interview", "kiosk"' }
      ])
    }
    for (const language of [undefined, 'fr, en;q=0.5', 'vi;q=0.1, en']) {
      const res = await visit(language)
      const body = isProblem(t, res, 400, 'invalid-request')
      t.equal(res.headers['content-language'], 'en', String(language))
      t.match(res.headers.vary, /Accept-Language/)
      t.equal(body.title, 'The request is not valid')
      t.equal(body.detail, 'The body is not valid.')
    }
    const limit = await app.inject({
      method: 'POST',
      url: '/echo?limit=99',
      headers: { 'accept-language': 'vi' },
      payload: { name: 'a', answers: {} }
    })
    t.same(limit.json().errors, [{ in: 'querystring', pointer: '/limit', detail: 'phải <= 10' }])
  })

  t.test(
    'in Vietnamese, a refusal worded only in English keeps its English detail under a Vietnamese title',
    async (t) => {
      const res = await app.inject({ method: 'GET', url: '/conflict', headers: { 'accept-language': 'vi' } })
      const body = isProblem(t, res, 409, 'external-id-reused')
      t.equal(body.title, 'Mã định danh ngoài đã được dùng cho nội dung khác')
      t.equal(body.detail, 'Already there.')
      t.equal(body.existingId, 'r1')
      const missing = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'accept-language': 'vi' } })
      t.match(missing.json(), {
        type: '/problems/not-found',
        title: 'Không tìm thấy',
        detail: 'Không có tuyến GET /nowhere.'
      })
    }
  )

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

t.test('malformed request headers answer problem+json, whether Fastify or Node refuses them', async (t) => {
  const { app } = await buildTestApp(t, {}, testRoutes)
  const payload = JSON.stringify({ name: 'a', answers: {} })
  isProblem(
    t,
    await app.inject({ method: 'GET', url: '/v1/webhooks', headers: { authorization: 'Basic Zm9vOmJhcg==' } }),
    401,
    'unauthorized'
  )

  // Node's HTTP parser refuses these before Fastify sees a request: only a raw socket sends them (inject
  // recomputes Content-Length and adds Host).
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const { connect } = await import('node:net')
  const send = (head: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(address).port), '127.0.0.1', () =>
        socket.write(
          `POST /echo HTTP/1.1\r\nConnection: close\r\nContent-Type: application/json\r\n${head}\r\n\r\n${payload}`
        )
      )
      let received = ''
      socket.on('data', (chunk) => (received += chunk))
      socket.on('close', () => resolve(received))
    })
  for (const [head, status, type] of [
    ['Host: x\r\nContent-Length: abc', 400, 'invalid-request'],
    ['Host: x\r\nContent-Length: 2\r\nContent-Length: 3', 400, 'invalid-request'],
    ['Host: x\r\nX-Note: a\u0001b', 400, 'invalid-request'],
    [`Host: x\r\nX-Note: ${'a'.repeat(20_000)}`, 431, 'headers-too-large'],
    [`Content-Length: ${payload.length}`, 400, 'invalid-request']
  ] as const) {
    const [headers, body] = (await send(head)).split('\r\n\r\n')
    t.match(headers, new RegExp(`^HTTP/1\\.1 ${status} `), head.slice(0, 40))
    t.match(headers, /\r\ncontent-type: application\/problem\+json/i)
    t.match(JSON.parse(body), { type: `/problems/${type}`, status, detail: String })
  }
})
