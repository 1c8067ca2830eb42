import Type from 'typebox'
import { Instrument } from '../scoring/index.js'

export { Instrument }
export const InstrumentSummary = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    code: Type.String({ examples: ['SIPAS-2017'] }),
    version: Type.Integer({ examples: [1] }),
    name: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    lockedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'Set when a campaign first uses this version: from then on it never changes'
    })
  },
  { $id: 'InstrumentSummary' }
)

/** A new version: the definition without its number, which the service assigns (the next for the code). */
export const InstrumentDraft = Type.Omit(Instrument, ['version'], {
  $id: 'InstrumentDraft',
  additionalProperties: false
})
export const InstrumentParams = Type.Object({
  code: Type.String({ examples: ['SIPAS-2017'] }),
  version: Type.Integer({ minimum: 1, examples: [1] })
})
