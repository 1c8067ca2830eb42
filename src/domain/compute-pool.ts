import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import { Problem } from '../problems.js'
import { resultsDocument, type DocumentInput, type ResultsDocument } from './results-document.js'
import type { WorkerAnswer } from './compute-worker.js'

/**
 * A computation's document is made on a pool of worker threads (piscina), so that the event loop stays free for
 * every other request while a campaign is scored, ranked and broken down: one thread per computation, as many
 * computations at once as there are threads. A small campaign is made on the caller's thread: its few
 * milliseconds cost less than handing its data over (and starting a thread the first time).
 */
export interface ComputePoolOptions {
  /** Threads at most (COMPUTE_THREADS; 0: one per core). */
  threads: number
  /** Campaigns of this many rows (official and after-service) or more go to the pool (COMPUTE_OFF_THREAD_FROM). */
  offThreadFrom: number
}

/** Idle threads end after this long: a server that computes rarely holds none. */
const IDLE_MS = 60_000

/**
 * How much lower the threads' scheduling priority is than the event loop's (nice; Linux sets it per thread):
 * where they share the cores, requests are served first and a computation takes what is left.
 */
const NICE = 10

// From the compiled service the worker is the .js beside this file; from the sources (tests, tsx), a bootstrap
// that loads the .ts through tsx (Node 20 gives workers none of the parent's loader hooks).
const WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './compute-worker-sources.mjs' : './compute-worker.js',
  import.meta.url
).href

let options: ComputePoolOptions = { threads: 0, offThreadFrom: 20_000 }
let pool: Piscina | null = null

/**
 * Sizes the process's pool: threads are the process's, not one app's (tests build many apps in one process).
 * Threads of a previous size end once their work is done.
 */
export function configureComputePool(next: ComputePoolOptions): void {
  if (next.threads !== options.threads) {
    void pool?.close()
    pool = null
  }
  options = next
}

/** The computation's document (results-document.ts), off the event loop when the campaign is large. */
export async function computeDocument(input: DocumentInput): Promise<ResultsDocument> {
  if (input.batch.size + input.afterService.batch.size < options.offThreadFrom) return resultsDocument(input)
  pool ??= new Piscina({
    filename: WORKER,
    minThreads: 0,
    maxThreads: options.threads > 0 ? options.threads : availableParallelism(),
    idleTimeout: IDLE_MS,
    niceIncrement: NICE
  })
  const answer = (await pool.run(input, { transferList: buffersOf(input) })) as WorkerAnswer
  // A problem's class does not cross threads: the worker sends its parts, and it is made again here.
  if ('problem' in answer) {
    const { slug, detail, errors, extensions, vi } = answer.problem
    const problem = new Problem(slug, detail, errors, undefined, extensions)
    throw vi ? problem.inVietnamese(vi) : problem
  }
  return answer.document
}

/**
 * The typed arrays' buffers, each once, moved to the worker rather than copied: the caller reads none of them
 * again (the loader's arrays are views of larger buffers, which move whole).
 */
function buffersOf(input: DocumentInput): ArrayBuffer[] {
  const arrays = [input.batch, input.afterService.batch].flatMap((b) => [b.answers, b.unit, b.stratum, b.psu, b.weight])
  arrays.push(input.frame?.ofRow ?? null, input.afterService.frame.ofRow)
  return [...new Set(arrays.flatMap((a) => (a ? [a.buffer as ArrayBuffer] : [])))]
}
