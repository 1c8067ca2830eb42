/**
 * Published figures of years before the service: imported all or nothing, each with the document that
 * published it, so that a unit's series does not start empty. They never mix with the service's own figures:
 * a year the service has published for the province is refused.
 */
import type { Db } from '../db/client.js'
import { importedOf, insertImported, yearPublished, type NewImportedResult } from '../db/queries/history.js'
import { getUnit, subtreeIds } from '../db/queries/units.js'
import { Problem, type FieldError } from '../problems.js'
import type { HistoryImport, HistoryReport } from '../schemas/history.js'

const keyOf = (unitId: string, index: string) => `${unitId} ${index}`

/** The request's own errors: a province that is not one, units outside it, a unit and index given twice. */
async function inputErrors(db: Db, input: HistoryImport): Promise<FieldError[]> {
  const province = await getUnit(db, input.provinceId)
  if (province?.level !== 'province')
    return [{ in: 'body', pointer: '/provinceId', detail: 'not a province of the unit tree' }]
  const inProvince = new Set(await subtreeIds(db, [input.provinceId]))
  const errors: FieldError[] = []
  const first = new Map<string, number>()
  input.figures.forEach((f, i) => {
    if (!inProvince.has(f.unitId))
      errors.push({ in: 'body', pointer: `/figures/${i}/unitId`, detail: 'not a unit of the province' })
    const earlier = first.get(keyOf(f.unitId, f.index))
    if (earlier !== undefined)
      errors.push({ in: 'body', pointer: `/figures/${i}`, detail: `the same unit and index as /figures/${earlier}` })
    else first.set(keyOf(f.unitId, f.index), i)
  })
  return errors
}

export async function importHistory(db: Db, input: HistoryImport, actor: string): Promise<HistoryReport> {
  const errors = await inputErrors(db, input)
  if (errors.length > 0)
    throw new Problem('history-invalid', `${errors.length} error(s); nothing was imported.`, errors.slice(0, 1000))
  if (await yearPublished(db, input.provinceId, input.year))
    throw new Problem(
      'history-year-published',
      `The service has published the province's results of ${input.year}: those are its figures of that year.`,
      [{ in: 'body', pointer: '/year', detail: 'a year with a publication of the service' }]
    )
  const unitIds = [...new Set(input.figures.map((f) => f.unitId))]
  const existing = new Map((await importedOf(db, input.year, unitIds)).map((r) => [keyOf(r.unitId, r.indexCode), r]))
  const conflicts: FieldError[] = []
  const fresh: NewImportedResult[] = []
  let unchanged = 0
  input.figures.forEach((f, i) => {
    const old = existing.get(keyOf(f.unitId, f.index))
    if (old === undefined)
      fresh.push({
        provinceId: input.provinceId,
        unitId: f.unitId,
        year: input.year,
        indexCode: f.index,
        estimate: f.estimate,
        source: input.source,
        actor
      })
    else if (old.estimate === f.estimate && old.source === input.source) unchanged++
    else
      conflicts.push({
        in: 'body',
        pointer: `/figures/${i}`,
        detail: `already imported as ${old.estimate} from "${old.source}"`
      })
  })
  if (conflicts.length > 0)
    throw new Problem(
      'history-already-imported',
      `${conflicts.length} figure(s) of ${input.year} are already imported with another value or document; nothing was imported.`,
      conflicts.slice(0, 1000)
    )
  await insertImported(db, fresh)
  return { provinceId: input.provinceId, year: input.year, imported: fresh.length, unchanged }
}
