import { randomUUID } from 'node:crypto'
import { and, asc, eq, gte, inArray, isNull, like, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../client.js'
import { orgUnitLinks, orgUnits } from '../schema.js'
import { searchForm } from '../../domain/names.js'
import { Problem, type FieldError } from '../../problems.js'
import type { OrgUnit, OrgUnitInput } from '../../schemas/units.js'

type UnitRow = typeof orgUnits.$inferSelect
const CHUNK = 500

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

const validOn = (day: string): SQL =>
  and(lte(orgUnits.validFrom, day), or(isNull(orgUnits.validTo), gte(orgUnits.validTo, day))) as SQL
const dayBefore = (day: string) => new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10)
const today = () => new Date().toISOString().slice(0, 10)

export interface UnitFilter {
  q?: string
  level?: string
  parentId?: string
  code?: string
  validOn?: string
  limit: number
  offset: number
}

export async function listUnits(db: Db, filter: UnitFilter): Promise<OrgUnit[]> {
  const conditions: SQL[] = [validOn(filter.validOn ?? today())]
  if (filter.q) conditions.push(like(orgUnits.searchName, `%${searchForm(filter.q).replace(/[%_\\]/g, '\\$&')}%`))
  if (filter.level) conditions.push(eq(orgUnits.level, filter.level))
  if (filter.parentId) conditions.push(eq(orgUnits.parentId, filter.parentId))
  if (filter.code) conditions.push(or(eq(orgUnits.code, filter.code), eq(orgUnits.agencyCode, filter.code)) as SQL)
  const rows = await db
    .select()
    .from(orgUnits)
    .where(and(...conditions))
    .orderBy(asc(orgUnits.code), asc(orgUnits.name), asc(orgUnits.id))
    .limit(filter.limit)
    .offset(filter.offset)
  return rows.map(toOrgUnit)
}

export async function getUnit(db: Db, id: string): Promise<OrgUnit | null> {
  const [row] = await db.select().from(orgUnits).where(eq(orgUnits.id, id))
  return row ? toOrgUnit(row) : null
}

/** The ids of a unit and of every unit below it, at any depth. */
export async function subtreeIds(db: Db, rootIds: string[]): Promise<string[]> {
  const result = await db.execute(sql`with recursive tree(id) as (
      select id from org_units where id in ${rootIds}
      union select u.id from org_units u join tree on u.parent_id = tree.id)
    select id from tree`)
  return (result as unknown as { rows: Array<{ id: string }> }).rows.map((r) => r.id)
}

export async function predecessors(
  db: Db,
  id: string
): Promise<Array<{ id: string; kind: string; effectiveOn: string }>> {
  return db
    .select({ id: orgUnitLinks.fromId, kind: orgUnitLinks.kind, effectiveOn: orgUnitLinks.effectiveOn })
    .from(orgUnitLinks)
    .where(eq(orgUnitLinks.toId, id))
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
  const existing: UnitRow[] = []
  for (let i = 0; i < referenced.length; i += CHUNK) {
    const codes = referenced.slice(i, i + CHUNK)
    existing.push(
      ...(await db
        .select()
        .from(orgUnits)
        .where(or(inArray(orgUnits.code, codes), inArray(orgUnits.agencyCode, codes))))
    )
  }
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

  const links: Array<typeof orgUnitLinks.$inferInsert> = []
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
    throw new Problem('unprocessable', `${errors.length} error(s) in the import; nothing was imported.`, errors)

  await db.transaction(async (tx) => {
    for (let i = 0; i < values.length; i += CHUNK) await tx.insert(orgUnits).values(values.slice(i, i + CHUNK))
    for (const close of closes)
      await tx.update(orgUnits).set({ validTo: close.validTo }).where(eq(orgUnits.id, close.id))
    if (links.length > 0) await tx.insert(orgUnitLinks).values(links).onConflictDoNothing()
  })
  return { imported: values.length, links: links.length }
}
