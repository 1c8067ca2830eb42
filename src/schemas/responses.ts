import Type, { type Static } from 'typebox'
import { Uuid } from './common.js'
import { ResponseChannel } from './campaigns.js'

export const RESPONSE_EXAMPLE = {
  campaignId: '0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77',
  unit: '08500',
  externalId: 'H48.22-251015-0001#1',
  channel: 'interview',
  collectedAt: '2026-10-15T09:45:00+07:00',
  procedureCode: '1.001612.000.00.00.H48',
  dossierCode: 'H48.22-251015-0001',
  answers: { 'F1.1': 5, 'F1.2': 4, 'F3.1': 0, 'P.ONTIME': 1, 'E.IMPROVE': [4, 5], GENDER: 2 }
}

export const ResponseInput = Type.Object(
  {
    campaignId: Uuid,
    unit: Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        'The unit served: its statistics or agency code (or id); an agency or one-stop point below a campaign unit counts for that unit',
      examples: ['08500']
    }),
    externalId: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "The client's own id of this response (e.g. dossier code + form id): a retried post with it is stored once",
      examples: ['H48.22-251015-0001#1']
    }),
    channel: ResponseChannel,
    collectedAt: Type.String({ format: 'date-time', examples: ['2026-10-15T09:45:00+07:00'] }),
    procedureCode: Type.Optional(
      Type.String({ maxLength: 100, description: 'Stored in its short national form (1.001612)' })
    ),
    fieldCode: Type.Optional(Type.String({ maxLength: 100, description: 'Lĩnh vực' })),
    dossierCode: Type.Optional(
      Type.String({ maxLength: 100, description: 'MaHoSo, where the response links to a frame record' })
    ),
    sampleSlotId: Type.Optional(Uuid),
    answers: Type.Record(
      Type.String(),
      Type.Union([
        Type.Integer({ minimum: 0, maximum: 250 }),
        Type.Array(Type.Integer({ minimum: 0, maximum: 250 }), { maxItems: 50 })
      ]),
      {
        description:
          "By item code of the campaign's questionnaire: a level 1–5 (0 = no answer) or option value; an array of option values for a several-picks item"
      }
    )
  },
  {
    $id: 'ResponseInput',
    additionalProperties: false,
    examples: [RESPONSE_EXAMPLE]
  }
)
export type ResponseInput = Static<typeof ResponseInput>

export const ResponseError = Type.Object({ pointer: Type.String(), detail: Type.String() })

export const CountsAs = Type.Enum(['sample', 'after-service', 'unlinked'], {
  description:
    "How the response counts: `sample`, it answers a drawn sample slot (posted with the slot, or with the code of a dossier drawn in the sample) and counts in the official figures; `after-service`, its dossier is a record of the campaign's frame that is not in the sample (not drawn, or drawn as a reserve not released yet), and it counts in the after-service index, weighted to the frame and published beside (never in) the official figures; `unlinked`, it names no dossier, or one the frame does not hold yet (a frame uploaded later links it, and it then counts as after-service or, once drawn, as sample).",
  examples: ['sample']
})
export const RecordResult = Type.Object(
  {
    index: Type.Integer(),
    externalId: Type.String(),
    status: Type.Enum(['accepted', 'duplicate', 'conflict', 'rejected']),
    id: Type.Optional(Uuid),
    countsAs: Type.Optional(CountsAs),
    errors: Type.Optional(Type.Array(ResponseError)),
    type: Type.Optional(
      Type.String({
        description:
          'For a rejected or conflicting record, the problem type a single POST of it would answer (`/problems/…`): branch on it, not on the English details.',
        examples: ['/problems/outside-collection-window']
      })
    )
  },
  { $id: 'RecordResult' }
)

export const BatchResult = Type.Object(
  {
    accepted: Type.Integer(),
    duplicate: Type.Integer(),
    conflict: Type.Integer(),
    rejected: Type.Integer(),
    results: Type.Array(RecordResult)
  },
  {
    $id: 'BatchResult',
    examples: [
      {
        accepted: 1,
        duplicate: 1,
        conflict: 1,
        rejected: 1,
        results: [
          {
            index: 0,
            externalId: 'A#1',
            status: 'accepted',
            id: '5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11',
            countsAs: 'sample'
          },
          {
            index: 1,
            externalId: 'A#0',
            status: 'duplicate',
            id: '0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77',
            countsAs: 'after-service'
          },
          {
            index: 2,
            externalId: 'A#2',
            status: 'rejected',
            errors: [{ pointer: '/2/answers/F1.1', detail: '7 is not an answer code of F1.1 (1, 2, 3, 4, 5 or 0)' }],
            type: '/problems/response-invalid'
          },
          {
            index: 3,
            externalId: 'A#3',
            status: 'conflict',
            id: '9c2d7a41-6e3b-4f80-8b15-2a7e9d0c4f36',
            type: '/problems/external-id-reused'
          }
        ]
      }
    ]
  }
)

export const StoredResponse = Type.Object(
  {
    id: Uuid,
    status: Type.Enum(['accepted', 'duplicate']),
    countsAs: CountsAs
  },
  {
    $id: 'StoredResponse',
    examples: [{ id: '5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11', status: 'accepted', countsAs: 'sample' }]
  }
)
