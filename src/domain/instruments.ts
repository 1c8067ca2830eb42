import type { Db } from '../db/client.js'
import { createInstrumentVersion, getInstrument, listInstruments, toSummary } from '../db/queries/instruments.js'
import { Problem } from '../problems.js'
import { InstrumentError, validateInstrument, type Instrument } from '../scoring/index.js'

export { ensureStandardInstrument } from '../db/queries/instruments.js'
export { listInstruments, toSummary }

/** One version of an instrument, with its definition. */
export async function instrumentVersion(db: Db, code: string, version: number) {
  const row = await getInstrument(db, code, version)
  if (!row) throw new Problem('not-found', `No instrument ${code} version ${version}.`)
  return { ...toSummary(row), definition: row.definition as Instrument }
}

/** Checks a draft as a whole and stores it as the next version of its code. */
export async function createInstrument(db: Db, draft: Omit<Instrument, 'version'>) {
  try {
    validateInstrument({ ...draft, version: 1 })
  } catch (error) {
    if (!(error instanceof InstrumentError)) throw error
    throw new Problem(
      'instrument-invalid',
      'The instrument definition is not consistent.',
      error.problems.map((p) => ({ in: 'body' as const, ...p }))
    )
  }
  return createInstrumentVersion(db, draft)
}
