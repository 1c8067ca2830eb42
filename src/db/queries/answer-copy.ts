import type pg from 'pg'
import { CopyOut } from '../copy-out.js'
import { MISSING } from '../../scoring/index.js'
import type { AnswerRows } from './answer-rows.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Signature (11 bytes), flags and the header extension's length. */
const HEADER = 19
const REPORT_EVERY = 50_000

const uuidOf = (key: string): string => {
  const hex = Buffer.from(key, 'latin1').toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A unit met in the stream: its index, and the last 12 bytes of its id to confirm a match on the first 4. */
interface KnownUnit {
  index: number
  b1: number
  b2: number
  b3: number
}

/** Indices of the text labels met in a stream, numbered as they come: for rows whose labels are not known ahead. */
export class LabelIndex {
  readonly keys: string[] = []
  private readonly index = new Map<string, number>()

  get(key: string): number {
    let i = this.index.get(key)
    if (i === undefined) {
      i = this.keys.length
      this.index.set(key, i)
      this.keys.push(key)
    }
    return i
  }
}

/** Where a row's label (the stratum column) is looked up: unknown labels read as 0. */
export type Labels = Pick<ReadonlyMap<string, number>, 'get'>

/**
 * The rows of a binary COPY of (unit_id uuid, stratum text, answers bytea: one byte per answer, as stored),
 * fed chunk by chunk as they arrive, parsed on the bytes into `rows`: no array per row, and no string but
 * the stratum's name (or whatever label the query puts there).
 */
export class AnswerCopyParser {
  private rest: Buffer | null = null
  private started = false
  /** The trailer was read. */
  finished = false
  private readonly units = new Map<number, KnownUnit>()
  /** copyAnswers' views: of the chunk last read, and of the rows' answers. */
  private chunk: Buffer | null = null
  private source: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0))
  private target: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0))

  constructor(
    private readonly rows: AnswerRows,
    private readonly stratumIndex: Labels
  ) {}

  /** Takes the stream's bytes `buf[start, end)`, the next after those of the previous call. */
  push(buf: Buffer, start = 0, end = buf.length): void {
    let at = start
    if (this.rest !== null) {
      // Only the row cut in two is copied: the carried bytes and as much of the new ones as it takes to end it.
      let rest = this.rest
      const length = end - start
      for (let take = Math.min(length, 4096); ; take = Math.min(length, take * 4)) {
        const joined = Buffer.concat([rest, buf.subarray(start, start + take)])
        const stop = this.parse(joined, 0, joined.length)
        if (stop < 0) {
          this.finish()
          return
        }
        if (stop >= rest.length) {
          at = start + stop - rest.length
          break
        }
        if (take === length) {
          this.rest = joined.subarray(stop)
          return
        }
        rest = joined.subarray(stop, rest.length)
      }
    }
    const stop = this.parse(buf, at, end)
    if (stop < 0) {
      this.finish()
      return
    }
    this.rest = stop < end ? Buffer.from(buf.subarray(stop, end)) : null
  }

  private finish(): void {
    this.finished = true
    this.rest = null
  }

  /** Reads the header if not yet read, then whole rows; where the first incomplete row starts, or -1 at the trailer. */
  private parse(buf: Buffer, at: number, end: number): number {
    if (!this.started) {
      if (end - at < HEADER || end - at < HEADER + buf.readInt32BE(at + HEADER - 4)) return at
      at += HEADER + buf.readInt32BE(at + HEADER - 4)
      this.started = true
    }
    const rows = this.rows
    const K = rows.width
    for (;;) {
      if (end - at < 2) return at
      if (buf.readInt16BE(at) === -1) return -1
      // 2 (field count) + 4 + 16 (unit) + 4 (stratum's length)
      if (end - at < 26) return at
      const stratumLength = buf.readInt32BE(at + 22)
      const answersAt = at + 26 + Math.max(stratumLength, 0)
      if (end - answersAt < 4) return at
      const rowEnd = answersAt + 4 + buf.readInt32BE(answersAt)
      if (rowEnd > end) return at
      if (rows.size === rows.unit.length) rows.reserve(1)
      const r = rows.size
      rows.unit[r] = this.unitAt(buf, at + 6)
      rows.stratum[r] =
        stratumLength < 0 ? 0 : (this.stratumIndex.get(buf.toString('utf8', at + 26, at + 26 + stratumLength)) ?? 0)
      // The stored bytes are the batch's: copied as they are (a row of another width fills what it has).
      const stored = Math.min(rowEnd - answersAt - 4, K)
      this.copyAnswers(buf, answersAt + 4, stored, r * K)
      if (stored < K) rows.answers.fill(MISSING, r * K + stored, (r + 1) * K)
      rows.size++
      at = rowEnd
    }
  }

  /**
   * Copies `length` bytes from `buf` at `from` to the rows' answers at `to`, four at a time through views kept
   * while the chunk and the answers stay the same: a view (or subarray) per row cost more than the copy itself,
   * about 100 ns of a row's 250. Integers, not doubles: eight missing answers read as a double are a NaN, whose
   * bits a double's copy need not keep.
   */
  private copyAnswers(buf: Buffer, from: number, length: number, to: number): void {
    if (this.chunk !== buf) {
      this.chunk = buf
      this.source = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    }
    const answers = this.rows.answers
    if (this.target.buffer !== answers.buffer) this.target = new DataView(answers.buffer)
    const { source, target } = this
    let i = 0
    for (; i + 4 <= length; i += 4) target.setInt32(to + i, source.getInt32(from + i))
    for (; i < length; i++) answers[to + i] = buf[from + i]
  }

  /** The unit of the 16-byte id at `p`, found by its first 4 bytes and checked on the others. */
  private unitAt(buf: Buffer, p: number): number {
    const b0 = buf.readInt32BE(p)
    const known = this.units.get(b0)
    if (
      known !== undefined &&
      known.b1 === buf.readInt32BE(p + 4) &&
      known.b2 === buf.readInt32BE(p + 8) &&
      known.b3 === buf.readInt32BE(p + 12)
    )
      return known.index
    // A new unit, or one sharing its first 4 bytes with another (then looked up by its whole id each time).
    const index = this.rows.unitOf(buf.toString('latin1', p, p + 16), uuidOf)
    if (known === undefined)
      this.units.set(b0, { index, b1: buf.readInt32BE(p + 4), b2: buf.readInt32BE(p + 8), b3: buf.readInt32BE(p + 12) })
    return index
  }
}

/**
 * Which responses a COPY reads, and what it puts in the label column:
 * - `all`: every response (a campaign without a sample), no label;
 * - `sample`: those answering a drawn slot, labelled with the slot's stratum;
 * - `sample-frame`: the same, labelled stratum, then channel, subject type, field and procedure of the slot's
 *   frame record (FRAME_PARTS, joined by FRAME_SEPARATOR; empty when the record is gone or has none);
 * - `after-service`: those with the dossier code of a frame record and no slot, each in its record's unit,
 *   labelled with the record's FRAME_PARTS (ingestion links a drawn dossier's response to its slot; a reserve
 *   not released is not in the sample). db/queries/response-counts.ts counts by the same rules.
 */
export type AnswerSource = 'all' | 'sample' | 'sample-frame' | 'after-service'

/** Between the parts of a composite label: a character no stratum, channel, subject type or code holds. */
export const FRAME_SEPARATOR = '\u001f'

/** The frame record's variables a composite label ends with, in this order. */
export const FRAME_PARTS = ['channel', 'subjectType', 'field', 'procedure'] as const

/** The label's SQL: the record's FRAME_PARTS joined by FRAME_SEPARATOR (chr(31)), '' for a missing one. */
const frameLabel = (f: string) =>
  `coalesce(${f}.channel, '') || chr(31) || coalesce(${f}.subject_type, '') || chr(31) || coalesce(${f}.field_code, '') || chr(31) || coalesce(${f}.procedure_code, '')`

const SOURCES: Record<AnswerSource, (campaignId: string) => string> = {
  all: (id) => `select unit_id, null::text, answers from responses where campaign_id = '${id}'`,
  sample: (id) =>
    `select r.unit_id, s.stratum, r.answers from responses r join sample_slots s on s.id = r.slot_id where r.campaign_id = '${id}'`,
  'sample-frame': (id) =>
    `select r.unit_id, s.stratum || chr(31) || ${frameLabel('f')}, r.answers
    from responses r join sample_slots s on s.id = r.slot_id left join frame_records f on f.id = s.record_id
    where r.campaign_id = '${id}'`,
  'after-service': (id) =>
    `select f.unit_id, ${frameLabel('f')}, r.answers
    from responses r join frame_records f on f.campaign_id = r.campaign_id and f.dossier_code = r.dossier_code
    where r.campaign_id = '${id}' and r.slot_id is null`
}

/**
 * A campaign's responses through one `COPY … TO STDOUT (FORMAT binary)`, parsed as the bytes arrive: one
 * sequential read of the table instead of pages in key order, and no per-row objects in the driver either.
 * The answers are stored as the bytes the batch holds, so the server sends them as they are: no conversion
 * per element on either side.
 */
export async function copyAnswerRows(
  pool: pg.Pool,
  campaignId: string,
  source: AnswerSource,
  stratumIndex: Labels,
  rows: AnswerRows,
  onRows: (read: number) => void
): Promise<void> {
  // COPY takes no parameters: the id is inlined, so it must be a uuid and nothing else.
  if (!UUID.test(campaignId)) throw new Error(`not a campaign id: ${campaignId}`)
  const query = SOURCES[source](campaignId)
  const client = await pool.connect()
  let failure: Error | undefined
  try {
    await client.query('begin read only')
    const parser = new AnswerCopyParser(rows, stratumIndex)
    let reported = 0
    const copy = new CopyOut(`copy (${query}) to stdout (format binary)`, (buf, start, end) => {
      parser.push(buf, start, end)
      if (rows.size - reported >= REPORT_EVERY) {
        reported = rows.size
        onRows(reported)
      }
    })
    client.query(copy)
    await copy.done
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
