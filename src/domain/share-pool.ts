import { Piscina } from 'piscina'
import {
  codeGeneration,
  LonelyPsuError,
  scoreBatch,
  scoreInShares,
  type Design,
  type Domain,
  type DomainResult,
  type Instrument,
  type ResponseBatch,
  type ScoringOptions,
  type Tallies
} from '../scoring/index.js'
import type { default as scoreShare, ShareTask } from './share-worker.js'
import { workerModule } from './worker-module.js'

/**
 * A large batch is scored on several threads at once (scoreInShares in the scoring core): the thread that
 * scores it takes the first share of each step, helper threads the others. The helpers are a pool of the
 * scoring thread's own (a compute thread's, in the service), so they run at its priority; every array they
 * read or write is in shared memory, and only small descriptions of it cross between threads.
 */

/** Fewer rows than this per thread are scored on one: handing shares over would cost more than they save. */
export const ROWS_PER_SHARE = 50_000

/** Idle helpers end after this long: a server that computes rarely holds none. */
const IDLE_MS = 60_000

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
    const answer = (await pool.run(task)) as ReturnType<typeof scoreShare>
    helperShares++
    if (answer) throw new LonelyPsuError(answer.lonelyPsu)
  })
}

/** Shares the helper threads of this thread have scored (tests tell thereby that the work was split). */
export const sharesScoredByHelpers = (): number => helperShares
