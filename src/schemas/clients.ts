import Type from 'typebox'
import { Uuid } from './common.js'

/** What a key may be: the system administrator has the configured ADMIN_API_KEY, never a created key. */
export const KeyRole = Type.Enum(['province-admin', 'surveyor', 'client'], {
  $id: 'KeyRole',
  description:
    '`province-admin`: everything for the campaigns and units of its province(s), nothing outside; `surveyor`: reads the sample of its units, records contact outcomes, posts responses; `client`: a client system (one-stop-shop software, kiosk, tablet) posting responses'
})
export type KeyRole = Type.Static<typeof KeyRole>
export type Role = 'admin' | KeyRole

export const ClientInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Phần mềm một cửa tỉnh Phú Thọ'] }),
    role: Type.Optional(KeyRole),
    units: Type.Array(Uuid, {
      minItems: 1,
      maxItems: 10_000,
      description: "Units the key acts for; each covers its whole subtree (a province administrator's: its province)"
    }),
    campaigns: Type.Array(Uuid, {
      maxItems: 10_000,
      description:
        'Campaigns the key may post to (surveyors and clients: at least one); a province administrator covers every campaign of its province and lists none'
    })
  },
  {
    $id: 'ClientInput',
    additionalProperties: false,
    description: '`role` defaults to `client`.',
    examples: [
      {
        name: 'Phần mềm một cửa tỉnh Phú Thọ',
        role: 'client',
        units: ['0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77'],
        campaigns: ['5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11']
      },
      {
        name: 'Sở Nội vụ tỉnh Phú Thọ',
        role: 'province-admin',
        units: ['0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77'],
        campaigns: []
      },
      {
        name: 'Điều tra viên phường Hòa Bình',
        role: 'surveyor',
        units: ['3732c9c0-baf0-42bb-b019-f6d6785a1ffc'],
        campaigns: ['5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11']
      }
    ]
  }
)

export const ApiClient = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    role: KeyRole,
    keyPrefix: Type.String({
      description: 'The first characters of the key, to recognise it',
      examples: ['sipas_3q2Z9x']
    }),
    units: Type.Array(Uuid),
    campaigns: Type.Array(Uuid),
    createdAt: Type.String({ format: 'date-time' }),
    rotatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
  },
  { $id: 'ApiClient' }
)

export const ApiClientWithKey = Type.Intersect(
  [
    ApiClient,
    Type.Object({
      key: Type.String({
        description: 'Shown this once: the service keeps only its SHA-256. Send it as `Authorization: Bearer <key>`.',
        examples: ['sipas_3q2Z9x…']
      })
    })
  ],
  { $id: 'ApiClientWithKey' }
)
