import { availableParallelism } from 'node:os'
import { Piscina } from 'piscina'
import { Problem } from '../problems.js'
import { MessageChannel } from 'node:worker_threads'
import type { Db } from '../db/client.js'
import { readCampaignRows, type RowRequest } from './campaign-rows.js'
import { resultsDocument, type DocumentInput, type ResultsDocument } from './results-document.js'
import type { InputTask, RowsTask, WorkerAnswer } from './compute-worker.js'
import type { Sharing } from './share-pool.js'
import { IDLE_MS, workerModule } from './worker-module.js'

/**
 * A computation's document is made on a pool of worker threads (piscina), so that the event loop stays free for
 * every other request while a campaign is scored, ranked and broken down: one thread per computation, as many
 * computations at once as there are threads. That thread scores a large campaign's official figures with as
 * many threads in all (share-pool.ts: helpers of its own). A small campaign of few units is made on the
 * caller's thread: its few milliseconds cost less than handing its data over (and starting a thread the first
 * time).
 */
export interface ComputePoolOptions {
  /** Threads a computation scores on, and computations at once (COMPUTE_THREADS; 0: one per core). */
  threads: number
  /**
   * Campaigns of this many rows (official and after-service) or more go to the pool (COMPUTE_OFF_THREAD_FROM),
   * and any of UNITS_OFF_THREAD units or more.
   */
  offThreadFrom: number
  /** Official rows per scoring thread at least (ROWS_PER_SHARE unless given: tests take small campaigns). */
  rowsPerShare?: number
}

/**
 * How much lower the threads' scheduling priority is than the event loop's (nice; Linux sets it per thread):
 * where they share the cores, requests are served first and a computation takes what is left.
 */
const NICE = 10

/**
 * From this many units a document is made off the event loop whatever its rows: the units' rank sets grow as
 * their square (on one thread about 75 ms at 100 units, 370 ms at 300, 2.7 s at 1,000).
 */
export const UNITS_OFF_THREAD = 100

let options: ComputePoolOptions = { threads: 0, offThreadFrom: 20_000 }

/** A document of so many rows and units is made on the caller's thread. */
const onCallersThread = (rows: number, units: number) => rows < options.offThreadFrom && units < UNITS_OFF_THREAD
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

const threadCount = () => (options.threads > 0 ? options.threads : availableParallelism())

const threads = (): Piscina =>
  (pool ??= new Piscina({
    ...workerModule('compute-worker', import.meta.url),
    minThreads: 0,
    maxThreads: threadCount(),
    idleTimeout: IDLE_MS,
    niceIncrement: NICE
  }))

const sharing = (): Sharing => ({ threads: threadCount(), rowsPerShare: options.rowsPerShare })

/** The computation's document (results-document.ts), off the event loop when the campaign is large. */
export async function computeDocument(input: DocumentInput): Promise<ResultsDocument> {
  if (onCallersThread(input.batch.size + input.afterService.batch.size, input.units.length))
    return resultsDocument(input)
  const task: InputTask = { input, sharing: sharing() }
  return documentOf((await threads().run(task, { transferList: buffersOf(input) })) as WorkerAnswer)
}

/** Where a computation reads: the app's handle, and its PostgreSQL's URL (null: the embedded database). */
export interface ComputeSource {
  db: Db
  databaseUrl: string | null
}

/** ComputeSource, and who is told the rows read so far. */
export interface RowSource extends ComputeSource {
  onRead: (read: number) => void
}

/**
 * A campaign's document from its stored rows, and how many official rows it holds. On PostgreSQL a large
 * campaign's rows are read by the thread that makes the document, on connections of its own: parsing a
 * million rows is a third of a second of CPU the event loop no longer spends. The embedded database is one
 * session, which the app's pool holds: its rows are read here and moved to the thread.
 */
export async function computeCampaignDocument(
  request: RowRequest,
  source: RowSource,
  settings: RowsTask['settings']
): Promise<{ document: ResultsDocument; responses: number }> {
  if (source.databaseUrl === null || onCallersThread(request.total, settings.units.length)) {
    const rows = await readCampaignRows(source.db, request, source.onRead)
    return { document: await computeDocument({ ...settings, ...rows }), responses: rows.batch.size }
  }
  const { port1, port2 } = new MessageChannel()
  port1.on('message', source.onRead)
  try {
    const task: RowsTask = { settings, request, databaseUrl: source.databaseUrl, progress: port2, sharing: sharing() }
    const answer = (await threads().run(task, { transferList: [port2] })) as WorkerAnswer
    return { document: documentOf(answer), responses: (answer as { responses: number }).responses }
  } finally {
    port1.close()
  }
}

/** The thread's document, or its problem or error made again on this side (their classes do not cross). */
function documentOf(answer: WorkerAnswer): ResultsDocument {
  if ('problem' in answer) {
    const { slug, detail, errors, extensions, vi } = answer.problem
    const problem = new Problem(slug, detail, errors, undefined, extensions)
    throw vi ? problem.inVietnamese(vi) : problem
  }
  if ('failure' in answer) {
    const { name, message, code } = answer.failure
    throw Object.assign(new Error(message), { name, code })
  }
  return answer.document
}

/**
 * The typed arrays' buffers, each once, moved to the worker rather than copied: the caller reads none of them
 * again (the loader's arrays are views of larger buffers, which move whole). Shared memory (the loader's answer
 * rows) is neither: the worker reads it where it is.
 */
function buffersOf(input: DocumentInput): ArrayBuffer[] {
  const arrays = [input.batch, input.afterService.batch].flatMap((b) => [b.answers, b.unit, b.stratum, b.psu, b.weight])
  arrays.push(input.frame?.ofRow ?? null, input.afterService.frame.ofRow)
  return [...new Set(arrays.flatMap((a) => (a && !(a.buffer instanceof SharedArrayBuffer) ? [a.buffer] : [])))]
}
