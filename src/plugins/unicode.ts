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

/**
 * The same value with every string, object key included, in NFC; objects and arrays are changed in place.
 * The walk keeps its own stack, not the call stack: a body nested 100,000 deep must reach validation (and its
 * 422), not overflow here.
 */
export function nfcDeep(value: unknown): unknown {
  if (typeof value === 'string') return nfc(value)
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const item = pending.pop()
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        if (typeof item[i] === 'string') item[i] = nfc(item[i])
        else pending.push(item[i])
      }
    } else if (item !== null && typeof item === 'object' && isPlainObject(item)) {
      const record = item as Record<string, unknown>
      for (const key of Object.keys(record)) {
        const normalKey = nfc(key)
        const field = record[key]
        const normal = typeof field === 'string' ? nfc(field) : field
        if (normalKey !== key) {
          delete record[key]
          record[normalKey] = normal
        } else if (normal !== field) record[key] = normal
        pending.push(normal)
      }
    }
  }
  return value
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
