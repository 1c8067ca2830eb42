import { createInterface } from 'node:readline'
import { StringDecoder } from 'node:string_decoder'
import { Transform, type Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { Problem } from '../problems.js'
import { nfc } from './unicode.js'

export const CSV = 'text/csv'
export const NDJSON = 'application/x-ndjson'

/** CSV and NDJSON bodies as text in NFC (unicode.ts), for routes that take modest files whole (imports of units). */
export function acceptTextBodies(app: FastifyInstance): void {
  for (const type of [CSV, NDJSON])
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => {
      done(null, nfc(body as string))
    })
}

/** A streamed body, with the error that ended it early (over the limit, connection lost), if any. */
export type StreamBody = Readable & { failure?: Error }

/**
 * CSV and NDJSON bodies as streams, for routes that take 100,000+ rows: read as they arrive, never held
 * whole, their text in NFC (unicode.ts). The body limit still applies: past it the stream fails with a 413 problem.
 */
export function acceptStreamBodies(app: FastifyInstance, limit: number): void {
  for (const type of [CSV, NDJSON]) {
    app.addContentTypeParser(type, (_request, payload, done) => {
      let seen = 0
      const decoder = new StringDecoder('utf8')
      // A character and its combining marks may be cut between chunks, but never across a line break: text is
      // normalised up to the last line break seen, and the rest waits for the next chunk.
      let pending = ''
      const counted = payload.pipe(
        new Transform({
          transform(chunk: Buffer, _encoding, next) {
            seen += chunk.length
            if (seen > limit) return next(new Problem('body-too-large', `The body exceeds ${limit} bytes.`))
            const text = pending + decoder.write(chunk)
            const cut = text.lastIndexOf('\n') + 1
            pending = text.slice(cut)
            next(null, nfc(text.slice(0, cut)))
          },
          flush(next) {
            next(null, nfc(pending + decoder.end()))
          }
        })
      )
      payload.on('error', (error) => counted.destroy(error))
      // The failure is kept for the reader, which may start only after it happened.
      counted.on('error', (error) => {
        ;(counted as StreamBody).failure = error
      })
      done(null, counted as Readable)
    })
  }
}

/**
 * The non-empty lines of a streamed body, each with its line number (from 1, counting the empty ones) for
 * messages. Fails with the stream's own failure (over the limit, connection lost), whether it came before
 * reading started (the stream then emits nothing more) or during it (readline then ends quietly).
 */
export async function* nonEmptyLines(stream: StreamBody): AsyncGenerator<{ text: string; number: number }> {
  if (stream.failure) throw stream.failure
  let number = 0
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    number++
    if (text.trim() !== '') yield { text, number }
  }
  if (stream.failure) throw stream.failure
}
