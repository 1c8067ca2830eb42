import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import fp from 'fastify-plugin'
import Negotiator from 'negotiator'
import vary from 'vary'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { PROBLEMS, Problem, problemTypeUri, type ProblemSlug } from '../problems.js'
import { describeSchemaErrors, WORDING_VI, type SchemaError } from '../schema-errors.js'

/**
 * The language of a problem's words: Vietnamese when the request prefers it (`Accept-Language`, weighed by
 * negotiator: `vi`, `vi-VN`, `vi;q=0.9, en;q=0.8`), English otherwise. The `type` never changes.
 */
const languageOf = (request: FastifyRequest): 'en' | 'vi' =>
  new Negotiator(request).language(['en', 'vi']) === 'vi' ? 'vi' : 'en'

/** A problem whose detail this plugin words in both languages. */
const said = (slug: ProblemSlug, en: string, vi: string, headers?: Record<string, string>) =>
  new Problem(slug, en, undefined, headers).inVietnamese({ detail: vi })

/** The request parts Fastify validates, and where each one's value is. */
const PARTS = {
  body: (request: FastifyRequest) => request.body,
  querystring: (request: FastifyRequest) => request.query,
  params: (request: FastifyRequest) => request.params,
  headers: (request: FastifyRequest) => request.headers
} as const
type Part = keyof typeof PARTS
const isPart = (context: unknown): context is Part => typeof context === 'string' && Object.hasOwn(PARTS, context)

const PART_VI: Record<Part, string> = {
  body: 'Nội dung (body)',
  querystring: 'Chuỗi truy vấn (query string)',
  params: 'Tham số đường dẫn',
  headers: 'Phần đầu (headers)'
}

/** Every failed rule of a request part, each field named by JSON pointer with what it must be. */
function invalidPart(request: FastifyRequest, part: Part, errors: readonly SchemaError[]): Problem {
  const value = PARTS[part](request)
  return new Problem(
    'invalid-request',
    `The ${part} is not valid.`,
    describeSchemaErrors(errors, value).map((e) => ({ in: part, ...e }))
  ).inVietnamese({
    detail: `${PART_VI[part]} của yêu cầu không hợp lệ.`,
    errors: describeSchemaErrors(errors, value, WORDING_VI).map((e) => ({ in: part, ...e }))
  })
}

/** Framework errors (parsing, content type, size, routing) mapped to the catalogue. */
const FRAMEWORK: Record<string, ProblemSlug> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-request',
  FST_ERR_BAD_URL: 'invalid-request'
}

/**
 * Another client error of the framework or a plugin, by its status: the generic entry of that status (the
 * catalogue's other entries are refusals the service makes on purpose, and say more than such an error knows).
 */
const GENERIC: Partial<Record<number, ProblemSlug>> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'body-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'too-many-requests'
}

/** Errors that mean "the database is not there right now": the client may retry. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006'
])
type Cause = { code?: string; message?: string; cause?: unknown }
/**
 * The driver's error may sit under the ORM's (drizzle wraps it as `cause`): look down the chain. A lost
 * connection inside a transaction surfaces as the failed ROLLBACK's "not queryable", not the first error.
 */
export const isUnavailable = (error: Cause): boolean => {
  for (let e: Cause | undefined = error; e; e = e.cause as Cause | undefined) {
    if (e.code !== undefined && UNAVAILABLE_CODES.has(e.code)) return true
    if (
      /Connection terminated|is not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end|PGlite is closed|database is closed/i.test(
        e.message ?? ''
      )
    )
      return true
  }
  return false
}

/** The first error code down the cause chain (a SQLSTATE or a system error), for the log. */
const codeOf = (error: Cause): string | undefined => {
  for (let e: Cause | undefined = error; e; e = e.cause as Cause | undefined) if (e.code !== undefined) return e.code
  return undefined
}

/**
 * SQLSTATE class 22, "data exception": the database refused a value that came from the request (an integer
 * out of its range, Infinity, a date it cannot hold) where the schema let it through.
 */
const isDataException = (error: Cause): boolean => {
  for (let e: Cause | undefined = error; e; e = e.cause as Cause | undefined)
    if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) return true
  return false
}

/**
 * SQLSTATE 23505, a unique key broken: the service checks what it adds before it writes (the next version, a
 * drawn sample), so another request added the same row between the check and the write. A retry reads it.
 */
const isUniqueViolation = (error: Cause): boolean => codeOf(error) === '23505'

function toProblem(error: FastifyError | Problem, request: FastifyRequest): Problem {
  if (error instanceof Problem) return error
  // Only a request part is the client's to fix. A schema error met while serialising a response (a value the
  // service produced) falls through to an internal error, logged.
  if (error.validation && isPart(error.validationContext))
    return invalidPart(request, error.validationContext, error.validation as SchemaError[])
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedType(request)
  // The framework's and the parsers' messages are English only: their detail stays so, under a Vietnamese title.
  if (error instanceof SyntaxError || (error.code !== undefined && FRAMEWORK[error.code])) {
    const slug = error instanceof SyntaxError ? 'malformed-body' : FRAMEWORK[error.code]
    return new Problem(slug, error.message)
  }
  if (isUnavailable(error))
    return said(
      'service-unavailable',
      'The database is unreachable. Nothing was stored; retry later.',
      'Không kết nối được cơ sở dữ liệu. Chưa có gì được lưu; hãy thử lại sau.',
      { 'retry-after': '5' }
    )
  if (isDataException(error))
    return said(
      'invalid-request',
      'A value of the request is outside what the database can hold (out of range or malformed).',
      'Một giá trị của yêu cầu nằm ngoài những gì cơ sở dữ liệu lưu được (vượt giới hạn hoặc sai định dạng).'
    )
  if (isUniqueViolation(error))
    return said(
      'concurrent-change',
      'Another request stored the same thing meanwhile; nothing of this one was stored. Read again and retry.',
      'Một yêu cầu khác vừa lưu cùng dữ liệu này; yêu cầu này chưa lưu gì. Hãy đọc lại rồi thử lại.'
    )
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) return new Problem(GENERIC[status] ?? 'invalid-request', error.message)
  return said(
    'internal',
    'An unexpected error occurred. It has been logged with the request id.',
    'Đã xảy ra lỗi ngoài dự kiến. Lỗi đã được ghi vào nhật ký cùng mã yêu cầu.'
  )
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  const entry = PROBLEMS[problem.slug]
  const language = languageOf(request)
  // In Vietnamese, a problem without Vietnamese words (most refusals of the domain, worded in English where
  // they are thrown) keeps its English detail and field errors under the Vietnamese title.
  const vi = language === 'vi' ? problem.vi : undefined
  const errors = vi?.errors ?? problem.errors
  // Extension members first: none can replace a member the RFC defines.
  const body = {
    ...problem.extensions,
    type: problemTypeUri(problem.slug),
    title: language === 'vi' ? entry.titleVi : entry.title,
    status: entry.status,
    detail: vi?.detail ?? problem.detail,
    instance: request.url.split('?')[0],
    requestId: request.id,
    ...(errors ? { errors } : {})
  }
  if (problem.headers) reply.headers(problem.headers)
  reply.header('content-language', language)
  reply.header('vary', vary.append(String(reply.getHeader('vary') ?? ''), 'Accept-Language'))
  // Sent pre-serialised so that no response schema can strip fields from a problem.
  return reply.code(entry.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body))
}

/**
 * For the `frameworkErrors` option of Fastify: errors met while routing (a bad percent-escape or an overlong
 * path parameter) reach neither the hooks nor the error handler, and would otherwise be answered as plain JSON.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const detail = ROUTING[error.code]
  sendProblem(request, reply, detail ? said('invalid-request', ...detail) : toProblem(error, request))
}
const ROUTING: Record<string, [en: string, vi: string]> = {
  FST_ERR_BAD_URL: [
    'The path has a malformed percent-escape.',
    'Đường dẫn có một mã thoát phần trăm (percent-escape) sai định dạng.'
  ],
  FST_ERR_MAX_PARAM_LENGTH: [
    'A path parameter is longer than 100 characters; no identifier is.',
    'Một tham số đường dẫn dài quá 100 ký tự; không mã định danh nào dài như vậy.'
  ]
}

/**
 * For the `clientErrorHandler` option of Fastify: a request that Node's HTTP parser refuses (a malformed or
 * duplicated Content-Length, a character not allowed in a header, headers over the size limit, a client too slow
 * to send it) reaches no route and has no request id; it is still answered as a problem, then the connection closed.
 */
export function clientErrors(error: Error & { code?: string }, socket: Socket): void {
  // A connection reset by the client has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [slug, detail]: [ProblemSlug, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? ['request-timeout', 'The request was not received in time.']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? ['headers-too-large', 'The request headers exceed the size limit.']
        : ['invalid-request', `The request is not valid HTTP: ${error.message}.`]
  const { status, title } = PROBLEMS[slug]
  const body = JSON.stringify({ type: problemTypeUri(slug), title, status, detail })
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
    )
  socket.destroy(error)
}

/** The body types a route declares (a body schema by content type), else JSON, the only other one parsed. */
const declaredTypes = (request: FastifyRequest): Record<string, unknown> =>
  (request.routeOptions.schema?.body as { content?: Record<string, unknown> } | undefined)?.content ?? {
    'application/json': true
  }

/** A body in a type the route does not take, named with the types it does take. */
function unsupportedType(request: FastifyRequest): Problem {
  const sent = request.headers['content-type']
  const types = Object.keys(declaredTypes(request)).join(', ')
  return said(
    'unsupported-media-type',
    `This route takes ${types}; the body was sent ${sent ? `as ${sent}` : 'without a Content-Type'}.`,
    `Tuyến này nhận ${types}; nội dung được gửi ${sent ? `dưới dạng ${sent}` : 'không có Content-Type'}.`
  )
}

/** Every error and every unknown route answers application/problem+json (RFC 9457); never a stack trace. */
export default fp(
  async function errors(app) {
    // Fastify would hand a text/plain body to the schema as a string: JSON sent so would be answered "must be
    // object" instead of being told its type. No route takes plain text.
    app.removeContentTypeParser('text/plain')
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is refused with 400.
    app.addHook('onRequest', async (request) => {
      if (request.raw.httpVersion === '1.1' && request.headers.host === undefined)
        throw said(
          'invalid-request',
          'An HTTP/1.1 request needs a Host header.',
          'Yêu cầu HTTP/1.1 cần có phần đầu Host.'
        )
    })
    app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
      const problem = toProblem(error, request)
      // A refusal the service means to make (shedding, the database away) is a warning, not a fault to debug;
      // so is a unique key the database enforced (a race, or a check the service lacks: worth a look).
      if (problem.slug === 'service-unavailable' || isUniqueViolation(error))
        request.log.warn({ reason: error.message, code: codeOf(error) }, problem.detail)
      else if (problem.status >= 500) request.log.error({ err: error }, problem.detail)
      return sendProblem(request, reply, problem)
    })
    // A body schema given by content type is checked only against the type sent: a request without a body, or
    // in a type that Fastify parses but the route does not declare (JSON where it takes CSV), would reach the
    // handler unchecked.
    app.addHook('preValidation', async (request) => {
      if (!(request.routeOptions.schema?.body as { content?: unknown } | undefined)?.content) return
      if (request.body === undefined)
        throw said(
          'malformed-body',
          'This route needs a body, sent with its Content-Type.',
          'Tuyến này cần nội dung (body), gửi kèm Content-Type của nó.'
        )
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
      if (!Object.hasOwn(declaredTypes(request), type)) throw unsupportedType(request)
    })
    app.setNotFoundHandler((request, reply) => {
      const route = `${request.method} ${request.url.split('?')[0]}`
      return sendProblem(request, reply, said('not-found', `No route ${route}.`, `Không có tuyến ${route}.`))
    })
  },
  { name: 'errors' }
)
