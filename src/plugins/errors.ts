import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { PROBLEMS, Problem, problemTypeUri, type ProblemSlug } from '../problems.js'
import { describeSchemaErrors, type SchemaError } from '../schema-errors.js'

/** The request parts Fastify validates, and where each one's value is. */
const PARTS = {
  body: (request: FastifyRequest) => request.body,
  querystring: (request: FastifyRequest) => request.query,
  params: (request: FastifyRequest) => request.params,
  headers: (request: FastifyRequest) => request.headers
} as const
type Part = keyof typeof PARTS
const isPart = (context: unknown): context is Part => typeof context === 'string' && Object.hasOwn(PARTS, context)

/** Every failed rule of a request part, each field named by JSON pointer with what it must be. */
function invalidPart(request: FastifyRequest, part: Part, errors: readonly SchemaError[]): Problem {
  return new Problem(
    'invalid-request',
    `The ${part} is not valid.`,
    describeSchemaErrors(errors, PARTS[part](request)).map((e) => ({ in: part, ...e }))
  )
}

/** Framework errors (parsing, content type, size, routing) mapped to the catalogue. */
const FRAMEWORK: Record<string, ProblemSlug> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
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

function toProblem(error: FastifyError | Problem, request: FastifyRequest): Problem {
  if (error instanceof Problem) return error
  // Only a request part is the client's to fix. A schema error met while serialising a response (a value the
  // service produced) falls through to an internal error, logged.
  if (error.validation && isPart(error.validationContext))
    return invalidPart(request, error.validationContext, error.validation as SchemaError[])
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
  if (status >= 400 && status < 500) return new Problem(GENERIC[status] ?? 'invalid-request', error.message)
  return new Problem('internal', 'An unexpected error occurred. It has been logged with the request id.')
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  const entry = PROBLEMS[problem.slug]
  // Extension members first: none can replace a member the RFC defines.
  const body = {
    ...problem.extensions,
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
  sendProblem(request, reply, detail ? new Problem('invalid-request', detail) : toProblem(error, request))
}
const ROUTING: Record<string, string> = {
  FST_ERR_BAD_URL: 'The path has a malformed percent-escape.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is longer than 100 characters; no identifier is.'
}

/** Every error and every unknown route answers application/problem+json (RFC 9457); never a stack trace. */
export default fp(
  async function errors(app) {
    app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
      const problem = toProblem(error, request)
      // A refusal the service means to make (shedding, the database away) is a warning, not a fault to debug.
      if (problem.slug === 'service-unavailable')
        request.log.warn({ reason: error.message, code: codeOf(error) }, problem.detail)
      else if (problem.status >= 500) request.log.error({ err: error }, problem.detail)
      return sendProblem(request, reply, problem)
    })
    // A body schema given by content type is checked only against the type sent: a request without a body, or
    // in a type that Fastify parses but the route does not declare (text/plain), would reach the handler unchecked.
    app.addHook('preValidation', async (request) => {
      const content = (request.routeOptions.schema?.body as { content?: Record<string, unknown> } | undefined)?.content
      if (!content) return
      if (request.body === undefined)
        throw new Problem('malformed-body', 'This route needs a body, sent with its Content-Type.')
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
      if (!Object.hasOwn(content, type))
        throw new Problem('unsupported-media-type', `This route takes ${Object.keys(content).join(', ')}.`)
    })
    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, new Problem('not-found', `No route ${request.method} ${request.url.split('?')[0]}.`))
    )
  },
  { name: 'errors' }
)
