import Type from 'typebox'

export const Uuid = Type.String({ format: 'uuid', examples: ['0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77'] })
export const IsoDate = Type.String({ format: 'date', examples: ['2026-01-01'] })
export const IdParams = Type.Object({ id: Uuid })
export const Limit = Type.Integer({ minimum: 1, maximum: 1000, default: 100 })
