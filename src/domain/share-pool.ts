import { Piscina } from 'piscina'
import {
  codeGeneration,
  inSharedMemory,
  LonelyPsuError,
  rankSetsOf,
  scoreBatch,
  scoreInShares,
  type Design,
  type Domain,
  type DomainResult,
  type Instrument,
  type ResponseBatch,
  type RankSets,
  type BreakdownCategory,
  type ScoringOptions,
  type Shown,
  type Tallies
} from '../scoring/index.js'
import {
  provinceCategories,
  rankShare,
  type BreakdownTask,
  type RankShareTask,
  type ShareTask
} from './share-worker.js'
import { IDLE_MS, workerModule } from './worker-module.js'

/**
 * A large batch is scored on several threads at once (scoreInShares in the scoring core): the thread that
 * scores it takes the first share of each step, helper threads the others. The helpers are a pool of the
 * scoring thread's own (a compute thread's, in the service), so they run at its priority; every array they
 * read or write is in shared memory, and only small descriptions of it cross between threads.
 */

/** Fewer rows than this per thread are scored on one: handing shares over would cost more than they save. */
export const ROWS_PER_SHARE = 50_000

/**
 * Fewer units than this per thread are ranked on one. A unit's marginal family costs about 0.8 ms with 100
 * units and 2.7 ms with 1,000 (bench/rank-sets.ts: a province of 1,000 units, 2.7 s on one thread).
 */
export const UNITS_PER_RANK_SHARE = 100

/** How many threads score and rank a campaign's official figures, each a share of at least so many rows, units. */
export interface Sharing {
  threads: number
  /** ROWS_PER_SHARE unless given (tests take small campaigns); so UNITS_PER_RANK_SHARE. */
  rowsPerShare?: number
  unitsPerRankShare?: number
}

let helpers: Piscina | null = null
let helperShares = 0

/** A pool of at least `count` helpers (a larger one serves a smaller share count as well). */
const helpersFor = (count: number): Piscina => {
  if (helpers === null || helpers.options.maxThreads < count) {
    void helpers?.close()
    helpers = new Piscina({
      ...workerModule('share-worker', import.meta.url),
      minThreads: 0,
      maxThreads: count,
      idleTimeout: IDLE_MS
    })
  }
  return helpers
}

/**
 * scoreBatch's figures and tallies, on up to `threads` threads (with `rowsPerShare` rows each at least); on one
 * where code generation is not allowed (the passes that split are the compiled ones).
 */
export async function scoreOnThreads(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  domains: readonly Domain[],
  threads: number,
  rowsPerShare = ROWS_PER_SHARE
): Promise<{ results: DomainResult[]; tallies: Tallies }> {
  const shares = Math.min(threads, Math.floor(batch.size / rowsPerShare))
  if (shares < 2 || !codeGeneration) return scoreBatch(batch, design, instrument, options, domains)
  const pool = helpersFor(shares - 1)
  return scoreInShares(batch, design, instrument, options, domains, shares, async (job, step, share) => {
    const task: ShareTask = { job, step, share, shares }
    const answer = (await pool.run(task)) as { lonelyPsu: string } | null
    helperShares++
    if (answer) throw new LonelyPsuError(answer.lonelyPsu)
  })
}

/**
 * The marginal rank sets of independent estimates (`variance`: NaN without an SE; as rankSetInputs gives
 * them), on up to `threads` threads with `unitsPerShare` units each at least: the units' families split into
 * contiguous shares, this thread taking the first. The sets are the one thread's (each family is stepped down
 * the same wherever it runs).
 */
export async function rankSetsOnThreads(
  estimate: number[],
  variance: number[],
  level: number,
  threads: number,
  unitsPerShare = UNITS_PER_RANK_SHARE
): Promise<RankSets> {
  const n = estimate.length
  const shares = Math.max(1, Math.min(threads, Math.floor(n / unitsPerShare)))
  const bound = (s: number) => Math.floor((s * n) / shares)
  const task = (s: number): RankShareTask => ({ estimate, variance, level, from: bound(s), to: bound(s + 1) })
  const helped = Array.from({ length: shares - 1 }, async (_, i) => {
    const shown = (await helpersFor(shares - 1).run(task(i + 1))) as Shown
    helperShares++
    return shown
  })
  const parts = [rankShare(task(0)), ...(await Promise.all(helped))]
  return rankSetsOf(
    parts.flatMap((p) => p.above),
    parts.flatMap((p) => p.below)
  )
}

/**
 * The breakdowns' categories (provinceCategories of each task), on up to `threads` threads when their rows are
 * `rowsPerShare` or more: each breakdown is made whole on one, thread s taking those whose index is s modulo
 * the threads (this thread the first), all at once. The rows are read where they are (shared memory); each
 * breakdown's row categories are copied to its thread (a byte or four per row).
 */
export async function breakdownsOnThreads(
  tasks: BreakdownTask[],
  threads: number,
  rowsPerShare = ROWS_PER_SHARE
): Promise<BreakdownCategory[][]> {
  const shares = Math.min(threads, tasks.length)
  // A breakdown of few rows takes about as long as handing it over.
  if (shares < 2 || tasks.every((task) => task.batch.size < rowsPerShare)) return tasks.map(provinceCategories)
  // A document's breakdowns share one batch: copied once to shared memory, if it is not there.
  const shared = new Map(tasks.map((task) => [task.batch, task.batch]))
  for (const batch of shared.keys()) shared.set(batch, inSharedMemory(batch))
  const shareOf = (s: number) => tasks.filter((_, i) => i % shares === s)
  const pool = helpersFor(shares - 1)
  const helped = Array.from({ length: shares - 1 }, async (_, i) => {
    const answer = (await pool.run({
      breakdowns: shareOf(i + 1).map((task) => ({ ...task, batch: shared.get(task.batch) as ResponseBatch }))
    })) as BreakdownCategory[][] | { lonelyPsu: string }
    helperShares++
    if ('lonelyPsu' in answer) throw new LonelyPsuError(answer.lonelyPsu)
    return answer
  })
  let own: BreakdownCategory[][]
  try {
    own = shareOf(0).map(provinceCategories)
  } catch (error) {
    // The helpers end before the error is the caller's: none is left running, or failing unheard.
    await Promise.allSettled(helped)
    throw error
  }
  const parts = [own, ...(await Promise.all(helped))]
  return tasks.map((_, i) => parts[i % shares][Math.floor(i / shares)])
}

/** Shares of scoring, ranking or breakdowns that this thread's helpers have done (tests tell that work was split). */
export const sharesDoneByHelpers = (): number => helperShares
