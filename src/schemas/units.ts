import Type, { type Static } from 'typebox'
import { IsoDate, Limit, Uuid } from './common.js'

export const UNIT_LEVELS = ['nation', 'province', 'district', 'commune', 'agency', 'service-point'] as const
export const UnitLevel = Type.Enum(UNIT_LEVELS, {
  description:
    'nation → province → (district, until 30/6/2025) → commune; agencies (sở, ban, ngành, the one-stop centre) and one-stop-shop points under any of them'
})

export const OrgUnit = Type.Object(
  {
    id: Uuid,
    code: Type.Union([Type.String(), Type.Null()], {
      description: 'Statistics-office code, zero-padded (2 digits for a province, 5 for a commune)',
      examples: ['26']
    }),
    agencyCode: Type.Union([Type.String(), Type.Null()], {
      description: 'Agency identifier (mã định danh)',
      examples: ['000.00.53.H48']
    }),
    name: Type.String({ examples: ['Phú Thọ'] }),
    fullName: Type.String({ examples: ['Tỉnh Phú Thọ'] }),
    nameEn: Type.Union([Type.String(), Type.Null()]),
    level: UnitLevel,
    unitType: Type.Union([Type.String(), Type.Null()], { examples: ['Tỉnh'] }),
    parentId: Type.Union([Uuid, Type.Null()]),
    validFrom: IsoDate,
    validTo: Type.Union([IsoDate, Type.Null()])
  },
  { $id: 'OrgUnit' }
)
export type OrgUnit = Static<typeof OrgUnit>

const Code = Type.String({ minLength: 1, maxLength: 32, pattern: '^[0-9A-Za-z.\\-]+$' })

/** One unit to create, alone or in a bulk import; parents and predecessors are named by code. */
export const OrgUnitInput = Type.Object(
  {
    code: Type.Optional(Code),
    agencyCode: Type.Optional(Code),
    parentCode: Type.Optional(
      Type.String({
        description:
          'Statistics or agency code of the parent, valid on validFrom (in the database or earlier in the same import)'
      })
    ),
    level: UnitLevel,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    fullName: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
    unitType: Type.Optional(Type.String({ maxLength: 50 })),
    validFrom: Type.Optional(IsoDate),
    validTo: Type.Optional(IsoDate),
    predecessorCodes: Type.Optional(
      Type.Array(Code, { description: 'Units merged into this one (valid the day before validFrom)' })
    )
  },
  {
    $id: 'OrgUnitInput',
    additionalProperties: false,
    examples: [
      {
        agencyCode: '000.00.53.H48',
        parentCode: '26',
        level: 'agency',
        name: 'Sở Nội vụ',
        fullName: 'Sở Nội vụ tỉnh Phú Thọ',
        validFrom: '2025-07-01'
      }
    ]
  }
)
export type OrgUnitInput = Static<typeof OrgUnitInput>

export const UnitQuery = Type.Object({
  q: Type.Optional(
    Type.String({ maxLength: 100, description: 'Name search, without regard to tone marks or their placement' })
  ),
  level: Type.Optional(UnitLevel),
  parentId: Type.Optional(Uuid),
  code: Type.Optional(Type.String({ maxLength: 32 })),
  validOn: Type.Optional(IsoDate),
  limit: Limit,
  offset: Type.Integer({ minimum: 0, default: 0 })
})

export const ImportReport = Type.Object(
  {
    imported: Type.Integer(),
    links: Type.Integer({ description: 'Predecessor links recorded' })
  },
  { $id: 'ImportReport', examples: [{ imported: 3355, links: 0 }] }
)
