/**
 * Schema errors in words a person can act on. Ajv (Fastify's validator) and TypeBox (`Compile`, `Value.Errors`)
 * report errors of the same shape; this names the field of each by JSON pointer and says what it must be:
 * the allowed values of an enum, an example of a date-time, the property that is not allowed.
 */
import { pointerToken } from './problems.js'

/** One error of Ajv or TypeBox: where in the value, which keyword of which schema, and its parameters. */
export interface SchemaError {
  instancePath: string
  schemaPath?: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

export interface SchemaFieldError {
  pointer: string
  detail: string
}

const EXAMPLE_DATE_TIME = '2026-03-01T08:00:00+07:00'
/** A date and time of day without a time-zone offset (the offset is what makes it one instant). */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/

const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ')

/** The sentences, by what they say: one place to read and to translate. */
export interface Wording {
  required: () => string
  notAllowedProperty: () => string
  notAllowed: () => string
  oneOf: (values: readonly unknown[]) => string
  dateTime: () => string
  dateTimeWithoutOffset: () => string
  date: () => string
  /** `types` as JSON Schema names them: string, integer, number, boolean, object, array, null. */
  type: (types: readonly string[]) => string
  /** `comparison` is <, <=, > or >=. */
  compare: (comparison: string, limit: unknown) => string
  minLength: (limit: unknown) => string
  maxLength: (limit: unknown) => string
  minItems: (limit: unknown) => string
  maxItems: (limit: unknown) => string
  pattern: (pattern: unknown) => string
  /** Another string format (uuid, email, uri, …). */
  format: (format: unknown) => string
  invalid: () => string
}

const TYPES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null'
}

export const WORDING: Wording = {
  required: () => 'is required',
  notAllowedProperty: () => 'is not a known property',
  notAllowed: () => 'is not allowed here',
  oneOf: (values) => `must be one of ${list(values)}`,
  dateTime: () => `must be a date and time with its time-zone offset, e.g. ${EXAMPLE_DATE_TIME}`,
  dateTimeWithoutOffset: () =>
    `has no time-zone offset: add one, e.g. ${EXAMPLE_DATE_TIME} (Vietnam time) or a final Z for UTC`,
  date: () => 'must be a date, e.g. 2026-03-01',
  type: (types) => `must be ${types.map((t) => TYPES[t] ?? t).join(' or ')}`,
  compare: (comparison, limit) => `must be ${comparison} ${String(limit)}`,
  minLength: (limit) => `must have at least ${String(limit)} characters`,
  maxLength: (limit) => `must have at most ${String(limit)} characters`,
  minItems: (limit) => `must have at least ${String(limit)} items`,
  maxItems: (limit) => `must have at most ${String(limit)} items`,
  pattern: (pattern) => `must match the pattern ${String(pattern)}`,
  format: (format) => `must be a valid ${String(format)}`,
  invalid: () => 'is not valid'
}

const TYPES_VI: Record<string, string> = {
  string: 'một chuỗi ký tự',
  integer: 'một số nguyên',
  number: 'một số',
  boolean: 'true hoặc false',
  object: 'một đối tượng',
  array: 'một mảng',
  null: 'null'
}

/** The same in Vietnamese, for `Accept-Language: vi`. */
export const WORDING_VI: Wording = {
  required: () => 'là bắt buộc',
  notAllowedProperty: () => 'không phải là thuộc tính được chấp nhận',
  notAllowed: () => 'không được phép ở đây',
  oneOf: (values) => `phải là một trong các giá trị ${list(values)}`,
  dateTime: () => `phải là ngày giờ kèm độ lệch múi giờ, ví dụ ${EXAMPLE_DATE_TIME}`,
  dateTimeWithoutOffset: () =>
    `thiếu độ lệch múi giờ: hãy thêm vào, ví dụ ${EXAMPLE_DATE_TIME} (giờ Việt Nam) hoặc chữ Z ở cuối cho giờ UTC`,
  date: () => 'phải là một ngày, ví dụ 2026-03-01',
  type: (types) => `phải là ${types.map((t) => TYPES_VI[t] ?? t).join(' hoặc ')}`,
  compare: (comparison, limit) => `phải ${comparison} ${String(limit)}`,
  minLength: (limit) => `phải có ít nhất ${String(limit)} ký tự`,
  maxLength: (limit) => `phải có nhiều nhất ${String(limit)} ký tự`,
  minItems: (limit) => `phải có ít nhất ${String(limit)} phần tử`,
  maxItems: (limit) => `phải có nhiều nhất ${String(limit)} phần tử`,
  pattern: (pattern) => `phải khớp với mẫu ${String(pattern)}`,
  format: (format) => `phải đúng định dạng ${String(format)}`,
  invalid: () => 'không hợp lệ'
}

/** The value a JSON pointer names in `root`, if any (RFC 6901). */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root
  for (const token of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return node
}

/** The property names an error is about, below its instance path: Ajv names one, TypeBox a list. */
const names = (one: unknown, many: unknown): string[] =>
  Array.isArray(many) ? many.map(String) : one === undefined ? [] : [String(one)]

/**
 * The field errors of a validation, one per field and fact, with `value` the validated request part (for
 * what the value lacks, such as a time-zone offset). `words` gives the sentences (a translation of WORDING).
 */
export function describeSchemaErrors(
  errors: Iterable<SchemaError>,
  value: unknown,
  words: Wording = WORDING
): SchemaFieldError[] {
  const all = [...errors]
  const out = new Map<string, SchemaFieldError>()
  const add = (pointer: string, detail: string) => out.set(`${pointer}\u0000${detail}`, { pointer, detail })
  const below = (path: string, name: string) => `${path}/${pointerToken(name)}`
  // A union of constants (TypeBox's Union of Literals) fails once per member, and once more as a whole.
  const constants = new Map<string, unknown[]>()
  for (const e of all)
    if (e.keyword === 'const')
      constants.set(e.instancePath, [...(constants.get(e.instancePath) ?? []), e.params.allowedValue])

  for (const e of all) {
    const path = e.instancePath
    switch (e.keyword) {
      case 'required':
        for (const name of names(e.params.missingProperty, e.params.requiredProperties))
          add(below(path, name), words.required())
        break
      case 'additionalProperties':
        for (const name of names(e.params.additionalProperty, e.params.additionalProperties))
          add(below(path, name), words.notAllowedProperty())
        break
      // A `false` schema ("boolean schema is false"): TypeBox 1.x reports `additionalProperties: false` this
      // way, at the property itself, besides the additionalProperties error.
      case 'boolean':
      case 'false schema':
        add(path, /additionalProperties$/.test(e.schemaPath ?? '') ? words.notAllowedProperty() : words.notAllowed())
        break
      case 'enum':
        add(path, words.oneOf(e.params.allowedValues as unknown[]))
        break
      case 'const':
        add(path, words.oneOf(constants.get(path)!))
        break
      case 'anyOf':
        if (!constants.has(path)) add(path, words.invalid())
        break
      case 'type':
        add(path, words.type(String(e.params.type).split(',')))
        break
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        add(path, words.compare(String(e.params.comparison), e.params.limit))
        break
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
        add(path, words[e.keyword](e.params.limit))
        break
      case 'pattern':
        add(path, words.pattern(e.params.pattern))
        break
      case 'format':
        if (e.params.format === 'date-time') {
          const given = valueAt(value, path)
          add(
            path,
            typeof given === 'string' && LOCAL_DATE_TIME.test(given) ? words.dateTimeWithoutOffset() : words.dateTime()
          )
        } else if (e.params.format === 'date') add(path, words.date())
        else add(path, words.format(e.params.format))
        break
      // The validator's own English where no sentence is written (rare keywords): still a field and a fact.
      default:
        add(path, e.message ?? words.invalid())
    }
  }
  return [...out.values()]
}
