import { Problem } from '../problems.js'
import { resultsDocument, type DocumentInput, type ResultsDocument } from './results-document.js'

/** What a compute thread answers: the document, or the parts of the problem that stopped it. */
export type WorkerAnswer =
  { document: ResultsDocument } | { problem: Pick<Problem, 'slug' | 'detail' | 'errors' | 'extensions' | 'vi'> }

/** The compute pool's task (compute-pool.ts): one computation's document, on a worker thread. */
export default function compute(input: DocumentInput): WorkerAnswer {
  try {
    return { document: resultsDocument(input) }
  } catch (error) {
    if (!(error instanceof Problem)) throw error
    const { slug, detail, errors, extensions, vi } = error
    return { problem: { slug, detail, errors, extensions, vi } }
  }
}
