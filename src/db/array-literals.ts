/**
 * PostgreSQL array literals, sent as one text parameter each and cast in the statement (`…::uuid[]`): a bulk
 * statement `insert … select from unnest(…)` then takes one parameter per column, not one per value (pg
 * would quote and escape every element of a JavaScript array; drizzle would build a placeholder per value).
 */

/** An array literal of values with nothing to quote (uuids, instants, codes, hashes, hex, numbers). */
export const plain = (values: ReadonlyArray<string | number | null>): string =>
  `{${values.map((v) => v ?? 'NULL').join(',')}}`

/** What a quoted element must escape; tested first, as most text has none (a replace on every value tripled the time). */
const ESCAPED = /[\\"]/
const EACH_ESCAPED = new RegExp(ESCAPED.source, 'g')

/** A text[] literal of any text. */
export const quoted = (values: ReadonlyArray<string | null>): string =>
  `{${values.map((v) => (v === null ? 'NULL' : `"${ESCAPED.test(v) ? v.replace(EACH_ESCAPED, '\\$&') : v}"`)).join(',')}}`
