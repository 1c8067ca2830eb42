import fp from 'fastify-plugin'

/**
 * One text, one key: Vietnamese text reaches us precomposed (NFC, "ộ" as one code point) or decomposed (NFD,
 * "o" + two combining marks) depending on the sender's platform, and the two must compare, index and
 * deduplicate as the same text (an `externalId` sent in both forms is one response). Every string that comes in
 * (body, query string, path parameters, streamed CSV and NDJSON) is brought to NFC here, at the edge, before
 * validation, so nothing further in has to think about it.
 */

// Pure ASCII is already NFC; most of what clients send (codes, ids, numbers, dates) is, and this test is far
// cheaper than normalize(), which allocates a new string every time.
const NOT_ASCII = /[\u0080-\uffff]/

export function nfc(text: string): string {
  return NOT_ASCII.test(text) ? text.normalize('NFC') : text
}

/** The same value with every string, object key included, in NFC; objects and arrays are changed in place. */
export function nfcDeep(value: unknown): unknown {
  if (typeof value === 'string') return nfc(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = nfcDeep(value[i])
    return value
  }
  if (value === null || typeof value !== 'object' || !isPlainObject(value)) return value
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    const normalKey = nfc(key)
    const normal = nfcDeep(record[key])
    if (normalKey !== key) {
      delete record[key]
      record[normalKey] = normal
    } else if (normal !== record[key]) record[key] = normal
  }
  return record
}

// A streamed body (a Readable) and other class instances are left alone: the stream parsers normalise text as
// it arrives (content-types.ts).
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

export default fp(
  async function unicode(app) {
    app.addHook('preValidation', async (request) => {
      request.body = nfcDeep(request.body)
      nfcDeep(request.query)
      nfcDeep(request.params)
    })
  },
  { name: 'unicode' }
)
