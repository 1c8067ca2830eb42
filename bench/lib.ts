/**
 * Shared pieces of the scoring benchmarks: a seeded synthetic survey generator, a description of the
 * machine, result files, and medians.
 *
 * Everything here is deterministic for a given seed, so a benchmark (or a second pass over a stream of
 * chunks) can regenerate exactly the same rows instead of keeping them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile'
import { MISSING, type ResponseBatch } from '../src/scoring/batch.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'

// ---------------------------------------------------------------------------------------------------------
// PRNG

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state advanced by a Weyl constant, then mixed.
 * Period 2^32, passes gjrand/PractRand up to a few GB: ample for synthetic survey answers, and fast in V8
 * (two Math.imul per draw, no allocation). Returns an unsigned 32-bit integer per call.
 */
export function mulberry32(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** Draws uniform on [0, 1) from mulberry32(seed) (whose own draws are integers up to 2^32). */
export function uniformDraws(seed: number): () => number {
  const next = mulberry32(seed)
  return () => next() / 4294967296
}

/** A derived seed for the k-th stream of a base seed (chunks, provinces), so streams do not overlap. */
export const subSeed = (seed: number, k: number): number =>
  (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(k + 1, 0xc2b2ae35)) | 0

// ---------------------------------------------------------------------------------------------------------
// Synthetic responses

/** The 25 columns: the 22 criteria of the standard instrument (F1.1..F5.4), the overall item and two perceptions. */
export const CRITERIA: readonly string[] = STANDARD_INSTRUMENT.items
  .filter((i) => i.kind === 'criterion')
  .map((i) => i.code)
export const COLUMNS: readonly string[] = [...CRITERIA, 'SAT', 'P.ONTIME', 'P.NOBRIBE']
/** Columns on the 1–5 scale (satisfied = 4, 5; 0 = no answer); the rest are perception items coded 1 = yes, 2 = no. */
export const SCALE_COLUMNS = CRITERIA.length + 1

/**
 * Satisfaction classes: class k has P(satisfied | valid answer) = 0.30 + 0.69·k/(CLASSES − 1). A row's class
 * is its unit's class plus a respondent effect, so answers of one respondent are correlated and units differ.
 */
const CLASSES = 64
const TABLE = 1024 // 10 random bits pick an answer from a class's table
const pSatOfClass = (k: number) => 0.3 + (0.69 * k) / (CLASSES - 1)
const classOfPSat = (p: number) => Math.round(((p - 0.3) / 0.69) * (CLASSES - 1))

/**
 * Per class, 1024 answer codes in the right proportions, so that one 32-bit draw gives three answers:
 * 3% MISSING, 3% no answer (0), the remaining 94% satisfied (4 or 5, 60:40) with the class's probability,
 * otherwise 1, 2 or 3 (15:25:60). Perception items: 3% MISSING, else 1 ("yes") with 0.55 + 0.4·p, else 2.
 */
function answerTables(): { scale: Uint8Array; perception: Uint8Array; both: Uint8Array } {
  const scale = new Uint8Array(CLASSES * TABLE)
  const perception = new Uint8Array(CLASSES * TABLE)
  const missing = Math.round(0.03 * TABLE)
  const noAnswer = Math.round(0.03 * TABLE)
  for (let k = 0; k < CLASSES; k++) {
    const p = pSatOfClass(k)
    const valid = TABLE - missing - noAnswer
    const sat = Math.round(p * valid)
    const five = Math.round(0.4 * sat)
    const low = valid - sat
    const one = Math.round(0.15 * low)
    const two = Math.round(0.25 * low)
    const codes = [
      [MISSING, missing],
      [0, noAnswer],
      [5, five],
      [4, sat - five],
      [1, one],
      [2, two],
      [3, low - one - two]
    ]
    let at = k * TABLE
    for (const [code, n] of codes) {
      scale.fill(code, at, at + n)
      at += n
    }
    const yes = Math.round((0.55 + 0.4 * p) * (TABLE - missing))
    perception.fill(MISSING, k * TABLE, k * TABLE + missing)
    perception.fill(1, k * TABLE + missing, k * TABLE + missing + yes)
    perception.fill(2, k * TABLE + missing + yes, (k + 1) * TABLE)
  }
  const both = new Uint8Array(2 * CLASSES * TABLE)
  both.set(scale, 0)
  both.set(perception, CLASSES * TABLE)
  return { scale, perception, both }
}
const TABLES = answerTables()

/** 256 respondent effects in classes, ≈ N(0, 7²) (about ±0.08 in P(satisfied)), read with 8 random bits. */
const RESPONDENT_SHIFT = Int8Array.from({ length: 256 }, (_, i) => Math.round(normalQuantile((i + 0.5) / 256, 0, 7)))

/** A table of 65,536 entries in which index i appears in proportion to weights[i], read with 16 random bits. */
function aliasTable(weights: ArrayLike<number>): Uint32Array {
  const table = new Uint32Array(65536)
  let total = 0
  for (let i = 0; i < weights.length; i++) total += weights[i]
  let at = 0
  let cumulative = 0
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i]
    const end = i === weights.length - 1 ? 65536 : Math.round((cumulative / total) * 65536)
    table.fill(i, at, end)
    at = end
  }
  return table
}

export interface SyntheticOptions {
  rows: number
  units: number
  strata: number
  seed: number
  /** Unit names are `${unitPrefix}${i}` (e.g. "P07-U0123"); strata `${strataPrefix}${h}`. */
  unitPrefix?: string
  strataPrefix?: string
  /**
   * Added to every row's stratum index, for a batch that is one part (a province) of a larger design whose
   * strata are numbered globally; the batch's `stratum` then indexes the larger design's strata.
   */
  stratumOffset?: number
}

export interface Synthetic {
  batch: ResponseBatch
  /** Names of this batch's own strata (local numbering: index h is global index stratumOffset + h). */
  strata: string[]
  /** n_h: rows (= PSUs, every row its own PSU) of each local stratum. */
  sampled: number[]
  /** N_h: population size of each local stratum, the fpc; weights are N_h/n_h. */
  population: number[]
  /** Each unit's P(satisfied | valid answer) before respondent effects. */
  unitLevel: Float64Array
}

/**
 * A seeded synthetic batch of responses: `rows` rows × 25 columns (`COLUMNS`), `units` units of unequal
 * size (relative size uniform in 0.5–1.5), `strata` strata of unequal size that every unit cuts across
 * (a row's stratum is drawn independently of its unit), each stratum with a sampling fraction uniform in
 * 1–20% so that N_h = round(n_h / f_h) and the weight N_h/n_h is constant within a stratum.
 *
 * Answers: each unit has a satisfaction level ~ N(0.80, 0.07²) clamped to [0.35, 0.98], shifted per
 * respondent by ≈ N(0, 0.08²); overall about 75% of the answers are 4–5, 3% are 0 and 3% are missing.
 *
 * Cost: 11 PRNG draws per row (unit and stratum from one, the respondent effect from one, three answers
 * from each of the other nine).
 */
export function synthesize(options: SyntheticOptions): Synthetic {
  const { rows: N, units: U, strata: H, seed } = options
  const unitPrefix = options.unitPrefix ?? 'U'
  const strataPrefix = options.strataPrefix ?? 'S'
  const offset = options.stratumOffset ?? 0
  const K = COLUMNS.length
  const uniform = uniformDraws(subSeed(seed, -1)) // for the unit and stratum parameters
  const approxNormal = () => (uniform() + uniform() + uniform() + uniform() - 2) * Math.sqrt(3)

  const unitLevel = new Float64Array(U)
  const unitClass = new Int32Array(U)
  const unitSize = new Float64Array(U)
  for (let u = 0; u < U; u++) {
    unitLevel[u] = Math.min(0.98, Math.max(0.35, 0.8 + 0.07 * approxNormal()))
    unitClass[u] = classOfPSat(unitLevel[u])
    unitSize[u] = 0.5 + uniform()
  }
  const stratumSize = Float64Array.from({ length: H }, () => 0.5 + uniform())
  const fraction = Float64Array.from({ length: H }, () => 0.01 + 0.19 * uniform())
  const unitOf = aliasTable(unitSize)
  const stratumOf = aliasTable(stratumSize)

  const answers = new Uint8Array(N * K)
  const unit = new Uint32Array(N)
  const stratum = new Uint32Array(N)
  const weight = new Float64Array(N)
  const sampled = new Array<number>(H).fill(0)
  const { both } = TABLES
  const columnTable = Int32Array.from(COLUMNS, (_, c) => (c < SCALE_COLUMNS ? 0 : CLASSES * TABLE))
  // The generator's state is kept in a local (mulberry32 inlined) for speed: ≈ 3–4 ns per row-column.
  let a = seed | 0
  for (let r = 0; r < N; r++) {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    const r1 = (t ^ (t >>> 14)) >>> 0
    const u = unitOf[r1 & 0xffff]
    const h = stratumOf[r1 >>> 16]
    unit[r] = u
    stratum[r] = h + offset
    sampled[h]++
    a = (a + 0x6d2b79f5) | 0
    t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    let k = unitClass[u] + RESPONDENT_SHIFT[(t ^ (t >>> 14)) & 0xff]
    k = k < 0 ? 0 : k >= CLASSES ? CLASSES - 1 : k
    const base = k * TABLE
    const row = r * K
    for (let c = 0; c < K; c += 3) {
      a = (a + 0x6d2b79f5) | 0
      t = Math.imul(a ^ (a >>> 15), 1 | a)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      const bits = t ^ (t >>> 14)
      answers[row + c] = both[columnTable[c] + base + (bits & 1023)]
      if (c + 1 < K) answers[row + c + 1] = both[columnTable[c + 1] + base + ((bits >>> 10) & 1023)]
      if (c + 2 < K) answers[row + c + 2] = both[columnTable[c + 2] + base + ((bits >>> 20) & 1023)]
    }
  }
  const population = sampled.map((n, h) => Math.max(n, Math.round(n / fraction[h])))
  const w = population.map((Nh, h) => (sampled[h] > 0 ? Nh / sampled[h] : 0))
  for (let r = 0; r < N; r++) weight[r] = w[stratum[r] - offset]

  const units = Array.from({ length: U }, (_, u) => `${unitPrefix}${String(u).padStart(4, '0')}`)
  const strata = Array.from({ length: H }, (_, h) => `${strataPrefix}${String(h).padStart(2, '0')}`)
  const batch: ResponseBatch = { columns: COLUMNS, size: N, answers, unit, units, stratum, psu: null, weight }
  return { batch, strata, sampled, population, unitLevel }
}

/** Shares of answer codes in a batch's 1–5 scale columns, to check that the data look as intended. */
export function answerProfile(batch: ResponseBatch): { satisfied: number; noAnswer: number; missing: number } {
  const K = batch.columns.length
  let sat = 0
  let zero = 0
  let miss = 0
  let all = 0
  for (let r = 0; r < batch.size; r++) {
    for (let c = 0; c < SCALE_COLUMNS; c++) {
      const a = batch.answers[r * K + c]
      if (a === 4 || a === 5) sat++
      else if (a === 0) zero++
      else if (a === MISSING) miss++
      all++
    }
  }
  return { satisfied: sat / all, noAnswer: zero / all, missing: miss / all }
}

// ---------------------------------------------------------------------------------------------------------
// Measuring and reporting

export interface Machine {
  os: string
  arch: string
  cpus: number
  cpuModel: string
  node: string
  v8: string
  totalMemoryGiB: number
  loadAverage: number[]
}

export function machine(): Machine {
  const cpus = os.cpus()
  return {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    v8: process.versions.v8,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100)
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed (ms, from performance.now()). */
export async function timeRuns<T>(
  fn: () => T | Promise<T>,
  runs: number,
  warmup = 1
): Promise<{ times: number[]; median: number; min: number; last: T }> {
  let last: T = await fn()
  for (let i = 1; i < warmup; i++) last = await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    last = await fn()
    times.push(performance.now() - t0)
  }
  return { times, median: median(times), min: Math.min(...times), last }
}

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits
export const mib = (bytes: number): number => round(bytes / 2 ** 20, 0)

/**
 * The repository's bench/results/, found from this file whether it runs as TypeScript (bench/lib.ts) or
 * compiled (.bench-build/bench/lib.js, see tsconfig.bench.json): the nearest folder up with a package.json.
 */
export const RESULTS_DIR = (() => {
  let dir = new URL('.', import.meta.url)
  while (!existsSync(new URL('package.json', dir))) {
    const up = new URL('..', dir)
    if (up.href === dir.href) throw new Error('no package.json above bench/lib')
    dir = up
  }
  return new URL('bench/results/', dir)
})()

/** Writes bench/results/<name>.json: {name, date, machine, figures, reference, notes}; returns its path. */
export function writeResult(name: string, figures: unknown, reference: unknown, notes: string[] = []): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const url = new URL(`${name}.json`, RESULTS_DIR)
  const body = { name, date: new Date().toISOString(), machine: machine(), figures, reference, notes }
  writeFileSync(url, JSON.stringify(body, null, 2) + '\n')
  return url.pathname
}

/** A plain-text table: first row is the header; numbers right-aligned. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = rows.map((r) =>
    r.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US', { maximumFractionDigits: 2 }) : c))
  )
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: string[], i: number) =>
    r.map((c, j) => (typeof rows[i][j] === 'number' ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ')
  return [
    line(cells[0], 0),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map((r, i) => line(r, i + 1))
  ].join('\n')
}
