import Type from 'typebox'
import { Uuid } from './common.js'

export const ClientInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, examples: ['Phần mềm một cửa tỉnh Phú Thọ'] }),
  units: Type.Array(Uuid, { minItems: 1, description: 'Units the client may post for; each covers its whole subtree' }),
  campaigns: Type.Array(Uuid, { minItems: 1, description: 'Campaigns the client may post to' })
}, { $id: 'ClientInput', additionalProperties: false })

export const ApiClient = Type.Object({
  id: Uuid,
  name: Type.String(),
  keyPrefix: Type.String({ description: 'The first characters of the key, to recognise it', examples: ['sipas_3q2Z9x'] }),
  units: Type.Array(Uuid),
  campaigns: Type.Array(Uuid),
  createdAt: Type.String({ format: 'date-time' }),
  rotatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
}, { $id: 'ApiClient' })

export const ApiClientWithKey = Type.Intersect([ApiClient, Type.Object({
  key: Type.String({ description: 'Shown this once: the service keeps only its SHA-256. Send it as `Authorization: Bearer <key>`.', examples: ['sipas_3q2Z9x…'] })
})], { $id: 'ApiClientWithKey' })
