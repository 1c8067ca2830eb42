/**
 * Responses appended row by row into the columnar arrays of a ResponseBatch (one byte per answer,
 * MISSING where there is none), growing as needed: the readers of results.ts fill one, writing each row's
 * bytes whole (a million rows' 47 MB are not filled ahead: on the event loop, that took tens of milliseconds).
 * The arrays are in shared memory: the threads that score a large campaign together read them where they are
 * (copying 40 MB there would cost more than any thread saves).
 */
export class AnswerRows {
  readonly width: number
  readonly units: string[] = []
  private readonly unitIndex = new Map<string, number>()
  size = 0
  unit: Uint32Array<SharedArrayBuffer>
  stratum: Uint32Array<SharedArrayBuffer>
  answers: Uint8Array<SharedArrayBuffer>

  constructor(width: number, capacity: number) {
    this.width = width
    this.unit = new Uint32Array(shared(4 * capacity))
    this.stratum = new Uint32Array(shared(4 * capacity))
    this.answers = new Uint8Array(shared(capacity * width))
  }

  /** Room for `more` rows after the current ones. */
  reserve(more: number): void {
    if (this.size + more <= this.unit.length) return
    const capacity = Math.max(this.unit.length * 2, this.size + more)
    const unit = new Uint32Array(shared(4 * capacity))
    unit.set(this.unit)
    this.unit = unit
    const stratum = new Uint32Array(shared(4 * capacity))
    stratum.set(this.stratum)
    this.stratum = stratum
    const answers = new Uint8Array(shared(capacity * this.width))
    answers.set(this.answers)
    this.answers = answers
  }

  /**
   * The index of a unit, by a key of the reader's choice (the id itself, or its 16 bytes as latin1 text);
   * `id` turns a new key into the unit's id.
   */
  unitOf(key: string, id: (key: string) => string = (k) => k): number {
    let u = this.unitIndex.get(key)
    if (u === undefined) {
      u = this.units.length
      this.unitIndex.set(key, u)
      this.units.push(id(key))
    }
    return u
  }
}

const shared = (bytes: number) => new SharedArrayBuffer(bytes)
