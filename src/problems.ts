/**
 * The one catalogue of problems the API can answer (RFC 9457 problem+json). Integrators program against
 * `type` (stable), never against the English `detail`. Each entry is served at `/problems/<slug>`.
 */
export const PROBLEMS = {
  'invalid-request': {
    status: 400,
    title: 'The request is not valid',
    description: 'A parameter, header or body field does not match the schema. `errors` names each one by JSON pointer.'
  },
  'malformed-body': {
    status: 400,
    title: 'The body could not be parsed',
    description:
      'The body is not well-formed JSON (or CSV/NDJSON where accepted), or it is empty where a body is required.'
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    description: 'No valid API key was given in `Authorization: Bearer <key>`.'
  },
  forbidden: {
    status: 403,
    title: 'Not allowed',
    description: 'The key is valid but its role or scope does not cover this resource.'
  },
  'not-found': { status: 404, title: 'Not found', description: 'No route, or no resource with that identifier.' },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    description: 'The route exists but not with this method.'
  },
  conflict: {
    status: 409,
    title: 'Conflict with the current state',
    description: 'The resource already exists with other content, or its state does not allow this change.'
  },
  'body-too-large': {
    status: 413,
    title: 'The body is too large',
    description: 'The body exceeds the configured limit (BODY_LIMIT).'
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported content type',
    description: 'The route does not accept this Content-Type.'
  },
  unprocessable: {
    status: 422,
    title: 'The request cannot be processed',
    description: 'The request is well-formed but breaks a domain rule; `errors` says which.'
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
    description: 'A rate limit was reached; retry after the number of seconds in Retry-After.'
  },
  internal: {
    status: 500,
    title: 'Internal error',
    description: 'An unexpected error. It is logged with the request id; nothing partial was stored.'
  },
  'service-unavailable': {
    status: 503,
    title: 'Service unavailable',
    description:
      'The database is unreachable or the service is shutting down or overloaded. Nothing was stored; retry after Retry-After seconds.'
  },
  'request-timeout': {
    status: 408,
    title: 'The request took too long to arrive',
    description: 'The client did not send the whole request within REQUEST_TIMEOUT_MS. Nothing was stored.'
  },
  'headers-too-large': {
    status: 431,
    title: 'The request headers are too large',
    description: "The headers together exceed the HTTP server's limit (Node's, 16 KiB by default)."
  }
} as const satisfies Record<string, { status: number; title: string; description: string }>

export type ProblemSlug = keyof typeof PROBLEMS

/** One offending field: `in` is the request part, `pointer` a JSON pointer into it (RFC 6901). */
export interface FieldError {
  in: 'body' | 'querystring' | 'params' | 'headers' | 'file'
  pointer: string
  detail: string
}

export const problemTypeUri = (slug: ProblemSlug): string => `/problems/${slug}`

/** An error that the error handler renders as the catalogue entry `slug`. Throw it from routes and the domain. */
export class Problem extends Error {
  readonly status: number
  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>
  ) {
    super(detail)
    this.name = 'Problem'
    this.status = PROBLEMS[slug].status
  }
}

/** Escapes one JSON-pointer reference token (RFC 6901: "~" → "~0", "/" → "~1"). */
export const pointerToken = (token: string | number): string => String(token).replace(/~/g, '~0').replace(/\//g, '~1')
