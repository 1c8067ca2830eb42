import type { MessagePort } from 'node:worker_threads'
import { threadDatabase } from '../db/client.js'
import { Problem } from '../problems.js'
import { readCampaignRows, type CampaignRows, type RowRequest } from './campaign-rows.js'
import { resultsDocumentOnThreads, type DocumentInput, type ResultsDocument } from './results-document.js'
import type { Sharing } from './share-pool.js'

/** A document's input, read by the caller. */
export interface InputTask {
  input: DocumentInput
  sharing: Sharing
}

/** A document's input but its rows, which the thread reads itself from PostgreSQL. */
export interface RowsTask {
  settings: Omit<DocumentInput, keyof CampaignRows>
  request: RowRequest
  databaseUrl: string
  /** Gets the rows read so far. */
  progress: MessagePort
  sharing: Sharing
}

/**
 * What a compute thread answers: the document and its official rows, or the parts of the problem that stopped
 * it, or of another error (its class and members do not cross threads; the code says "database unavailable").
 */
export type WorkerAnswer =
  | { document: ResultsDocument; responses: number }
  | { problem: Pick<Problem, 'slug' | 'detail' | 'errors' | 'extensions' | 'vi'> }
  | { failure: { name: string; message: string; code?: string } }

/** The compute pool's task (compute-pool.ts): one computation's document, on a worker thread. */
export default async function compute(task: InputTask | RowsTask): Promise<WorkerAnswer> {
  const document = (input: DocumentInput) => resultsDocumentOnThreads(input, task.sharing)
  try {
    if ('input' in task) return { document: await document(task.input), responses: task.input.batch.size }
    const database = threadDatabase(task.databaseUrl)
    try {
      const rows = await readCampaignRows(database.db, task.request, (read) => task.progress.postMessage(read))
      return { document: await document({ ...task.settings, ...rows }), responses: rows.batch.size }
    } finally {
      await database.close()
    }
  } catch (error) {
    if (error instanceof Problem) {
      const { slug, detail, errors, extensions, vi } = error
      return { problem: { slug, detail, errors, extensions, vi } }
    }
    const { name, message, code } = error as Error & { code?: string }
    return { failure: { name, message, code } }
  }
}
