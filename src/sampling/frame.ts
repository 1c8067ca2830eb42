import { SamplingError } from './errors.js'

/** One person or organisation that received a result in the reference period. */
export interface FrameRecord {
  /** The external record id; unique in the frame, and the order SRSWOR works in. */
  readonly id: string
  readonly stratum: string
  /** The order for systematic sampling (e.g. result date); records without one use their id. */
  readonly sortKey?: string
}

// UTF-16 code units below U+D800 keep their value; surrogates move above U+E000–U+FFFF, so that comparing
// the first differing code units orders the strings by Unicode code point (= by their UTF-8 bytes).
const codePointRank = (unit: number): number => (unit < 0xd800 ? unit : unit >= 0xe000 ? unit - 0x800 : unit + 0x2000)

/**
 * Code-point order, the same as Python's sorted() and R's sort(method = "radix"), and independent of
 * locale (String.prototype.localeCompare is not).
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return codePointRank(x) - codePointRank(y)
  }
  return a.length - b.length
}

/** Frame indices per stratum, strata in code-point order, indices in frame order; checks ids are unique. */
export function groupByStratum(frame: readonly FrameRecord[]): Map<string, number[]> {
  const seen = new Set<string>()
  const groups = new Map<string, number[]>()
  for (let i = 0; i < frame.length; i++) {
    const { id, stratum } = frame[i]
    if (typeof id !== 'string' || id === '')
      throw new SamplingError('INVALID_PARAMETER', `frame[${i}].id`, 'must be a non-empty string')
    if (typeof stratum !== 'string')
      throw new SamplingError('INVALID_PARAMETER', `frame[${i}].stratum`, 'must be a string')
    if (seen.has(id))
      throw new SamplingError('DUPLICATE_ID', `frame[${i}].id`, `"${id}" appears more than once in the frame`)
    seen.add(id)
    let group = groups.get(stratum)
    if (group === undefined) groups.set(stratum, (group = []))
    group.push(i)
  }
  return new Map([...groups].sort(([a], [b]) => compareCodePoints(a, b)))
}

/** N_h for each stratum of the frame, in code-point order of the stratum keys: the input of allocate(). */
export function stratumSizes(frame: readonly FrameRecord[]): Array<{ stratum: string; populationSize: number }> {
  return [...groupByStratum(frame)].map(([stratum, indices]) => ({ stratum, populationSize: indices.length }))
}
