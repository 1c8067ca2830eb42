import Type, { type Static, type TSchema } from 'typebox'
import { IsoDate, Uuid } from './common.js'
import { CAMPAIGN_STATUSES } from '../vocabulary.js'
import { ParRule, ScoringOptions } from '../scoring/index.js'

/** SIPAS began in 2017; a few earlier pilots are allowed for, and nothing absurd reaches the database. */
export const CampaignYear = Type.Integer({ minimum: 2012, maximum: 2100, examples: [2026] })

export const RESPONSE_CHANNELS = ['interview', 'online-survey', 'kiosk', 'post-transaction'] as const
export const CampaignStatus = Type.Enum(CAMPAIGN_STATUSES)
export const ResponseChannel = Type.Enum(RESPONSE_CHANNELS, {
  description: 'sampled survey interview, online survey, counter kiosk, one-stop-shop post-transaction rating'
})

export const Target = Type.Object(
  {
    value: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      description: 'The share of satisfied answers aimed at, as a fraction',
      examples: [0.8401]
    }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, examples: ['Kế hoạch của UBND tỉnh năm 2026'] })),
    units: Type.Optional(
      Type.Array(Uuid, {
        minItems: 1,
        uniqueItems: true,
        description:
          "Only these units of the campaign are judged against it (not the province's figure); when absent (and `groups` too), the province and every unit"
      })
    ),
    groups: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
        minItems: 1,
        uniqueItems: true,
        description:
          "Only the units of these peer groups (by code), and those groups' figures, are judged against it (with `units`: those units as well)",
        examples: [['xa-phuong']]
      })
    )
  },
  { additionalProperties: false, description: 'A target an overall index is judged against' }
)
export type Target = Static<typeof Target>

const InstrumentRef = Type.Object({
  code: Type.String({ examples: ['SIPAS-2017'] }),
  version: Type.Integer({ minimum: 1, examples: [1] })
})

export const PeerGroup = Type.Object(
  {
    code: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$',
      description: "The group's code, unique in the campaign: targets and portals name the group by it",
      examples: ['so-nganh']
    }),
    name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', examples: ['Khối sở, ban, ngành'] }),
    units: Type.Array(Uuid, {
      minItems: 1,
      uniqueItems: true,
      description: 'Units of the campaign, each in one group at most'
    }),
    instrument: Type.Optional(
      Type.Object(InstrumentRef.properties, {
        description:
          "The questionnaire of the group's units when it is not the campaign's (a department- or district-level toolkit): the same scale, factors, criteria and satisfaction items, in its own wording and with perception, expectation and profile items of its own (an index of an item is over the respondents asked it). Absent: the campaign's"
      })
    )
  },
  {
    additionalProperties: false,
    description:
      'Units ranked among themselves (a khối: departments; communes and wards; central agencies in the province; public service units), with a figure of their own'
  }
)
export type PeerGroup = Static<typeof PeerGroup>

export const PROVINCE_FIGURES = ['pooled', 'mean-of-groups'] as const
export const ProvinceFigure = Type.Enum(PROVINCE_FIGURES, {
  description:
    '"pooled": the province\'s figures over all its responses, weighted by the design; "mean-of-groups": the unweighted mean of the peer groups\' figures (every unit in a group), its SE from their covariance over the design, as some provinces publish it'
})
export type ProvinceFigure = Static<typeof ProvinceFigure>

/** What a calibration margin can name: each frame record's unit, submission channel and respondent type. */
export const CALIBRATION_VARIABLES = ['unit', 'channel', 'subjectType'] as const

/**
 * Weights calibrated to the frame's totals. One shape wherever it occurs (the OpenAPI document names it once:
 * schemas/results.ts NAMED_SCHEMAS), so its description covers both fields that use it.
 */
export const Calibration = Type.Object(
  {
    method: Type.Enum(['poststratify', 'linear', 'raking'], {
      description:
        'R survey\'s postStratify (one margin: weights N_c/Σw_c in each cell of its cross-classification), calibrate(calfun = "linear") (GREG) or calibrate(calfun = "raking")'
    }),
    margins: Type.Array(
      Type.Array(Type.Enum(CALIBRATION_VARIABLES), {
        minItems: 1,
        uniqueItems: true,
        description: 'A margin: one variable, or the cross-classification of several'
      }),
      {
        minItems: 1,
        maxItems: 6,
        description:
          "The margins whose totals the weights reproduce, each counted from the campaign's frame (every dossier completed in the period)"
      }
    )
  },
  {
    additionalProperties: false,
    description:
      "Weights calibrated to the frame's totals (Deville & Särndal 1992), as R survey computes them. `calibration`: a sampled campaign's official figures, the sample's weights N_h/r_h calibrated (GREG: method linear); null or absent, N_h/r_h as the published method says. `afterService`: the after-service index (responses to frame dossiers that were not drawn, published beside the official figures), base weight 1 calibrated; post-stratified by unit when absent, units without any after-service response left out of its totals",
    examples: [{ method: 'linear', margins: [['unit'], ['channel'], ['subjectType']] }]
  }
)
export type Calibration = Static<typeof Calibration>

/** The after-service index's weighting when the campaign sets none. */
export const DEFAULT_AFTER_SERVICE: Calibration = { method: 'poststratify', margins: [['unit']] }

const editable = {
  name: Type.String({ minLength: 1, maxLength: 300, examples: ['Đo lường SIPAS tỉnh Phú Thọ năm 2026'] }),
  year: CampaignYear,
  provinceId: Uuid,
  instrument: InstrumentRef,
  units: Type.Array(Uuid, {
    minItems: 1,
    maxItems: 10_000,
    description: 'The units measured (each with its own results)'
  }),
  periodStart: Type.String({
    format: 'date',
    description: 'Reference period: procedures completed from…',
    examples: ['2025-10-01']
  }),
  periodEnd: Type.String({ format: 'date', examples: ['2026-09-30'] }),
  collectionStart: Type.String({
    format: 'date',
    description: 'Responses are accepted from…',
    examples: ['2026-10-01']
  }),
  collectionEnd: Type.String({ format: 'date', examples: ['2026-11-30'] }),
  marginOfError: Type.Number({ exclusiveMinimum: 0, maximum: 0.5, default: 0.05 }),
  confidenceLevel: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95 }),
  channels: Type.Array(ResponseChannel, { minItems: 1, uniqueItems: true, default: ['interview'] }),
  sampled: Type.Boolean({
    default: true,
    description: 'false for campaigns of self-selected responses only (no sample, no design-based intervals)'
  }),
  scoring: Type.Optional(ScoringOptions),
  parRule: Type.Optional(
    Type.Union([ParRule, Type.Null()], {
      description: 'How the overall index turns into PAR INDEX points; none by default'
    })
  ),
  calibration: Type.Optional(
    Type.Union([Calibration, Type.Null()], {
      description: "The official figures' calibration to the frame's margins (a sampled campaign's); null: N_h/r_h"
    })
  ),
  afterService: Type.Optional(Calibration),
  breakdownMinimum: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 30,
    description:
      'A breakdown category (a profile answer such as a sex or an age group) with fewer respondents than this is suppressed: no figure, marked as such'
  }),
  groups: Type.Optional(
    Type.Array(PeerGroup, {
      maxItems: 50,
      description:
        'Peer groups (khối): units are ranked within their group, and each group has its figures. None by default (one ranking of every unit)',
      examples: [
        [
          { code: 'so-nganh', name: 'Khối sở, ban, ngành', units: ['5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11'] },
          { code: 'xa-phuong', name: 'Khối xã, phường', units: ['7d2e9f3a-1c4b-4e6d-8a7f-2b3c4d5e6f70'] }
        ]
      ]
    })
  ),
  provinceFigure: { ...ProvinceFigure, default: 'pooled' },
  targets: Type.Optional(
    Type.Array(Target, {
      maxItems: 20,
      description:
        "What each overall index is judged against: the province's own target for the year, and targets for some units. The national ones (Nghị quyết 76/NQ-CP: 90% by 2025, 95% by 2030) when absent",
      examples: [
        [
          { value: 0.8401, name: 'Kế hoạch của UBND tỉnh năm 2026' },
          { value: 0.9, name: 'Nghị quyết 76/NQ-CP, 2025' }
        ]
      ]
    })
  )
}

export const CampaignInput = Type.Object(editable, {
  $id: 'CampaignInput',
  additionalProperties: false,
  examples: [
    {
      name: 'Đo lường SIPAS tỉnh Phú Thọ năm 2026',
      year: 2026,
      provinceId: '0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77',
      instrument: { code: 'SIPAS-2017', version: 1 },
      units: ['5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11'],
      periodStart: '2025-10-01',
      periodEnd: '2026-09-30',
      collectionStart: '2026-10-01',
      collectionEnd: '2026-11-30',
      channels: ['interview']
    }
  ]
})
export type CampaignInput = Static<typeof CampaignInput>
/**
 * A field of a patch without its default: the validator fills defaults in, and a patch must change what it names
 * and nothing else (with them, renaming a campaign set its channels, margin and sampling back to the defaults).
 */
const withoutDefault = <T extends TSchema>(schema: T): T => {
  const { default: _default, ...rest } = schema as T & { default?: unknown }
  return rest as T
}
const patchable = Object.fromEntries(
  Object.entries(editable).map(([field, schema]) => [field, withoutDefault(schema)])
) as typeof editable
export const CampaignPatch = Type.Partial(Type.Object(patchable), { $id: 'CampaignPatch', additionalProperties: false })

export const Campaign = Type.Object(
  {
    id: Uuid,
    status: CampaignStatus,
    name: Type.String(),
    year: Type.Integer(),
    provinceId: Uuid,
    instrument: Type.Object({ id: Uuid, code: Type.String(), version: Type.Integer() }),
    units: Type.Array(Uuid),
    periodStart: IsoDate,
    periodEnd: IsoDate,
    collectionStart: IsoDate,
    collectionEnd: IsoDate,
    marginOfError: Type.Number(),
    confidenceLevel: Type.Number(),
    channels: Type.Array(ResponseChannel),
    sampled: Type.Boolean(),
    scoring: ScoringOptions,
    parRule: Type.Union([ParRule, Type.Null()]),
    targets: Type.Array(Target, { description: "The campaign's targets, or the national ones when it set none" }),
    calibration: Type.Union([Calibration, Type.Null()], {
      description: "The official figures' calibration to the frame's margins; null: N_h/r_h"
    }),
    afterService: Calibration,
    breakdownMinimum: Type.Integer({ minimum: 1 }),
    groups: Type.Array(PeerGroup, { description: 'The peer groups; empty when units are ranked all together' }),
    provinceFigure: ProvinceFigure,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' })
  },
  { $id: 'Campaign' }
)
export type Campaign = Static<typeof Campaign>

export const CampaignQuery = Type.Object({
  year: Type.Optional(CampaignYear),
  provinceId: Type.Optional(Uuid),
  status: Type.Optional(CampaignStatus)
})

export const TransitionInput = Type.Object(
  {
    to: CampaignStatus,
    note: Type.Optional(Type.String({ maxLength: 1000 }))
  },
  { $id: 'TransitionInput', additionalProperties: false, examples: [{ to: 'sampling' }] }
)

export const CampaignEvent = Type.Object(
  {
    from: CampaignStatus,
    to: CampaignStatus,
    actor: Type.String({ examples: ['admin'] }),
    note: Type.Union([Type.String(), Type.Null()]),
    at: Type.String({ format: 'date-time' })
  },
  { $id: 'CampaignEvent' }
)
