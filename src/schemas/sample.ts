import Type, { type Static } from 'typebox'
import { Uuid } from './common.js'

export const SampleDesignRequest = Type.Object(
  {
    stratifyBy: Type.Enum(['unit', 'unit-channel'], {
      default: 'unit',
      description: 'Strata: each measured unit, or unit × channel (in person, online, post)'
    }),
    target: Type.Enum(['each-unit', 'province'], {
      default: 'each-unit',
      description:
        '"each-unit": the size formula per unit, so every unit\'s index reaches the margin of error; "province": one size for the province, allocated across strata'
    }),
    formula: Type.Enum(['yamane', 'cochran'], {
      default: 'yamane',
      description: 'Yamane n = N/(1 + N·e²) (national method), or Cochran with fpc'
    }),
    allocation: Type.Enum(['proportional', 'equal', 'neyman'], {
      default: 'proportional',
      description: 'Across strata (within a unit for "each-unit")'
    }),
    minimumPerUnit: Type.Integer({
      minimum: 0,
      default: 0,
      description: 'Completed interviews per unit whatever the formula gives (e.g. Hội An 2024: 90 per commune)'
    }),
    expectedResponseRate: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      default: 1,
      description: 'The draw is inflated by 1/rate'
    }),
    reserveRate: Type.Number({
      minimum: 0,
      maximum: 5,
      default: 0.2,
      description: 'Reserves per stratum as a share of its sample, for replacements'
    }),
    drawMethod: Type.Enum(['srswor', 'systematic'], {
      default: 'srswor',
      description:
        'Stratified simple random sampling without replacement, or systematic over the frame sorted by result date'
    }),
    overrides: Type.Optional(
      Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
        description: 'Adjusted sample sizes by stratum key, after looking at the computed design'
      })
    )
  },
  {
    $id: 'SampleDesignRequest',
    additionalProperties: false,
    examples: [
      { stratifyBy: 'unit', formula: 'yamane', minimumPerUnit: 90, expectedResponseRate: 0.8, reserveRate: 0.25 }
    ]
  }
)
export type SampleDesignRequest = Static<typeof SampleDesignRequest>

export const DesignStratum = Type.Object({
  stratum: Type.String(),
  unitId: Uuid,
  channel: Type.Union([Type.String(), Type.Null()]),
  populationSize: Type.Integer({ description: 'N_h: frame records' }),
  sampleSize: Type.Integer({ description: 'n_h: people to draw' }),
  inclusionProbability: Type.Number({ description: 'π_h = n_h/N_h' })
})

export const SampleDesign = Type.Object(
  {
    request: SampleDesignRequest,
    marginOfError: Type.Number(),
    confidenceLevel: Type.Number(),
    populationSize: Type.Integer(),
    sampleSize: Type.Integer(),
    strata: Type.Array(DesignStratum)
  },
  { $id: 'SampleDesign' }
)
export type SampleDesign = Static<typeof SampleDesign>

export const DrawRequest = Type.Object(
  {
    seed: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'Any text; the same frame and seed always give the same sample. Generated and recorded when absent.',
        examples: ['phu-tho-2026']
      })
    )
  },
  { $id: 'DrawRequest', additionalProperties: false }
)

export const DrawSummary = Type.Object(
  {
    seed: Type.String(),
    method: Type.String(),
    generator: Type.String({ description: 'The PRNG and stream derivation (see src/sampling/README.md)' }),
    main: Type.Integer(),
    reserves: Type.Integer()
  },
  {
    $id: 'DrawSummary',
    examples: [
      { seed: 'phu-tho-2026', method: 'srswor', generator: 'xoshiro128**/murmur3-x86-32/v1', main: 1200, reserves: 240 }
    ]
  }
)

export const SLOT_STATUSES = [
  'reserve',
  'pending',
  'contacted',
  'responded',
  'refused',
  'unreachable',
  'ineligible'
] as const
export const SampleSlot = Type.Object(
  {
    id: Uuid,
    dossierCode: Type.String(),
    unitId: Uuid,
    stratum: Type.String(),
    role: Type.Enum(['main', 'reserve']),
    reserveRank: Type.Union([Type.Integer(), Type.Null()]),
    inclusionProbability: Type.Number(),
    baseWeight: Type.Number(),
    status: Type.Enum(SLOT_STATUSES),
    replacesSlotId: Type.Union([Uuid, Type.Null()]),
    reason: Type.Union([Type.String(), Type.Null()]),
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Union([Type.String(), Type.Null()]),
          phone: Type.Union([Type.String(), Type.Null()]),
          email: Type.Union([Type.String(), Type.Null()])
        },
        { description: 'Only with include=contacts (administrators); the read is logged' }
      )
    )
  },
  { $id: 'SampleSlot' }
)

export const SampleQuery = Type.Object({
  role: Type.Optional(Type.Enum(['main', 'reserve'])),
  unitId: Type.Optional(Uuid),
  status: Type.Optional(Type.Enum(SLOT_STATUSES)),
  format: Type.Enum(['json', 'csv'], { default: 'json' }),
  include: Type.Optional(Type.Enum(['contacts']))
})

export const OutcomeInput = Type.Object(
  {
    status: Type.Enum(['contacted', 'refused', 'unreachable', 'ineligible']),
    note: Type.Optional(Type.String({ maxLength: 500 }))
  },
  {
    $id: 'OutcomeInput',
    additionalProperties: false,
    examples: [{ status: 'unreachable', note: '3 calls, no answer' }]
  }
)

export const ReplacementInput = Type.Object(
  {
    reason: Type.Enum(['refused', 'unreachable', 'ineligible']),
    note: Type.Optional(Type.String({ maxLength: 500 }))
  },
  {
    $id: 'ReplacementInput',
    additionalProperties: false,
    examples: [{ reason: 'unreachable', note: 'số điện thoại không liên lạc được' }]
  }
)

export const ProgressRow = Type.Object({
  stratum: Type.String(),
  unitId: Uuid,
  populationSize: Type.Integer(),
  drawn: Type.Integer(),
  contacted: Type.Integer(),
  responded: Type.Integer(),
  refused: Type.Integer(),
  unreachable: Type.Integer(),
  ineligible: Type.Integer(),
  pending: Type.Integer(),
  replaced: Type.Integer(),
  responseRate: Type.Union([Type.Number(), Type.Null()], {
    description: 'AAPOR RR1: responded / (drawn − ineligible)'
  }),
  adjustedWeight: Type.Union([Type.Number(), Type.Null()], {
    description: 'N_h / r_h, the non-response-adjusted weight'
  })
})
export const Progress = Type.Object(
  {
    strata: Type.Array(ProgressRow),
    units: Type.Array(
      Type.Object({
        unitId: Uuid,
        drawn: Type.Integer(),
        responded: Type.Integer(),
        responseRate: Type.Union([Type.Number(), Type.Null()])
      })
    ),
    total: Type.Object({
      drawn: Type.Integer(),
      responded: Type.Integer(),
      responseRate: Type.Union([Type.Number(), Type.Null()])
    })
  },
  { $id: 'Progress' }
)
