import { requireInRange, requireInteger, SamplingError } from './errors.js'
import { compareCodePoints, groupByStratum, type FrameRecord } from './frame.js'
import { streamFor, type RandomStream } from './random.js'
import { roundUp } from './size.js'

// nextDouble() returns multiples of 2^-53.
const GRID = 2 ** 53

export type DrawMethod = 'srswor' | 'systematic'

export interface DrawPlan {
  /** Any text; recorded with the draw, it and the frame reproduce the draw exactly. */
  seed: string
  method: DrawMethod
  /** n_h for every stratum of the frame (allocate() output fits). */
  allocation: ReadonlyArray<{ stratum: string; sampleSize: number }>
  /** Reserves per stratum as a share of n_h: r_h = min(⌈rate·n_h⌉, N_h − n_h), rounded up as sizes are; default 0. */
  reserveRate?: number
}

export interface SelectedUnit {
  stratum: string
  role: 'main' | 'reserve'
  /** 1-based place in the stratum's draw order: main units 1..n_h, then reserves n_h + 1..n_h + r_h. */
  position: number
  /** 1..r_h for reserves, the order in which they replace; null for main units. */
  reserveRank: number | null
  /** Index into the frame array as given. */
  frameIndex: number
  id: string
  /** π_h = n_h/N_h. A reserve that replaces a main unit is weighted like the unit it replaces. */
  inclusionProbability: number
  /** N_h/n_h. */
  baseWeight: number
}

export interface StratumDraw {
  stratum: string
  populationSize: number
  sampleSize: number
  reserveSize: number
  inclusionProbability: number
  /** N_h/n_h; null when nothing is drawn in the stratum. */
  baseWeight: number | null
}

export interface SampleDraw {
  seed: string
  method: DrawMethod
  /** Names the PRNG and stream derivation, so a stored draw says how to redo it. */
  generator: 'xoshiro128**/murmur3-x86-32/v1'
  /** Strata in code-point order of their keys. */
  strata: StratumDraw[]
  /** Stratum by stratum (as `strata`), main units then reserves, each in position order. */
  units: SelectedUnit[]
}

/**
 * Stratified sample without replacement, with reserves; independent of the order of the frame array.
 *
 * SRSWOR: the stratum's records are ordered by id (code points); a partial Fisher–Yates shuffle of that
 * list with the stratum's stream (for i = 0..n_h + r_h − 1: j = i + nextBelow(N_h − i), swap a[i], a[j])
 * gives the main sample a[0..n_h) and the reserves a[n_h..n_h + r_h) in that order.
 *
 * Systematic: the records are ordered by (sortKey ?? id, id); with k = N_h/n_h and u = nextDouble(), the
 * i-th unit (i = 0..n_h − 1) is at ⌊u·k + i·k⌋, computed exactly (in integers, not floats).
 * The reserves are then an SRSWOR (as above, same stream continued) from the unselected records in
 * that order, so replacements are not tied to the main unit's neighbours.
 */
export function drawSample(frame: readonly FrameRecord[], plan: DrawPlan): SampleDraw {
  const { seed, method, reserveRate = 0 } = plan
  if (typeof seed !== 'string') throw new SamplingError('INVALID_PARAMETER', 'seed', 'must be a string')
  if (method !== 'srswor' && method !== 'systematic')
    throw new SamplingError('INVALID_PARAMETER', 'method', `must be srswor or systematic, got ${String(method)}`)
  requireInRange('reserveRate', reserveRate, 0, Number.MAX_VALUE, '[]')
  const groups = groupByStratum(frame)
  const sizes = sampleSizes(groups, plan.allocation)
  const strata: StratumDraw[] = []
  const units: SelectedUnit[] = []
  for (const [stratum, indices] of groups) {
    const populationSize = indices.length
    const sampleSize = sizes.get(stratum)!
    const reserveSize = Math.min(roundUp(reserveRate * sampleSize), populationSize - sampleSize)
    const inclusionProbability = sampleSize / populationSize
    const baseWeight = populationSize / sampleSize
    strata.push({
      stratum,
      populationSize,
      sampleSize,
      reserveSize,
      inclusionProbability,
      baseWeight: sampleSize > 0 ? baseWeight : null
    })
    if (sampleSize === 0) continue
    const stream = streamFor(seed, stratum)
    const order =
      method === 'srswor'
        ? shuffledPrefix(
            sortedBy(frame, indices, (r) => r.id),
            sampleSize + reserveSize,
            stream
          )
        : systematicOrder(
            sortedBy(frame, indices, (r) => r.sortKey ?? r.id),
            sampleSize,
            reserveSize,
            stream
          )
    for (let i = 0; i < sampleSize + reserveSize; i++) {
      const frameIndex = order[i]
      units.push({
        stratum,
        role: i < sampleSize ? 'main' : 'reserve',
        position: i + 1,
        reserveRank: i < sampleSize ? null : i - sampleSize + 1,
        frameIndex,
        id: frame[frameIndex].id,
        inclusionProbability,
        baseWeight
      })
    }
  }
  return { seed, method, generator: 'xoshiro128**/murmur3-x86-32/v1', strata, units }
}

/**
 * π_i = n_h/N_h for every record of the frame, in frame order: the first-order inclusion probability of
 * both designs (a systematic grid with spacing k ≥ 1 and a uniform start hits each unit with chance 1/k).
 */
export function inclusionProbabilities(
  frame: readonly FrameRecord[],
  allocation: DrawPlan['allocation']
): Float64Array {
  const groups = groupByStratum(frame)
  const sizes = sampleSizes(groups, allocation)
  const probabilities = new Float64Array(frame.length)
  for (const [stratum, indices] of groups) {
    for (const i of indices) probabilities[i] = sizes.get(stratum)! / indices.length
  }
  return probabilities
}

/** n_h per frame stratum; every frame stratum must be allocated, and n_h ≤ N_h. */
function sampleSizes(groups: Map<string, number[]>, allocation: DrawPlan['allocation']): Map<string, number> {
  const sizes = new Map<string, number>()
  allocation.forEach(({ stratum, sampleSize }, h) => {
    if (sizes.has(stratum))
      throw new SamplingError('DUPLICATE_STRATUM', `allocation[${h}].stratum`, `"${stratum}" appears more than once`)
    requireInteger(`allocation[${h}].sampleSize`, sampleSize, 0)
    const populationSize = groups.get(stratum)?.length ?? 0
    if (sampleSize > populationSize) {
      throw new SamplingError(
        'SAMPLE_EXCEEDS_STRATUM',
        `allocation[${h}].sampleSize`,
        `${sampleSize} exceeds the ${populationSize} records of stratum "${stratum}" in the frame`
      )
    }
    sizes.set(stratum, sampleSize)
  })
  for (const stratum of groups.keys()) {
    if (!sizes.has(stratum))
      throw new SamplingError(
        'UNALLOCATED_STRATUM',
        'allocation',
        `stratum "${stratum}" is in the frame but not in the allocation (give it sampleSize 0 to leave it out)`
      )
  }
  return sizes
}

/** The indices ordered by key, ties by id; ids are unique, so the order is total. */
function sortedBy(frame: readonly FrameRecord[], indices: number[], key: (record: FrameRecord) => string): number[] {
  return indices
    .slice()
    .sort((a, b) => compareCodePoints(key(frame[a]), key(frame[b])) || compareCodePoints(frame[a].id, frame[b].id))
}

/** Partial Fisher–Yates: the first `count` entries of `list` become a uniform random ordered selection. */
function shuffledPrefix(list: number[], count: number, stream: RandomStream): number[] {
  for (let i = 0; i < count; i++) {
    const j = i + stream.nextBelow(list.length - i)
    const chosen = list[j]
    list[j] = list[i]
    list[i] = chosen
  }
  return list
}

/** The n systematic picks in list order, then the reserves shuffled from the rest. */
function systematicOrder(list: number[], sampleSize: number, reserveSize: number, stream: RandomStream): number[] {
  // u = U/2^53 exactly, so ⌊u·k + i·k⌋ = ⌊(U + i·2^53)·N / (n·2^53)⌋ can be computed without rounding:
  // floats could round a pick onto the next integer and, with k close to 1, onto its neighbour's pick.
  const start = BigInt(stream.nextDouble() * GRID)
  const step = BigInt(GRID)
  const populationSize = BigInt(list.length)
  const denominator = BigInt(sampleSize) * step
  const picked = new Uint8Array(list.length)
  const main: number[] = []
  for (let i = 0; i < sampleSize; i++) {
    const at = Number(((start + BigInt(i) * step) * populationSize) / denominator)
    picked[at] = 1
    main.push(list[at])
  }
  const rest = list.filter((_, at) => picked[at] === 0)
  return [...main, ...shuffledPrefix(rest, reserveSize, stream)]
}
