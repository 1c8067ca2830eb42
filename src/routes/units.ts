import Type from 'typebox'
import { Value } from 'typebox/value'
import { parse } from 'csv-parse/sync'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACCESS, assertUnit } from '../plugins/auth.js'
import { acceptTextBodies } from '../plugins/content-types.js'
import { Problem, type FieldError } from '../problems.js'
import { describeSchemaErrors } from '../schema-errors.js'
import { IdParams } from '../schemas/common.js'
import { ImportReport, OrgUnit, OrgUnitInput, UnitQuery } from '../schemas/units.js'
import { provinceOf } from '../domain/audit.js'
import {
  findUnits,
  importUnits,
  nationalTreeToImport,
  seedNotice,
  TWO_TIER_START,
  unitWithPredecessors
} from '../domain/units.js'

const CSV_FIELDS: Record<string, keyof OrgUnitInput> = {
  code: 'code',
  agency_code: 'agencyCode',
  parent_code: 'parentCode',
  level: 'level',
  name: 'name',
  full_name: 'fullName',
  name_en: 'nameEn',
  unit_type: 'unitType',
  valid_from: 'validFrom',
  valid_to: 'validTo',
  predecessor_codes: 'predecessorCodes'
}

/** CSV rows → unit inputs, checked against the same schema as JSON; errors name the row and the field. */
function unitsFromCsv(text: string): OrgUnitInput[] {
  let records: Array<Record<string, string>>
  try {
    records = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true })
  } catch (error) {
    throw new Problem('malformed-body', `The CSV could not be parsed: ${(error as Error).message}`)
  }
  const errors: FieldError[] = []
  const rows = records.map((record, i) => {
    const row: Record<string, unknown> = {}
    for (const [column, value] of Object.entries(record)) {
      const field = CSV_FIELDS[column]
      if (field === undefined) {
        errors.push({ in: 'file', pointer: `/${i}/${column}`, detail: `line ${i + 2}: unknown column` })
        continue
      }
      if (value === '') continue
      row[field] = field === 'predecessorCodes' ? value.split(';').map((c) => c.trim()) : value
    }
    for (const e of describeSchemaErrors(Value.Errors(OrgUnitInput, row), row))
      errors.push({ in: 'file', pointer: `/${i}${e.pointer}`, detail: `line ${i + 2}: ${e.detail}` })
    return row as OrgUnitInput
  })
  if (errors.length > 0)
    throw new Problem(
      'units-invalid',
      `${errors.length} error(s) in the CSV; nothing was imported.`,
      errors.slice(0, 1000)
    )
  return rows
}

const units: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  acceptTextBodies(app)

  app.get(
    '/v1/units',
    {
      schema: {
        tags: ['units'],
        summary: 'Search administrative units and agencies',
        description:
          'Units valid on `validOn` (default today). `q` matches names without regard to tone marks: "hoa" finds "Hòa" and "Hoà".',
        querystring: UnitQuery,
        response: { 200: Type.Array(OrgUnit) }
      }
    },
    async (request) => findUnits(db, request.query)
  )

  app.get(
    '/v1/units/:id',
    {
      schema: {
        tags: ['units'],
        summary: 'One unit, with the units merged into it',
        params: IdParams,
        response: {
          200: Type.Intersect([
            OrgUnit,
            Type.Object({
              predecessors: Type.Array(
                Type.Object({ id: Type.String(), kind: Type.String(), effectiveOn: Type.String() })
              )
            })
          ])
        }
      }
    },
    async (request) => unitWithPredecessors(db, request.params.id)
  )

  app.post(
    '/v1/units',
    {
      config: { access: ACCESS.managers },
      schema: {
        tags: ['units'],
        summary: 'Create one unit (e.g. a provincial agency with its mã định danh)',
        description: 'A province administrator creates units within its province.',
        body: OrgUnitInput,
        response: { 201: OrgUnit }
      }
    },
    async (request, reply) => {
      const unit = await app.audited(
        request,
        'unit.create',
        async (tx) => {
          await importUnits(tx, [request.body])
          const code = request.body.code ?? request.body.agencyCode
          const [created] = await findUnits(tx, { code, validOn: request.body.validFrom, limit: 1, offset: 0 })
          // Checked after the import resolved the parent's code; refusing rolls the unit back.
          if (request.client)
            assertUnit(request, created.parentId ?? created.id, { in: 'body', pointer: '/parentCode' })
          return created
        },
        async (created, tx) => ({
          entity: 'unit',
          entityId: created.id,
          provinceId: await provinceOf(tx, created.parentId ?? created.id),
          after: { code: created.code ?? created.agencyCode }
        })
      )
      return reply.code(201).send(unit)
    }
  )

  app.post(
    '/v1/units/import',
    {
      config: { access: ACCESS.admin },
      schema: {
        tags: ['units'],
        summary: 'Import a tree of units, all or nothing',
        description:
          'A JSON array of units, or CSV with the columns `code, agency_code, parent_code, level, name, full_name, name_en, unit_type, valid_from, valid_to, predecessor_codes` (`;`-separated). Parents may come earlier or later in the same import. Any error rejects the whole import (422) with every error listed by row.',
        body: {
          content: {
            'application/json': { schema: Type.Array(OrgUnitInput, { maxItems: 100_000 }) },
            'text/csv': {
              schema: Type.String({
                examples: [
                  'agency_code,parent_code,level,name,valid_from\n000.00.53.H48,26,agency,Sở Nội vụ,2025-07-01\n'
                ]
              })
            }
          }
        },
        response: { 201: ImportReport }
      }
    },
    async (request, reply) => {
      const rows = typeof request.body === 'string' ? unitsFromCsv(request.body) : (request.body as OrgUnitInput[])
      const report = await app.audited(
        request,
        'unit.import',
        (tx) => importUnits(tx, rows, typeof request.body === 'string' ? 'file' : 'body'),
        (r) => ({ entity: 'unit', entityId: 'import', after: r })
      )
      return reply.code(201).send(report)
    }
  )

  app.post(
    '/v1/units/seed/vn-2025',
    {
      config: { access: ACCESS.admin },
      schema: {
        tags: ['units'],
        summary: 'Load the shipped national tree (34 provinces, 3,321 communes)',
        description: `Vietnam's two-tier local government, valid from ${TWO_TIER_START}, from the MIT-licensed dataset cited in \`source\` (its licence travels with it).`,
        response: {
          201: Type.Object({
            imported: Type.Integer(),
            links: Type.Integer(),
            source: Type.String(),
            licence: Type.String()
          })
        }
      }
    },
    async (request, reply) => {
      const units = await nationalTreeToImport(db)
      const report = await app.audited(
        request,
        'unit.seed',
        (tx) => importUnits(tx, units),
        (r) => ({ entity: 'unit', entityId: 'seed/vn-2025', after: r })
      )
      return reply.code(201).send({ ...report, ...(await seedNotice()) })
    }
  )
}
export default units
