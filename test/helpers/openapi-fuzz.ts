import fc from 'fast-check'
import type { App } from '../../src/app.js'

/**
 * Requests for one OpenAPI operation, generated from its own schemas: mostly valid-looking values (so that
 * requests get past validation into the domain and the database), each part liable to be replaced by an
 * adversarial one. A small walker of our own: the one fast-check/JSON-Schema bridge on npm
 * (json-schema-fast-check) is archived and predates OpenAPI 3.1.
 */

type Schema = Record<string, any>
export interface Operation {
  method: string
  path: string
  spec: Schema
}
export type Auth = 'admin' | 'client' | 'none' | 'garbage'
/**
 * The document; ids of things that exist, and those that a path parameter names (`idsFor`, so that requests
 * reach real resources); the keys; and valid bodies by operation ("POST /v1/responses"), to mutate.
 */
export interface Context {
  doc: Schema
  ids: string[]
  idsFor: (path: string, parameter: string) => string[]
  keys: Record<'admin' | 'client', string>
  bodies: Record<string, unknown[]>
}

/** Every operation of the document, in a stable order. */
export function operationsOf(doc: Schema): Operation[] {
  return Object.entries<Schema>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Schema>(item).map(([method, spec]) => ({ method: method.toUpperCase(), path, spec }))
  )
}

const HUGE = 'x'.repeat(1 << 20)
const DEEP = 2_000
const deepArray = (): unknown => {
  let v: unknown = []
  for (let i = 0; i < DEEP; i++) v = [v]
  return v
}
const deepObject = (): unknown => {
  let v: unknown = {}
  for (let i = 0; i < DEEP; i++) v = { a: v }
  return v
}
/** Own properties named like the prototype chain's (an object literal's `__proto__:` would set the prototype). */
const own = (entries: Array<[string, unknown]>) => Object.fromEntries(entries)
const POLLUTER = own([['polluted', 'yes']])

const unicode = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c',
  '\u200b',
  '\ufeffBOM',
  '💩🇻🇳',
  '\ud800',
  'x\udfffy',
  'Hòa Bình',
  'Hoà',
  'ﬀİſ',
  '\r\n\t',
  '\\',
  '%00',
  '%',
  '%E0%A4%A'
)
const injection = fc.constantFrom(
  "' OR '1'='1",
  "'; DROP TABLE responses; --",
  '1; select pg_sleep(5)',
  '$1',
  "E'\\\\x00'",
  "%' and 1=1 --",
  '*/',
  "\\'",
  'null',
  'undefined',
  '{"__proto__":{"polluted":"yes"}}',
  '","status":"published","x":"',
  '{"$ne":null}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${7*7}',
  '{{7*7}}'
)
const numberish = fc.constantFrom(
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '0x10',
  '١٢',
  '9'.repeat(40),
  '-1',
  '2026-02-30',
  '0000-00-00',
  '+275760-09-13T00:00:00Z',
  '2026-13-40T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF'
)
const nastyString = fc.oneof(
  { weight: 3, arbitrary: unicode },
  { weight: 3, arbitrary: injection },
  { weight: 2, arbitrary: numberish },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constant(HUGE) }
)
/** Values of the wrong kind, odd numbers, deep nesting and prototype-named keys. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: nastyString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53 + 1, -(2 ** 63), 1e308, [], {}, [null], [''])
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      own([['__proto__', POLLUTER]]),
      own([['constructor', own([['prototype', POLLUTER]])]]),
      own([['prototype', POLLUTER]])
    )
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('array', 'object').map((kind) => (kind === 'array' ? deepArray() : deepObject()))
  }
)
const extraKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', '', 'id', 'status', 'actor'),
  fc.string({ maxLength: 10 })
)

function resolve(ctx: Context, schema: Schema): Schema {
  let s = schema
  while (typeof s?.$ref === 'string')
    s = s.$ref
      .split('/')
      .slice(1)
      .reduce((node: Schema, part: string) => node[part], ctx.doc)
  return s ?? {}
}

const isoDate = fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })

function validString(ctx: Context, s: Schema): fc.Arbitrary<string> {
  const max = Math.min(s.maxLength ?? 40, 40)
  const min = Math.min(s.minLength ?? 0, max)
  const bounded = (a: fc.Arbitrary<string>) =>
    a.filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity))
  switch (s.format) {
    case 'uuid':
      return ctx.ids.length > 0
        ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ctx.ids) }, { weight: 1, arbitrary: fc.uuid() })
        : fc.uuid()
    case 'date':
      return isoDate.map((d) => d.toISOString().slice(0, 10))
    case 'date-time':
      return isoDate.map((d) => d.toISOString())
    case 'uri':
      return fc.webUrl()
    case 'email':
      return fc.emailAddress()
  }
  if (s.pattern) return bounded(fc.stringMatching(new RegExp(s.pattern), { size: 'xsmall' }))
  return fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    ...(s.examples ? [fc.constantFrom(...(s.examples as string[]))] : [])
  )
}

function validNumber(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : -1e6)
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : 1e6)
  return integer
    ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
    : fc.double({ min: lo, max: hi, noNaN: true })
}

/**
 * Values for a schema. With `nasty` > 0, any node (and any property) is replaced by an adversarial value
 * one time in `nasty`, required properties go missing and unknown ones appear.
 */
export function valueOf(ctx: Context, schema: Schema, nasty: number, depth = 0): fc.Arbitrary<unknown> {
  const valid = validValue(ctx, resolve(ctx, schema), nasty, depth)
  return nasty > 0 ? fc.oneof({ weight: nasty - 1, arbitrary: valid }, { weight: 1, arbitrary: nastyValue }) : valid
}

function validValue(ctx: Context, s: Schema, nasty: number, depth: number): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]))
  if (s.const !== undefined) return fc.constant(s.const)
  const alternatives = s.anyOf ?? s.oneOf
  if (alternatives) return fc.oneof(...alternatives.map((a: Schema) => valueOf(ctx, a, nasty, depth)))
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  switch (type) {
    case 'string':
      return validString(ctx, s)
    case 'integer':
      return validNumber(s, true)
    case 'number':
      return validNumber(s, false)
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array': {
      const items = depth > 4 ? fc.constant(null) : valueOf(ctx, s.items ?? {}, nasty, depth + 1)
      return fc.array(items, {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 4, 4))
      })
    }
    case 'object':
      return objectValue(ctx, s, nasty, depth)
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

function objectValue(ctx: Context, s: Schema, nasty: number, depth: number): fc.Arbitrary<unknown> {
  const properties = Object.entries<Schema>(s.properties ?? {})
  const required = new Set<string>(s.required ?? [])
  const fields = fc.tuple(
    ...properties.map(([name, p]) => {
      const value = depth > 4 ? fc.constant(null) : valueOf(ctx, p, nasty, depth + 1)
      // Required properties are nearly always there (a few go missing when nasty), optional ones half the time.
      const present = required.has(name)
        ? nasty > 0
          ? fc.nat(nasty * 2).map((n) => n > 0)
          : fc.constant(true)
        : fc.boolean()
      return fc.tuple(present, value).map(([here, v]) => (here ? [[name, v] as [string, unknown]] : []))
    })
  )
  const free =
    typeof s.additionalProperties === 'object' && depth <= 4
      ? fc.array(
          fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), valueOf(ctx, s.additionalProperties, nasty, depth + 1)),
          { maxLength: 6 }
        )
      : fc.constant([])
  const extra =
    nasty > 0
      ? fc.oneof(
          { weight: nasty, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: fc.array(fc.tuple(extraKey, nastyValue), { minLength: 1, maxLength: 3 }) }
        )
      : fc.constant([])
  return fc.tuple(fields, free, extra).map(([f, a, e]) => own([...f.flat(), ...a, ...(e as Array<[string, unknown]>)]))
}

/** A valid value with, one node in `nasty`, a replacement, a missing property or an extra one. */
function mutate(value: unknown, nasty: number, depth = 0): fc.Arbitrary<unknown> {
  const kept = Array.isArray(value)
    ? fc.tuple(...value.map((v) => mutate(v, nasty, depth + 1)))
    : typeof value === 'object' && value !== null && depth < 6
      ? fc
          .tuple(
            fc.tuple(
              ...Object.entries(value).map(([k, v]) =>
                fc.tuple(fc.constant(k), mutate(v, nasty, depth + 1), fc.nat(nasty * 2))
              )
            ),
            fc.option(fc.array(fc.tuple(extraKey, nastyValue), { minLength: 1, maxLength: 3 }), {
              freq: nasty * 2,
              nil: []
            })
          )
          .map(([entries, extra]) =>
            own([
              ...entries.filter(([, , dropped]) => dropped > 0).map(([k, v]): [string, unknown] => [k, v]),
              ...extra
            ])
          )
      : fc.constant(value)
  return fc.oneof({ weight: nasty * 2, arbitrary: kept }, { weight: 1, arbitrary: nastyValue })
}

/** Percent-encodes every byte but the unreserved ones; lone surrogates go through as U+FFFD like a browser's. */
const encode = (value: string) =>
  [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[\w.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    )
    .join('')
/** A parameter as it would travel: encoded, or now and then raw (bad escapes, slashes, `?` and `#`). */
const wire = (value: unknown) => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '')
  return fc.oneof({ weight: 9, arbitrary: fc.constant(encode(text)) }, { weight: 1, arbitrary: fc.constant(text) })
}

/** The parameters of a part (path or query) as a value, with the part's own schema. */
const parameters = (spec: Schema, part: string) =>
  (spec.parameters ?? []).filter((p: Schema) => p.in === part) as Schema[]

/** A request and how it is printed on failure: long strings shortened, so a counterexample stays readable. */
export class FuzzRequest {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly payload: string | undefined,
    readonly auth: Auth
  ) {}
  [fc.toStringMethod](): string {
    const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s)
    return `${this.method} ${cut(this.url)} auth=${this.auth} headers=${JSON.stringify(this.headers)} body=${this.payload === undefined ? '(none)' : JSON.stringify(cut(this.payload))}`
  }
}

const JSON_TYPE = 'application/json'
const NDJSON = 'application/x-ndjson'
const CSV = 'text/csv'
const WRONG_TYPES = [
  JSON_TYPE,
  NDJSON,
  CSV,
  'text/plain',
  'application/json; charset=utf-16',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  ''
]
const MALFORMED = [
  '',
  '{',
  '[',
  'null',
  '"text"',
  '[]',
  '{}',
  '{"a":1}{"a":2}',
  '\u0000',
  '\ufeff{}',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
  '['.repeat(100_000) + ']'.repeat(100_000),
  '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
  '1'.repeat(400),
  'a,b\n1,2\n',
  '\n\n\n',
  'x\u2028y'
]

/** A body in a given content type: the value serialised as that type expects, or malformed text. */
function bodyText(type: string, value: unknown): fc.Arbitrary<string> {
  const serialised = type.startsWith(NDJSON)
    ? (Array.isArray(value) ? value : [value]).map((v) => JSON.stringify(v) ?? '').join('\n')
    : type.startsWith(CSV) || type.startsWith('text/plain')
      ? csvOf(value)
      : (JSON.stringify(value) ?? '')
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(serialised) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED) },
    { weight: 1, arbitrary: nastyString }
  )
}

/** Objects as CSV rows under the union of their keys (values unquoted when they can be: junk is welcome). */
function csvOf(value: unknown): string {
  const rows = (Array.isArray(value) ? value : [value]).filter(
    (r): r is Record<string, unknown> => typeof r === 'object' && r !== null
  )
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const cell = (v: unknown) => {
    const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? '')
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n')
}

/** Requests for one operation, by the given callers. `nasty` as in valueOf. */
export function requestsFor(ctx: Context, op: Operation, auths: Auth[], nasty = 6): fc.Arbitrary<FuzzRequest> {
  const pathParams = parameters(op.spec, 'path')
  const queryParams = parameters(op.spec, 'query')
  const path = fc
    .tuple(
      ...pathParams.map((p) => {
        const named = ctx.idsFor(op.path, p.name)
        const value = named.length
          ? fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(...named) },
              { weight: 2, arbitrary: valueOf(ctx, p.schema, nasty) }
            )
          : valueOf(ctx, p.schema, nasty)
        return value.chain(wire)
      })
    )
    .map((values) => pathParams.reduce((url, p, i) => url.replace(`{${p.name}}`, values[i]), op.path))
  const query = fc
    .tuple(
      ...queryParams.map((p) =>
        fc.option(
          valueOf(ctx, p.schema, nasty)
            .chain(wire)
            .map((v) => `${p.name}=${v}`),
          { freq: p.required ? 10 : 2 }
        )
      ),
      fc.option(
        fc.tuple(extraKey.chain(wire), nastyValue.chain(wire)).map(([k, v]) => `${k}=${v}`),
        { freq: nasty }
      )
    )
    .map((pairs) => pairs.filter((p) => p !== null).join('&'))
  const content = op.spec.requestBody?.content as Record<string, Schema> | undefined
  const declared = Object.keys(content ?? {})
  const body = fc.option(
    fc
      .oneof(
        { weight: 4, arbitrary: fc.constantFrom(...(declared.length ? declared : [JSON_TYPE])) },
        { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES) }
      )
      .chain((type) => {
        const schema = content?.[type]?.schema ?? content?.[JSON_TYPE]?.schema ?? {}
        const known = ctx.bodies[`${op.method} ${op.path}`] ?? []
        // Known bodies are mutated at a rate drawn per request: from one change in a few nodes to about one in all.
        const fromSchema = valueOf(ctx, schema, nasty)
        const value = known.length
          ? fc.oneof(
              { weight: 1, arbitrary: fromSchema },
              {
                weight: 2,
                arbitrary: fc
                  .tuple(fc.constantFrom(...known), fc.constantFrom(2, nasty, 40))
                  .chain(([v, rate]) => mutate(v, rate))
              }
            )
          : fromSchema
        return value.chain((v) => bodyText(type, v)).map((text) => ({ type, text }))
      }),
    // Operations without a body get one now and then all the same.
    { freq: declared.length ? 12 : 1, nil: undefined }
  )
  return fc
    .tuple(path, query, body, fc.constantFrom(...auths), fc.option(nastyString, { freq: 20 }))
    .map(([url, q, b, auth, requestId]) => {
      const headers: Record<string, string> = {}
      if (auth === 'admin' || auth === 'client') headers.authorization = `Bearer ${ctx.keys[auth]}`
      if (auth === 'garbage') headers.authorization = 'Bearer sipas_' + 'A'.repeat(43)
      if (b?.type) headers['content-type'] = b.type
      // Header values must be latin-1 to be sent at all.
      if (requestId !== null) headers['x-request-id'] = requestId.replace(/[^\x20-\x7e]/g, '?').slice(0, 300)
      return new FuzzRequest(op.method, q ? `${url}?${q}` : url, headers, b?.text, auth)
    })
}

/** Sends a request; a 5xx, or a 4xx that is not a problem+json of the catalogue, fails with the reason. */
export async function send(app: App, request: FuzzRequest): Promise<void> {
  const res = await app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    ...(request.payload !== undefined ? { payload: request.payload } : {})
  })
  if (res.statusCode >= 500) throw new Error(`${res.statusCode}: ${res.body.slice(0, 500)}`)
  if (res.statusCode >= 400) {
    if (!String(res.headers['content-type']).startsWith('application/problem+json'))
      throw new Error(
        `${res.statusCode} without problem+json: ${res.headers['content-type']} ${res.body.slice(0, 300)}`
      )
    const problem = JSON.parse(res.body)
    if (
      problem.status !== res.statusCode ||
      !/^\/problems\/[a-z-]+$/.test(problem.type) ||
      typeof problem.title !== 'string'
    )
      throw new Error(`not a catalogue problem: ${res.body.slice(0, 300)}`)
  }
}
