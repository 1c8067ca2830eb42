import type pg from 'pg'

const COPY_DATA = 0x64
const COPY_DONE = 0x63
/** CopyOutResponse, NoticeResponse, ParameterStatus, NotificationResponse: may come among the data. */
const PASSED_OVER = new Set([0x48, 0x4e, 0x53, 0x41])

/**
 * Runs `COPY … TO STDOUT` on a pg client (`client.query(copy)`, then `await copy.done`) and hands each
 * CopyData message's bytes to `onData` as they come off the socket, without a Buffer or an object per
 * message (a million rows are a million messages). pg's own parser is set aside meanwhile, as
 * pg-copy-streams does, and gets back what follows the data: CopyDone, CommandComplete and ReadyForQuery,
 * or an error, which pg then reports to this query.
 */
export class CopyOut implements pg.Submittable {
  readonly done: Promise<void>
  private resolve!: () => void
  private reject!: (error: Error) => void
  private stream!: pg.Connection['stream']
  private pgOnData!: (chunk: Buffer) => void
  /** The start of a message cut between two chunks. */
  private pending: Buffer | null = null
  private failed = false
  /** What `onData` threw: the rest of the data is passed over, and `done` rejects with it at the end. */
  private thrown: Error | null = null
  private readonly onChunk = (chunk: Buffer): void => {
    this.read(chunk)
  }

  constructor(
    private readonly text: string,
    private readonly onData: (buf: Buffer, start: number, end: number) => void
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
  }

  submit(connection: pg.Connection): void {
    this.stream = connection.stream
    this.pgOnData = this.stream.listeners('data')[0] as (chunk: Buffer) => void
    this.stream.removeListener('data', this.pgOnData)
    this.stream.on('data', this.onChunk)
    connection.query(this.text)
  }

  // Called by pg once it has its parser back.
  handleError(error: Error): void {
    this.failed = true
    this.reject(error)
  }
  handleCommandComplete(): void {}
  handleReadyForQuery(): void {
    if (this.thrown !== null) this.reject(this.thrown)
    else if (!this.failed) this.resolve()
  }

  private read(chunk: Buffer): void {
    let at = 0
    if (this.pending !== null) {
      // Only the message cut in two is copied.
      const pending = this.pending
      if (pending.length + chunk.length < 5) {
        this.pending = Buffer.concat([pending, chunk])
        return
      }
      const head = pending.length >= 5 ? pending : Buffer.concat([pending, chunk.subarray(0, 5 - pending.length)])
      const size = 1 + head.readInt32BE(1)
      const need = size - pending.length
      if (need > chunk.length) {
        this.pending = Buffer.concat([pending, chunk])
        return
      }
      this.pending = null
      const message = Buffer.concat([pending, chunk.subarray(0, need)])
      if (!this.message(message, 0, size)) {
        this.handBack(message[0] === COPY_DONE ? chunk.subarray(need) : Buffer.concat([message, chunk.subarray(need)]))
        return
      }
      at = need
    }
    while (chunk.length - at >= 5) {
      const size = 1 + chunk.readInt32BE(at + 1)
      if (chunk.length - at < size) break
      if (!this.message(chunk, at, size)) {
        this.handBack(chunk.subarray(chunk[at] === COPY_DONE ? at + size : at))
        return
      }
      at += size
    }
    this.pending = at < chunk.length ? chunk.subarray(at) : null
  }

  /** Takes the message at `at`; false once the data is over (CopyDone) or something else comes (an error). */
  private message(buf: Buffer, at: number, size: number): boolean {
    if (buf[at] === COPY_DATA) {
      // A throw here would escape from the socket's handler: kept for `done` instead.
      if (this.thrown === null)
        try {
          this.onData(buf, at + 5, at + size)
        } catch (error) {
          this.thrown = error as Error
        }
      return true
    }
    return PASSED_OVER.has(buf[at])
  }

  private handBack(rest: Buffer): void {
    this.stream.removeListener('data', this.onChunk)
    this.stream.on('data', this.pgOnData)
    if (rest.length > 0) this.pgOnData(rest)
  }
}
