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
export const WORDING = {
  required: () => 'is required',
  notAllowedProperty: () => 'is not a known property',
  notAllowed: () => 'is not allowed here',
  oneOf: (values: readonly unknown[]) => `must be one of ${list(values)}`,
  dateTime: () => `must be a date and time with its time-zone offset, e.g. ${EXAMPLE_DATE_TIME}`,
  dateTimeWithoutOffset: () =>
    `has no time-zone offset: add one, e.g. ${EXAMPLE_DATE_TIME} (Vietnam time) or a final Z for UTC`,
  date: () => 'must be a date, e.g. 2026-03-01',
  invalid: () => 'is not valid'
} satisfies Record<string, (...args: never[]) => string>
export type Wording = typeof WORDING

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
        if (!constants.has(path)) add(path, e.message ?? words.invalid())
        break
      case 'format':
        if (e.params.format === 'date-time') {
          const given = valueAt(value, path)
          add(
            path,
            typeof given === 'string' && LOCAL_DATE_TIME.test(given) ? words.dateTimeWithoutOffset() : words.dateTime()
          )
        } else if (e.params.format === 'date') add(path, words.date())
        else add(path, e.message ?? words.invalid())
        break
      default:
        add(path, e.message ?? words.invalid())
    }
  }
  return [...out.values()]
}
