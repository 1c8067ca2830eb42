import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { PROBLEMS, Problem, pointerToken, problemTypeUri, type FieldError, type ProblemSlug } from '../problems.js'

interface AjvError {
  instancePath: string
  message?: string
  keyword: string
  params: Record<string, unknown>
}

/** Ajv reports a missing or extra property on its parent object; the pointer names the property itself. */
function toFieldError(part: FieldError['in'], error: AjvError): FieldError {
  const child =
    error.keyword === 'required'
      ? error.params.missingProperty
      : error.keyword === 'additionalProperties'
        ? error.params.additionalProperty
        : undefined
  const pointer = child === undefined ? error.instancePath : `${error.instancePath}/${pointerToken(String(child))}`
  const detail =
    error.keyword === 'additionalProperties' ? 'is not a known property' : (error.message ?? 'is not valid')
  return { in: part, pointer, detail }
}

/** Framework errors (parsing, content type, size, routing) mapped to the catalogue. */
const FRAMEWORK: Record<string, ProblemSlug> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-request',
  FST_ERR_BAD_URL: 'invalid-request'
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
const isUnavailable = (error: Cause): boolean => {
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

function toProblem(error: FastifyError | Problem): Problem {
  if (error instanceof Problem) return error
  if (error.validation) {
    const part = (error.validationContext ?? 'body') as FieldError['in']
    return new Problem(
      'invalid-request',
      `The ${part} is not valid.`,
      error.validation.map((e) => toFieldError(part, e as AjvError))
    )
  }
  if (error instanceof SyntaxError || (error.code !== undefined && FRAMEWORK[error.code])) {
    const slug = error instanceof SyntaxError ? 'malformed-body' : FRAMEWORK[error.code]
    return new Problem(slug, error.message)
  }
  if (isUnavailable(error)) {
    return new Problem(
      'service-unavailable',
      'The database is unreachable. Nothing was stored; retry later.',
      undefined,
      { 'retry-after': '5' }
    )
  }
  if (isDataException(error))
    return new Problem(
      'invalid-request',
      'A value of the request is outside what the database can hold (out of range or malformed).'
    )
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    const slug =
      (Object.keys(PROBLEMS) as ProblemSlug[]).find((s) => PROBLEMS[s].status === status) ?? 'invalid-request'
    return new Problem(slug, error.message)
  }
  return new Problem('internal', 'An unexpected error occurred. It has been logged with the request id.')
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  const entry = PROBLEMS[problem.slug]
  const body = {
    type: problemTypeUri(problem.slug),
    title: entry.title,
    status: entry.status,
    detail: problem.detail,
    instance: request.url.split('?')[0],
    requestId: request.id,
    ...(problem.errors ? { errors: problem.errors } : {})
  }
  if (problem.headers) reply.headers(problem.headers)
  // Sent pre-serialised so that no response schema can strip fields from a problem.
  return reply.code(entry.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body))
}

/**
 * For the `frameworkErrors` option of Fastify: errors met while routing (a bad percent-escape or an overlong
 * path parameter) reach neither the hooks nor the error handler, and would otherwise be answered as plain JSON.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const detail = ROUTING[error.code]
  sendProblem(request, reply, detail ? new Problem('invalid-request', detail) : toProblem(error))
}
const ROUTING: Record<string, string> = {
  FST_ERR_BAD_URL: 'The path has a malformed percent-escape.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is longer than 100 characters; no identifier is.'
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
  return new Problem(
    'unsupported-media-type',
    `This route takes ${Object.keys(declaredTypes(request)).join(', ')}; the body was sent ${sent ? `as ${sent}` : 'without a Content-Type'}.`
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
        throw new Problem('invalid-request', 'An HTTP/1.1 request needs a Host header.')
    })
    app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
      const problem =
        (error as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? unsupportedType(request) : toProblem(error)
      // A refusal the service means to make (shedding, the database away) is a warning, not a fault to debug.
      if (problem.slug === 'service-unavailable')
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
        throw new Problem('malformed-body', 'This route needs a body, sent with its Content-Type.')
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
      if (!Object.hasOwn(declaredTypes(request), type)) throw unsupportedType(request)
    })
    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, new Problem('not-found', `No route ${request.method} ${request.url.split('?')[0]}.`))
    )
  },
  { name: 'errors' }
)
