/** A slot value meaning "no value given" (distinct from the scale's "no answer" code, usually 0). */
export const MISSING = 255

/**
 * Memory for typed arrays of this many bytes at least, zeroed: an ArrayBuffer, or a SharedArrayBuffer other threads
 * read too. Arrays made in it give their length (a kept buffer may be longer: kept-memory.ts).
 */
export type Room = (bytes: number) => ArrayBufferLike
export const ownRoom: Room = (bytes) => new ArrayBuffer(bytes)

/**
 * Responses in columns, the shape the scoring core reads: one byte per answer, row-major
 * (`answers[row * columns.length + column]`), MISSING where there is no value.
 */
export interface ResponseBatch {
  readonly columns: readonly string[]
  readonly size: number
  readonly answers: Uint8Array
  /** Index into `units` for each row. */
  readonly unit: Uint32Array
  readonly units: readonly string[]
  /** Index into `design.strata`; null means one stratum. */
  readonly stratum: Uint32Array | null
  /** Index into `design.psus`; null means every row is its own PSU. */
  readonly psu: Uint32Array | null
  /** Sampling weights (1/π, possibly adjusted); null means weight 1. */
  readonly weight: Float64Array | null
}

/**
 * The sampling design as a whole (not one batch of it): strata with their PSU count n_h in the full sample
 * and population size N_h, and the PSUs when the design has clusters. Variances need these full-design
 * counts even when a batch holds only part of the sample (R's `subset()` keeps them too).
 */
export interface Design {
  /** false for self-selected responses (kiosks, open web forms): unweighted shares, no design-based interval. */
  readonly probability: boolean
  readonly strata: readonly string[]
  /** N_h, the stratum's population size in PSUs, or null (no finite-population correction). */
  readonly fpc: ReadonlyArray<number | null>
  /** n_h, PSUs sampled in each stratum. */
  readonly psuCount: readonly number[]
  /** Clustered designs: the PSU names and the stratum of each; null when every row is its own PSU. */
  readonly psus: readonly string[] | null
  readonly psuStratum: Uint32Array | null
}

/** The design as seen in one complete batch: n_h counted from the rows (or from the distinct PSUs). */
export function designOfBatch(
  batch: ResponseBatch,
  strata: readonly string[],
  fpc: ReadonlyArray<number | null>,
  psus: readonly string[] | null = null,
  probability = true
): Design {
  const psuCount = new Array<number>(strata.length).fill(0)
  let psuStratum: Uint32Array | null = null
  if (batch.psu && psus) {
    psuStratum = new Uint32Array(psus.length)
    const seen = new Uint8Array(psus.length)
    for (let r = 0; r < batch.size; r++) {
      const p = batch.psu[r]
      if (seen[p] === 0) {
        seen[p] = 1
        psuStratum[p] = batch.stratum ? batch.stratum[r] : 0
        psuCount[psuStratum[p]]++
      }
    }
  } else {
    for (let r = 0; r < batch.size; r++) psuCount[batch.stratum ? batch.stratum[r] : 0]++
  }
  return { probability, strata, fpc, psuCount, psus: batch.psu ? psus : null, psuStratum }
}
