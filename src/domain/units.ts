import { randomUUID } from 'node:crypto'
import type { Db } from '../db/client.js'
import {
  getUnit,
  listUnits,
  predecessors,
  storeUnits,
  unitsWithCodes,
  type NewUnitLink,
  type UnitRow
} from '../db/queries/units.js'
import { withTransaction } from '../db/transaction.js'
import { Problem, type FieldError } from '../problems.js'
import type { OrgUnit, OrgUnitInput } from '../schemas/units.js'
import { searchForm } from './names.js'
import { NATION, nationalUnits, seedNotice, TWO_TIER_START } from './seed-units.js'

const dayBefore = (day: string) => new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10)
const today = () => new Date().toISOString().slice(0, 10)

export const toOrgUnit = (row: UnitRow): OrgUnit => ({
  id: row.id,
  code: row.code,
  agencyCode: row.agencyCode,
  name: row.name,
  fullName: row.fullName,
  nameEn: row.nameEn,
  level: row.level as OrgUnit['level'],
  unitType: row.unitType,
  parentId: row.parentId,
  validFrom: row.validFrom,
  validTo: row.validTo
})

/** Units valid on `validOn` (default today); `q` matches names whatever their tone marks. */
export async function findUnits(
  db: Db,
  filter: {
    q?: string
    level?: string
    parentId?: string
    code?: string
    validOn?: string
    limit: number
    offset: number
  }
): Promise<OrgUnit[]> {
  const { q, ...rest } = filter
  const rows = await listUnits(db, {
    ...rest,
    validOn: filter.validOn ?? today(),
    searchForm: q ? searchForm(q) : undefined
  })
  return rows.map(toOrgUnit)
}

/** One unit with the units it succeeded. */
export async function unitWithPredecessors(db: Db, id: string) {
  const unit = await getUnit(db, id)
  if (!unit) throw new Problem('not-found', `No unit ${id}.`)
  return { ...toOrgUnit(unit), predecessors: await predecessors(db, unit.id) }
}

/**
 * Imports units all-or-nothing: every row is checked (codes unique, parent and predecessors found, among the
 * rows or in the database, valid on the row's date) and any error rejects the whole import with the list of
 * errors by row. Predecessors are closed the day before their successor starts and linked to it.
 */
export async function importUnits(
  db: Db,
  rows: OrgUnitInput[],
  source: FieldError['in'] = 'body'
): Promise<{ imported: number; links: number }> {
  const errors: FieldError[] = []
  const fail = (i: number, field: string, detail: string) =>
    errors.push({ in: source, pointer: `/${i}/${field}`, detail })
  const dated = rows.map((row) => ({ ...row, validFrom: row.validFrom ?? today(), id: randomUUID() }))

  dated.forEach((row, i) => {
    if (row.code === undefined && row.agencyCode === undefined) fail(i, 'code', 'a unit needs a code or an agencyCode')
    if (row.validTo !== undefined && row.validTo < row.validFrom) fail(i, 'validTo', 'is before validFrom')
  })

  const referenced = [
    ...new Set(
      dated
        .flatMap((r) => [r.parentCode, ...(r.predecessorCodes ?? []), r.code, r.agencyCode])
        .filter((c): c is string => c !== undefined)
    )
  ]
  const existing = await unitsWithCodes(db, referenced)
  // A code names the unit valid on a given day, among the imported rows first, then in the database.
  const candidates = [
    ...dated.map((r, i) => ({
      id: r.id,
      row: i as number | null,
      code: r.code ?? null,
      agencyCode: r.agencyCode ?? null,
      validFrom: r.validFrom,
      validTo: r.validTo ?? null
    })),
    ...existing.map((u) => ({
      id: u.id,
      row: null,
      code: u.code,
      agencyCode: u.agencyCode,
      validFrom: u.validFrom,
      validTo: u.validTo
    }))
  ]
  const find = (code: string, day: string, except?: string) =>
    candidates.find(
      (u) =>
        u.id !== except &&
        (u.code === code || u.agencyCode === code) &&
        u.validFrom <= day &&
        (u.validTo === null || u.validTo >= day)
    )

  const links: NewUnitLink[] = []
  const closes: Array<{ id: string; validTo: string }> = []
  const values = dated.map((row, i) => {
    for (const [field, code] of [
      ['code', row.code],
      ['agencyCode', row.agencyCode]
    ] as const) {
      const clash = code === undefined ? undefined : find(code, row.validFrom, row.id)
      if (clash)
        fail(
          i,
          field,
          `${code} is already used on ${row.validFrom} by ${clash.row === null ? 'an existing unit' : `row ${clash.row}`}`
        )
    }
    let parentId: string | null = null
    if (row.parentCode !== undefined) {
      parentId = find(row.parentCode, row.validFrom)?.id ?? null
      if (parentId === null) fail(i, 'parentCode', `no unit ${row.parentCode} valid on ${row.validFrom}`)
    } else if (row.level !== 'nation') {
      fail(i, 'parentCode', 'is required below the nation')
    }
    ;(row.predecessorCodes ?? []).forEach((code, k) => {
      const previous = find(code, dayBefore(row.validFrom))
      if (!previous) {
        fail(i, `predecessorCodes/${k}`, `no unit ${code} valid on ${dayBefore(row.validFrom)}`)
        return
      }
      links.push({ fromId: previous.id, toId: row.id, kind: 'merged-into', effectiveOn: row.validFrom })
      if (previous.validTo === null) closes.push({ id: previous.id, validTo: dayBefore(row.validFrom) })
    })
    return {
      id: row.id,
      code: row.code ?? null,
      agencyCode: row.agencyCode ?? null,
      name: row.name,
      fullName: row.fullName ?? row.name,
      nameEn: row.nameEn ?? null,
      searchName: searchForm(`${row.name} ${row.fullName ?? ''}`),
      level: row.level,
      unitType: row.unitType ?? null,
      parentId,
      validFrom: row.validFrom,
      validTo: row.validTo ?? null
    }
  })
  if (errors.length > 0)
    throw new Problem('units-invalid', `${errors.length} error(s) in the import; nothing was imported.`, errors)

  await withTransaction(db, (tx) => storeUnits(tx, values, closes, links))
  return { imported: values.length, links: links.length }
}

/** The units of the shipped national tree still to import (conflict when the tree is already loaded). */
export async function nationalTreeToImport(db: Db): Promise<OrgUnitInput[]> {
  const [present] = await findUnits(db, { code: '01', validOn: TWO_TIER_START, limit: 1, offset: 0 })
  if (present) throw new Problem('tree-already-loaded', 'The national tree is already loaded.')
  const [nation] = await findUnits(db, { code: NATION.code, validOn: TWO_TIER_START, limit: 1, offset: 0 })
  return [...(nation ? [] : [NATION]), ...(await nationalUnits())]
}

export { seedNotice, TWO_TIER_START }
