/** Numeric keys (row · width + column, unit · groups + group) sorted once and then found by binary search. */

/** The distinct keys, ascending. */
export function distinctSorted(keys: Float64Array): Float64Array {
  const sorted = keys.slice().sort()
  let distinct = 0
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]
  return sorted.subarray(0, distinct)
}

/** The first place in `sorted` whose key is not below `key`: a distinct key's own place. */
export function lowerBound(sorted: Float64Array, key: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < key) lo = mid + 1
    else hi = mid
  }
  return lo
}
