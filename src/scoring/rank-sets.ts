import { normalDraws } from './normal-draws.js'

/**
 * Confidence sets for ranks (Mogstad, Romano, Shaikh & Wilhelm 2024, "Inference for Ranks with Applications to
 * Mobility across Neighbourhoods and Academic Achievement across Countries", Review of Economic Studies 91(1);
 * R package csranks, `csranks(x, Sigma, simul = …)` with its defaults: two-sided, stepdown, parametric
 * bootstrap).
 *
 * The rank of unit j is 1 + #{k: θ_k > θ_j} (1 = highest). Its set is [1 + #{k: θ_k − θ_j > 0 shown},
 * n − #{k: θ_j − θ_k > 0 shown}], where "shown" means the lower bound of a simultaneous one-sided interval
 * for the difference, over a family of ordered pairs, is above 0. The family is every pair involving j for a
 * marginal set (it covers j's rank with probability ≥ level), every pair of units for simultaneous sets (they
 * cover all ranks at once, which is what "among the top k" needs). The critical value is the level-quantile
 * of max over the family of (Z_a − Z_b)/σ_ab, Z ~ N(0, Σ); rejected pairs leave the family and the quantile is
 * taken again until nothing new is rejected (Romano & Wolf's stepdown, as csranks does by default).
 */
export type RankSetMethod = 'marginal' | 'simultaneous'

export interface RankSetOptions {
  /** 'marginal' (default): each unit's set covers its own rank; 'simultaneous': all sets cover all ranks jointly. */
  method?: RankSetMethod
  /** Parametric bootstrap draws for the critical value; csranks' default is 1000. */
  draws?: number
  /** Seed of the draws (src/scoring/normal-draws.ts): the same figures give the same sets everywhere. */
  seed?: number
}

export const RANK_SET_DRAWS = 1000

/** From this many units, marginal sets of independent estimates bound their buckets (below, every pair is as quick). */
const BOUNDED_UNITS = 32
/**
 * Marginal families stepped down together (stepdowns): each draw's row of z is read from memory once for all
 * of them rather than once per unit (with 1,000 units z is 8 MB, and reading it again for each unit's family
 * was most of a rank set's time).
 */
const UNITS_PER_PASS = 64
export const RANK_SET_SEED = 20240101

export interface RankSets {
  /** Per unit (in input order), the indices of units shown above it and below it. */
  above: number[][]
  below: number[][]
  lower: number[]
  upper: number[]
}

/**
 * Rank sets of units with estimates `estimate` and covariance `covariance(a, b)` (indices; the variance on
 * the diagonal). A unit whose variance is not a finite number (no design-based SE) is never shown above or
 * below anyone, so its set is [1, n] and it narrows no other set.
 */
export function rankSets(
  estimate: readonly number[],
  covariance: (a: number, b: number) => number,
  level: number,
  options: RankSetOptions = {}
): RankSets {
  if (options.method !== 'simultaneous') {
    const { above, below } = marginalShown(estimate, covariance, level, options, 0, estimate.length)
    return rankSetsOf(above, below)
  }
  const { n, known, z, sd, draws } = drawn(estimate, covariance, options)
  const pairs: [number, number][] = []
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (known[a] && known[b]) pairs.push([a, b])
  const above: number[][] = estimate.map(() => [])
  const below: number[][] = estimate.map(() => [])
  for (const [a, b] of stepdowns([stepdown(pairs, estimate, sd, z, n, draws, level)], draws)[0]) {
    // θ_a > θ_b is shown: a is above b.
    above[b].push(a)
    below[a].push(b)
  }
  return rankSetsOf(above, below)
}

/** What units' marginal families show: for each unit of a range, in order, the units shown above it and below it. */
export interface Shown {
  above: number[][]
  below: number[][]
}

/**
 * Who is shown above and below units `from` to `to` − 1 by their marginal families (rankSets' marginal sets
 * are these over every unit). Each family is the same whichever units are stepped down with it, so another
 * thread given the same figures computes its share of the units exactly as this one would.
 */
export function marginalShown(
  estimate: readonly number[],
  covariance: (a: number, b: number) => number,
  level: number,
  options: RankSetOptions,
  from: number,
  to: number
): Shown {
  const { n, known, z, independent, sd, draws } = drawn(estimate, covariance, options)
  const above: number[][] = []
  const below: number[][] = []
  const buckets =
    independent && n >= BOUNDED_UNITS ? varianceBuckets(known, (k) => covariance(k, k), z, n, draws) : null
  // Unit j's family: {j, k} for every other k, each pair tested both ways.
  const familyOf = (j: number) => {
    const pairs: [number, number][] = []
    for (let k = 0; k < n; k++) if (k !== j && known[j] && known[k]) pairs.push([j, k])
    return pairs
  }
  for (let first = from; first < to; first += UNITS_PER_PASS) {
    const units = Array.from({ length: Math.min(UNITS_PER_PASS, to - first) }, (_, i) => first + i)
    const steps = units.map((j) => stepdown(familyOf(j), estimate, sd, z, n, draws, level, buckets))
    stepdowns(steps, draws).forEach((shown, i) => {
      // A marginal family only speaks for its own unit j: (j, k) shown means j is above k, (k, j) below.
      above.push(shown.flatMap(([a, b]) => (b === units[i] ? [a] : [])))
      below.push(shown.flatMap(([a, b]) => (a === units[i] ? [b] : [])))
    })
  }
  return { above, below }
}

/** The rank sets of every unit from those shown above and below it (all units, in order). */
export function rankSetsOf(above: number[][], below: number[][]): RankSets {
  const n = above.length
  for (const list of [...above, ...below]) list.sort((a, b) => a - b)
  return {
    above,
    below,
    lower: above.map((a) => 1 + a.length),
    upper: below.map((b) => n - b.length)
  }
}

/** The draws of N(0, Σ) behind the sets, and the standard deviation of a difference. */
function drawn(
  estimate: readonly number[],
  covariance: (a: number, b: number) => number,
  { draws = RANK_SET_DRAWS, seed = RANK_SET_SEED }: RankSetOptions
) {
  const n = estimate.length
  const known = estimate.map((_, i) => Number.isFinite(covariance(i, i)))
  const { z, independent } = simulate(n, (a, b) => (known[a] && known[b] ? covariance(a, b) : 0), draws, seed)
  const sd = (a: number, b: number) =>
    Math.sqrt(Math.max(covariance(a, a) + covariance(b, b) - 2 * covariance(a, b), 0))
  return { n, known, z, independent, sd, draws }
}

/**
 * The first `count` draws of the seed's stream. Kept between calls: a publication ranks every index of every
 * group with the same seed, and generating the normals cost more than the rest of a marginal set.
 */
const streams = new Map<number, Float64Array>()
function standardNormals(seed: number, count: number): Float64Array {
  const kept = streams.get(seed)
  if (kept !== undefined && kept.length >= count) return kept
  const normal = normalDraws(seed)
  const fresh = new Float64Array(Math.max(count, 2 * (kept?.length ?? 0)))
  for (let i = 0; i < fresh.length; i++) fresh[i] = normal()
  // Bounded, for a long-running server that is asked for many seeds.
  if (streams.size >= 8) streams.clear()
  streams.set(seed, fresh)
  return fresh
}

/**
 * `draws` rows of N(0, Σ) for n units, row-major, from the seeded stream (Σ = LLᵀ by Cholesky); `independent`
 * when Σ is diagonal.
 */
function simulate(
  n: number,
  covariance: (a: number, b: number) => number,
  draws: number,
  seed: number
): { z: Float64Array; independent: boolean } {
  const e = standardNormals(seed, draws * n)
  const z = new Float64Array(draws * n)
  let independent = true
  for (let i = 0; i < n && independent; i++)
    for (let k = 0; k < i && independent; k++) independent = covariance(i, k) === 0
  if (independent) {
    // The usual case: n products per draw rather than n²/2, and no factorisation.
    const sd = Float64Array.from({ length: n }, (_, i) => Math.sqrt(Math.max(covariance(i, i), 0)))
    for (let r = 0; r < draws; r++) for (let i = 0; i < n; i++) z[r * n + i] = sd[i] * e[r * n + i]
    return { z, independent }
  }
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      let s = covariance(i, k)
      for (let m = 0; m < k; m++) s -= l[i * n + m] * l[k * n + m]
      // A semi-definite Σ (a unit that is the sum of others, rounding) gives a zero pivot: its column stays 0.
      if (i === k) l[i * n + i] = Math.sqrt(Math.max(s, 0))
      else l[i * n + k] = l[k * n + k] > 0 ? s / l[k * n + k] : 0
    }
  }
  for (let r = 0; r < draws; r++) {
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let k = 0; k <= i; k++) s += l[i * n + k] * e[r * n + k]
      z[r * n + i] = s
    }
  }
  return { z, independent }
}

/**
 * The units with a variance, in buckets of neighbouring variances, and each draw's least and greatest z in
 * every bucket: for units of independent estimates, |z_j − z_k| / √(v_j + v_k) over a bucket is at most
 * max(z_j − least, greatest − z_j) / √(v_j + the bucket's least v), so a marginal family's largest statistic
 * needs the exact pairs of the buckets whose bound beats the best found only (branch and bound: the same
 * maximum as over every pair, a few buckets' work instead of n).
 */
interface VarianceBuckets {
  /** Each unit's variance (NaN without one). */
  readonly variance: Float64Array
  readonly count: number
  /** Bucket b's units: members[start[b]] to members[start[b + 1]]. */
  readonly start: Int32Array
  readonly members: Int32Array
  readonly leastVariance: Float64Array
  /** Per draw r and bucket b, at [r × count + b]. */
  readonly least: Float64Array
  readonly greatest: Float64Array
}

function varianceBuckets(
  known: readonly boolean[],
  variance: (k: number) => number,
  z: Float64Array,
  n: number,
  draws: number
): VarianceBuckets {
  const members = Int32Array.from(
    known.flatMap((isKnown, k) => (isKnown ? [k] : [])),
    (k) => k
  ).sort((a, b) => variance(a) - variance(b) || a - b)
  const size = Math.max(1, Math.round(Math.sqrt(members.length)))
  const count = Math.ceil(members.length / size)
  const start = Int32Array.from({ length: count + 1 }, (_, b) => Math.min(b * size, members.length))
  const leastVariance = Float64Array.from({ length: count }, (_, b) => variance(members[start[b]]))
  const least = new Float64Array(draws * count).fill(Infinity)
  const greatest = new Float64Array(draws * count).fill(-Infinity)
  for (let r = 0; r < draws; r++)
    for (let b = 0; b < count; b++)
      for (let m = start[b]; m < start[b + 1]; m++) {
        const x = z[r * n + members[m]]
        if (x < least[r * count + b]) least[r * count + b] = x
        if (x > greatest[r * count + b]) greatest[r * count + b] = x
      }
  const variances = Float64Array.from({ length: n }, (_, k) => (known[k] ? variance(k) : Number.NaN))
  return { variance: variances, count, start, members, leastVariance, least, greatest }
}

/**
 * The stepdown over a family of pairs, each tested both ways: returns the ordered pairs (a, b) for which
 * θ_a > θ_b is shown, i.e. the one-sided simultaneous lower bound θ̂_a − θ̂_b − σ_ab·c is above 0, c being the
 * level-quantile over the draws of the largest standardised difference still in the family. A pair with
 * σ_ab = 0 has no sampling error: the larger estimate is above, and the pair plays no part in c. With
 * `buckets` (a marginal family of independent estimates, every pair (j, k) of one unit j), a draw's largest
 * statistic is found by branch and bound over the buckets (varianceBuckets).
 */
function stepdown(
  family: readonly [number, number][],
  estimate: readonly number[],
  sd: (a: number, b: number) => number,
  z: Float64Array,
  n: number,
  draws: number,
  level: number,
  buckets: VarianceBuckets | null = null
): Stepdown {
  const shown: [number, number][] = []
  const kept = family.filter(([a, b]) => {
    if (sd(a, b) > 0) return true
    if (estimate[a] !== estimate[b]) shown.push(estimate[a] > estimate[b] ? [a, b] : [b, a])
    return false
  })
  const m = kept.length
  const pa = Int32Array.from(kept, ([a]) => a)
  const pb = Int32Array.from(kept, ([, b]) => b)
  const sigma = Float64Array.from(kept, ([a, b]) => sd(a, b))
  const inv = sigma.map((s) => 1 / s)
  const diff = Float64Array.from(kept, ([a, b]) => estimate[a] - estimate[b])
  // Directions still under test: bit 1 for θ_a > θ_b, bit 2 for θ_b > θ_a.
  const open = new Uint8Array(m).fill(3)
  // Each draw's largest statistic and the pair it came from (found by `maximise` for every draw before the
  // first `step`). Rejections only ever close directions, so a draw needs a new maximum only when its own pair
  // changed: most steps after the first cost little.
  const best = new Float64Array(draws)
  const argBest = new Int32Array(draws)
  const exhaustive = (r: number) => {
    const base = r * n
    let max = -Infinity
    let arg = -1
    for (let p = 0; p < m; p++) {
      const d = (z[base + pa[p]] - z[base + pb[p]]) * inv[p]
      const v = directed(d, open[p])
      if (v > max) {
        max = v
        arg = p
      }
    }
    best[r] = max
    argBest[r] = arg
  }
  const maximise =
    buckets === null || m === 0 ? exhaustive : bounded(buckets, z, pa[0], { pb, inv, open, m }, n, best, argBest)
  const changed = new Uint8Array(m)
  const scratch = new Float64Array(draws)
  return {
    maximise,
    step: () => {
      changed.fill(0)
      scratch.set(best)
      const c = quantile(scratch, level)
      let rejections = 0
      for (let p = 0; p < m; p++) {
        if (open[p] & 1 && diff[p] - sigma[p] * c > 0) {
          shown.push([pa[p], pb[p]])
          open[p] &= 2
          changed[p] = 1
          rejections++
        }
        if (open[p] & 2 && -diff[p] - sigma[p] * c > 0) {
          shown.push([pb[p], pa[p]])
          open[p] &= 1
          changed[p] = 1
          rejections++
        }
      }
      return rejections > 0 && !open.every((o) => o === 0)
    },
    stale: (r) => changed[argBest[r]] === 1,
    shown
  }
}

/**
 * A family's stepdown: `maximise` finds a draw's largest statistic (for every draw first), then each `step`
 * takes the quantile and closes the directions it shows, telling whether another step follows; the draws
 * whose largest statistic came from a pair it closed (`stale`) need theirs found again before it.
 */
interface Stepdown {
  maximise(r: number): void
  step(): boolean
  stale(r: number): boolean
  readonly shown: [number, number][]
}

/**
 * The families' stepdowns, step by step together: each draw's maxima are found draw by draw for all of them
 * (a draw's row of z is read once for all), each family's steps the same as alone.
 */
function stepdowns(families: readonly Stepdown[], draws: number): Array<[number, number][]> {
  let live = families
  for (let r = 0; r < draws; r++) for (const family of live) family.maximise(r)
  while ((live = live.filter((family) => family.step())).length > 0)
    for (let r = 0; r < draws; r++) for (const family of live) if (family.stale(r)) family.maximise(r)
  return families.map((family) => family.shown)
}

/**
 * A draw's largest statistic over the pairs (j, k) of unit j's family by branch and bound: each bucket's bound
 * (varianceBuckets), the bucket of the highest bound first, then every bucket whose bound beats the best so far.
 * The bound is widened by a relative 1e-12 so that rounding never skips a bucket holding the maximum. The
 * statistic is stepdown's, written out: this loop is most of a rank set's time.
 */
function bounded(
  buckets: VarianceBuckets,
  z: Float64Array,
  j: number,
  family: { pb: Int32Array; inv: Float64Array; open: Uint8Array; m: number },
  n: number,
  best: Float64Array,
  argBest: Int32Array
): (r: number) => void {
  const { count, start, members, leastVariance, least, greatest } = buckets
  const { pb, inv, open, m } = family
  const pairOf = new Int32Array(n).fill(-1)
  for (let p = 0; p < m; p++) pairOf[pb[p]] = p
  const bound = new Float64Array(count)
  // 1 / √(v_j + least v), widened; two units without sampling error make no pair, so such a bucket bounds nothing.
  const scale = Float64Array.from(leastVariance, (v) => {
    const sd = Math.sqrt(buckets.variance[j] + v)
    return sd > 0 ? (1 + 1e-12) / sd : Infinity
  })
  return (r) => {
    const base = r * n
    const zj = z[base + j]
    let first = 0
    for (let b = 0, at = r * count; b < count; b++, at++) {
      const spread = zj - least[at] > greatest[at] - zj ? zj - least[at] : greatest[at] - zj
      bound[b] = scale[b] === Infinity ? Infinity : spread * scale[b]
      if (bound[b] > bound[first]) first = b
    }
    let max = -Infinity
    let arg = -1
    for (let t = -1; t < count; t++) {
      // The first bucket, then the others the bound leaves in play.
      const b = t === -1 ? first : t
      if (t !== -1 && (b === first || !(bound[b] > max))) continue
      for (let i = start[b]; i < start[b + 1]; i++) {
        const k = members[i]
        const p = pairOf[k]
        if (p === -1) continue
        const d = (zj - z[base + k]) * inv[p]
        const v = directed(d, open[p])
        if (v > max) {
          max = v
          arg = p
        }
      }
    }
    best[r] = max
    argBest[r] = arg
  }
}

/** A pair's statistic d with its closed directions left out (`open`: bit 1 for θ_a > θ_b, bit 2 for θ_b > θ_a). */
const directed = (d: number, open: number): number =>
  open === 3 ? Math.abs(d) : open === 1 ? d : open === 2 ? -d : -Infinity

/** R's quantile(type = 7), csranks' choice: linear between order statistics. Reorders `x`. */
function quantile(x: Float64Array, p: number): number {
  const h = (x.length - 1) * p
  const lo = Math.floor(h)
  const low = select(x, lo)
  if (lo + 1 >= x.length) return low
  // After selection everything right of lo is ≥ x[lo]; the next order statistic is their minimum.
  let next = Infinity
  for (let i = lo + 1; i < x.length; i++) if (x[i] < next) next = x[i]
  return low + (h - lo) * (next - low)
}

/** The k-th smallest of x (0-based), by quickselect (Hoare partition, middle pivot): O(n), where sorting was most of a rank set's time. */
function select(x: Float64Array, k: number): number {
  let left = 0
  let right = x.length - 1
  while (left < right) {
    const pivot = x[(left + right) >>> 1]
    let i = left
    let j = right
    while (i <= j) {
      while (x[i] < pivot) i++
      while (x[j] > pivot) j--
      if (i <= j) {
        const t = x[i]
        x[i] = x[j]
        x[j] = t
        i++
        j--
      }
    }
    if (k <= j) right = j
    else if (k >= i) left = i
    else break
  }
  return x[k]
}
