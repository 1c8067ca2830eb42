import type { Room } from './batch.js'

/**
 * Memory a thread keeps from one computation to the next, for arrays too large for malloc to keep: glibc maps
 * every allocation over 32 MB afresh and unmaps it when it is freed, and on a virtual machine each fresh 4 KB
 * page costs about 15 µs to fault in (a province's calibrated pair counts, 47 MB: some 140 ms a computation).
 *
 * `room` hands out zeroed memory of at least the bytes asked: the smallest free buffer that holds them (its
 * first bytes zeroed), else a new one with a quarter more for a campaign that grows. Buffers stay in use until
 * `release`, which the owner calls once nothing made in them is read any more (or `during` calls after the work
 * it is given); then they serve the next room.
 */
export class KeptMemory {
  private free: ArrayBuffer[] = []
  private readonly used: ArrayBuffer[] = []

  /** `limit`: bytes kept free at most (the largest buffers are kept first). */
  constructor(private readonly limit: number) {}

  readonly room: Room = (bytes) => {
    let best = -1
    for (let i = 0; i < this.free.length; i++)
      if (this.free[i].byteLength >= bytes && (best < 0 || this.free[i].byteLength < this.free[best].byteLength))
        best = i
    let buffer: ArrayBuffer
    if (best < 0) buffer = new ArrayBuffer(Math.ceil(bytes * 1.25))
    else {
      buffer = this.free.splice(best, 1)[0]
      new Uint8Array(buffer, 0, bytes).fill(0)
    }
    this.used.push(buffer)
    return buffer
  }

  /** `use`'s answer, after which every buffer handed out meanwhile is released, whether it answers or throws. */
  during<T>(use: () => T): T {
    try {
      return use()
    } finally {
      this.release()
    }
  }

  /** Every buffer handed out becomes free again; beyond `limit`, the smallest are let go. */
  release(): void {
    const all = [...this.free, ...this.used.splice(0)].sort((a, b) => b.byteLength - a.byteLength)
    let kept = 0
    this.free = all.filter((b) => (kept += b.byteLength) <= this.limit)
  }
}
