import Type from 'typebox'
import { Uuid } from './common.js'

/** Ids, statuses and counts only: an audit entry never holds personal data. */
const Facts = Type.Union([
  Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
  Type.Null()
])

export const AuditEntry = Type.Object(
  {
    id: Type.String({ description: 'Increasing; the cursor of the next page', examples: ['1042'] }),
    at: Type.String({ format: 'date-time' }),
    actor: Type.String({
      description: '`admin`, or `<role>:<key id>`',
      examples: ['province-admin:0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77']
    }),
    role: Type.String({ examples: ['province-admin'] }),
    ip: Type.String({ examples: ['203.0.113.7'] }),
    requestId: Type.String(),
    action: Type.String({ examples: ['campaign.transition'] }),
    entity: Type.String({ examples: ['campaign'] }),
    entityId: Type.String(),
    provinceId: Type.Union([Uuid, Type.Null()]),
    before: Facts,
    after: Facts
  },
  {
    $id: 'AuditEntry',
    examples: [
      {
        id: '1042',
        at: '2026-10-02T08:15:00.000Z',
        actor: 'province-admin:0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77',
        role: 'province-admin',
        ip: '203.0.113.7',
        requestId: 'c1f0e0a4-7d2b-4c55-9d0e-2b6c1f9a3e10',
        action: 'campaign.transition',
        entity: 'campaign',
        entityId: '5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11',
        provinceId: '17ad118f-eebb-4a4e-85ad-6dbe8b27ea42',
        before: { status: 'sampling' },
        after: { status: 'collecting' }
      }
    ]
  }
)
export type AuditEntry = Type.Static<typeof AuditEntry>

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ maxLength: 100, examples: ['client.revoke'] })),
    entity: Type.Optional(Type.String({ maxLength: 100 })),
    entityId: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: '`next` of the previous page' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 })
  },
  { additionalProperties: false }
)
export type AuditQuery = Type.Static<typeof AuditQuery>

export const AuditPage = Type.Object(
  {
    items: Type.Array(AuditEntry),
    next: Type.Union([Type.String(), Type.Null()], {
      description: 'The cursor of the next (older) page; null on the last'
    })
  },
  { $id: 'AuditPage' }
)
