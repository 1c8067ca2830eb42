import type pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import type { AnswerRows } from './answer-rows.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Signature (11 bytes), flags and the header extension's length. */
const HEADER = 19
const REPORT_EVERY = 50_000

const uuidOf = (key: string): string => {
  const hex = Buffer.from(key, 'latin1').toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * Parses whole rows of a binary COPY of (unit_id uuid, stratum text, answers bytea = array_send of a
 * smallint[]) from `buf` at `at` into `rows`; returns where the first incomplete row starts, or -1 at the
 * trailer. Works on the bytes: no string or array per row except the unit's 16-byte key.
 */
function parseRows (buf: Buffer, at: number, rows: AnswerRows, stratumIndex: ReadonlyMap<string, number>): number {
  const K = rows.width
  for (;;) {
    if (buf.length - at < 2) return at
    if (buf.readInt16BE(at) === -1) return -1
    // 2 (field count) + 4 + 16 (unit) + 4 (stratum's length)
    if (buf.length - at < 26) return at
    const stratumLength = buf.readInt32BE(at + 22)
    const answersAt = at + 26 + Math.max(stratumLength, 0)
    if (buf.length - answersAt < 4) return at
    const end = answersAt + 4 + buf.readInt32BE(answersAt)
    if (end > buf.length) return at
    if (rows.size === rows.unit.length) rows.reserve(1)
    const r = rows.size
    rows.unit[r] = rows.unitOf(buf.toString('latin1', at + 6, at + 22), uuidOf)
    rows.stratum[r] = stratumLength < 0 ? 0 : stratumIndex.get(buf.toString('utf8', at + 26, at + 26 + stratumLength)) ?? 0
    // array_send: dimensions, has-nulls flag, element type, then (size, lower bound) per dimension
    let p = answersAt + 4
    p += 12 + 8 * buf.readInt32BE(p)
    const answers = rows.answers
    const last = r * K + K
    // Each element: its length (-1, all bits set, for NULL; else 2) and a big-endian smallint.
    for (let c = r * K; p < end; c++) {
      if (buf[p] === 0xff) { p += 4; continue }
      if (c < last) answers[c] = (buf[p + 4] << 8) | buf[p + 5]
      p += 6
    }
    rows.size++
    at = end
  }
}

/**
 * The rows of a binary COPY stream, fed chunk by chunk as they arrive (a row may straddle two chunks).
 */
export class AnswerCopyParser {
  private rest: Buffer | null = null
  private started = false
  /** The trailer was read. */
  finished = false

  constructor (private readonly rows: AnswerRows, private readonly stratumIndex: ReadonlyMap<string, number>) {}

  push (chunk: Buffer): void {
    const buf = this.rest === null ? chunk : Buffer.concat([this.rest, chunk])
    let at = 0
    if (!this.started) {
      if (buf.length < HEADER || buf.length < HEADER + buf.readInt32BE(HEADER - 4)) { this.rest = buf; return }
      at = HEADER + buf.readInt32BE(HEADER - 4)
      this.started = true
    }
    at = parseRows(buf, at, this.rows, this.stratumIndex)
    this.finished = at < 0
    this.rest = at >= 0 && at < buf.length ? buf.subarray(at) : null
  }
}

/**
 * A campaign's responses through one `COPY … TO STDOUT (FORMAT binary)`, parsed as the bytes arrive: one
 * sequential read of the table instead of pages in key order, and no per-row objects in the driver.
 * Turning each smallint[] into its wire form is most of the server's work, so the query asks for
 * `array_send(answers)` in the select list and lets the planner hand that to parallel workers
 * (parallel_tuple_cost 0: passing rows to the leader is cheap beside it).
 */
export async function copyAnswerRows (pool: pg.Pool, campaignId: string, sampled: boolean, stratumIndex: ReadonlyMap<string, number>, rows: AnswerRows, onRows: (read: number) => void): Promise<void> {
  // COPY takes no parameters: the id is inlined, so it must be a uuid and nothing else.
  if (!UUID.test(campaignId)) throw new Error(`not a campaign id: ${campaignId}`)
  const query = sampled
    ? `select r.unit_id, s.stratum, array_send(r.answers) from responses r join sample_slots s on s.id = r.slot_id where r.campaign_id = '${campaignId}'`
    : `select unit_id, null::text, array_send(answers) from responses where campaign_id = '${campaignId}'`
  const client = await pool.connect()
  let failure: Error | undefined
  try {
    await client.query('begin read only')
    await client.query('set local parallel_tuple_cost = 0')
    const parser = new AnswerCopyParser(rows, stratumIndex)
    let reported = 0
    for await (const chunk of client.query(copyTo(`copy (${query}) to stdout (format binary)`)) as AsyncIterable<Buffer>) {
      parser.push(chunk)
      if (rows.size - reported >= REPORT_EVERY) { reported = rows.size; onRows(reported) }
    }
    if (!parser.finished) throw new Error('the COPY of the responses ended before its trailer')
    await client.query('commit')
  } catch (error) {
    failure = error as Error
    throw error
  } finally {
    // A connection whose COPY failed half-way is not handed back to the pool.
    client.release(failure)
  }
  onRows(rows.size)
}
