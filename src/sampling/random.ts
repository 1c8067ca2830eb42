import { requireInteger, SamplingError } from './errors.js'

/*
 * Reproducible random numbers for sample draws. Everything here is 32-bit integer arithmetic
 * (Math.imul, shifts, xor) plus exact double arithmetic on integers below 2^53, so a draw gives the same
 * result on any machine, JavaScript engine or Node version — and can be re-implemented elsewhere from
 * README.md. Changing anything in this file changes every draw; the golden tests catch it.
 */

const TWO_POW_32 = 4294967296

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k))

/**
 * MurmurHash3_x86_32 (Appleby), the common 32-bit MurmurHash3; available as mmh3.hash(bytes, seed,
 * signed=False) in Python.
 */
export function murmur3(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51
  const c2 = 0x1b873593
  const blocks = bytes.length >>> 2
  let h = seed >>> 0
  for (let i = 0; i < blocks; i++) {
    const at = i * 4
    let k = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)
    k = Math.imul(rotl(Math.imul(k, c1), 15), c2)
    h = rotl(h ^ k, 13)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  const tail = blocks * 4
  const tailLength = bytes.length & 3
  if (tailLength > 0) {
    let k = bytes[tail]
    if (tailLength > 1) k |= bytes[tail + 1] << 8
    if (tailLength > 2) k |= bytes[tail + 2] << 16
    h ^= Math.imul(rotl(Math.imul(k, c1), 15), c2)
  }
  h ^= bytes.length
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** xoshiro128** 1.1 (Blackman & Vigna, 2018): 128-bit state, period 2^128 − 1, 32-bit outputs. */
export class RandomStream {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  /** The state must not be all zeros (the one state xoshiro never leaves). */
  constructor(state: readonly [number, number, number, number]) {
    if ((state[0] | state[1] | state[2] | state[3]) === 0)
      throw new SamplingError('INVALID_PARAMETER', 'state', 'xoshiro128** state must not be all zeros')
    ;[this.s0, this.s1, this.s2, this.s3] = state
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** A double in [0, 1) on the 2^-53 grid, from two outputs a, b: ((a >>> 5)·2^26 + (b >>> 6)) / 2^53. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5
    const low = this.nextUint32() >>> 6
    return (high * 67108864 + low) / 9007199254740992
  }

  /**
   * A uniform integer in [0, bound), 1 ≤ bound ≤ 2^32, without modulo bias: outputs x below
   * (2^32 − bound) mod bound are rejected and the next is tried; the first accepted x gives x mod bound.
   */
  nextBelow(bound: number): number {
    requireInteger('bound', bound, 1)
    if (bound > TWO_POW_32) throw new SamplingError('INVALID_PARAMETER', 'bound', `must be at most 2^32, got ${bound}`)
    const threshold = (TWO_POW_32 - bound) % bound
    for (;;) {
      const x = this.nextUint32()
      if (x >= threshold) return x % bound
    }
  }
}

const utf8 = new TextEncoder()

/**
 * The stream for one stratum: its bytes are uint32_le(len(S)) ‖ S ‖ K, with S and K the UTF-8 bytes of the
 * seed and the stratum key (the length prefix keeps ("ab", "c") and ("a", "bc") apart), and its state word
 * i is murmur3(bytes, seed = i) for i = 0..3. Each stratum's stream depends only on the seed and its own
 * key, so adding, removing or reordering strata leaves the other strata's draws unchanged.
 */
export function streamFor(seed: string, stratum: string): RandomStream {
  const seedBytes = utf8.encode(seed)
  const keyBytes = utf8.encode(stratum)
  const bytes = new Uint8Array(4 + seedBytes.length + keyBytes.length)
  new DataView(bytes.buffer).setUint32(0, seedBytes.length, true)
  bytes.set(seedBytes, 4)
  bytes.set(keyBytes, 4 + seedBytes.length)
  const state: [number, number, number, number] = [
    murmur3(bytes, 0),
    murmur3(bytes, 1),
    murmur3(bytes, 2),
    murmur3(bytes, 3)
  ]
  // Four independent hashes all zero has probability 2^-128; the fixed fallback keeps the rule total.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1
  return new RandomStream(state)
}
