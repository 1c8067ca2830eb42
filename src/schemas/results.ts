import Type, { type Static } from 'typebox'
import { Uuid } from './common.js'
import { ScoringOptions } from '../scoring/index.js'

/**
 * What the service publishes: the figures src/domain/results.ts builds from the scoring core, the document a
 * publication freezes, and the reads portals make of it. Every property the domain writes is named here:
 * fastify serialises responses with these schemas and drops whatever they leave out.
 *
 * Figure, TargetGap and UnitResult occur several times in one response, where fastify's serialiser refuses
 * a repeated $id: they have none, and the OpenAPI document names them (NAMED_SCHEMAS: plugins/openapi.ts
 * adds them as components, plugins/openapi-contract.ts refers to them) so clients get one type for each.
 */

const Percent = Type.Number({ description: 'Percent (0–100), unrounded: round for display only' })
const Pair = (description: string) => Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description })

export const Figure = Type.Object(
  {
    n: Type.Integer({ minimum: 0, description: 'Valid answers behind the figure (pooled over questions)' }),
    estimate: Type.Union([Percent, Type.Null()]),
    se: Type.Union([Type.Number({ minimum: 0, description: 'Design-based standard error, in percent' }), Type.Null()]),
    ci: Type.Union([Pair('Confidence interval [lower, upper] in percent, at the campaign level'), Type.Null()]),
    ciMethod: Type.Union([
      Type.Enum(['logit', 'beta', 'wilson', 'wald'], {
        description: 'The interval actually used: "beta" replaces "logit" at 0% and 100%'
      }),
      Type.Null()
    ]),
    df: Type.Union([Type.Number({ description: 'Degrees of freedom of the design' }), Type.Null()]),
    nonProbability: Type.Optional(
      Type.Literal(true, { description: 'Self-selected responses: no design-based SE or interval' })
    )
  },
  {
    description: 'One published index in percent, unrounded, with its precision',
    examples: [{ n: 1520, estimate: 87.41, se: 1.12, ci: [85.06, 89.45], ciMethod: 'logit', df: 38 }]
  }
)
export type Figure = Static<typeof Figure>

const Figures = (description: string) => Type.Record(Type.String(), Figure, { description })

export const TargetGap = Type.Object(
  {
    target: Type.Number({ description: 'The target as a fraction (Nghị quyết 76/NQ-CP: 0.9 by 2025, 0.95 by 2030)' }),
    name: Type.Optional(Type.String({ description: "The target's name, as the campaign gave it" })),
    gap: Type.Number({ description: 'Estimate − target, as a fraction' }),
    status: Type.Enum(['met', 'not-met', 'undetermined'], {
      description: 'By the confidence interval: met when its lower bound reaches the target'
    })
  },
  { description: "The overall index against one of its campaign's targets (the national ones by default)" }
)

export const UnitResult = Type.Object(
  {
    unitId: Uuid,
    code: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    level: Type.String({ examples: ['province', 'commune', 'agency'] }),
    responses: Type.Integer({ minimum: 0 }),
    responseRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
      description: 'Completed responses over eligible sample slots (null without a sample)'
    }),
    overall: Type.Union([Figure, Type.Null()]),
    factors: Figures('By factor code (F1 … F5)'),
    criteria: Figures('By criterion code (F1.1 …)'),
    satisfaction: Figures("By factor code: the factor's own satisfaction item"),
    perception: Figures('By perception item code'),
    expectations: Type.Array(
      Type.Object({
        code: Type.String(),
        ...Figure.properties,
        rank: Type.Integer({ minimum: 1, description: 'Share wanting it most, highest first' })
      })
    ),
    rank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    rankInterval: Type.Union([Pair('Confidence set of the rank [best, worst]'), Type.Null()]),
    targets: Type.Array(TargetGap),
    parPoints: Type.Union([Type.Number(), Type.Null()], {
      description: "PAR INDEX points by the campaign's rule (null without one)"
    })
  },
  { description: "A unit's (or the province's) published figures" }
)
export type UnitResult = Static<typeof UnitResult>

export const ResultCampaign = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    year: Type.Integer(),
    provinceId: Uuid,
    instrument: Type.Object({ id: Uuid, code: Type.String(), version: Type.Integer() })
  },
  { $id: 'ResultCampaign' }
)

/** The document a computation produces and a publication freezes. */
export const CampaignResults = Type.Object(
  {
    campaign: ResultCampaign,
    responses: Type.Integer({ minimum: 0, description: 'Responses computed' }),
    probability: Type.Boolean({ description: 'true when responses answer a drawn sample (design-based intervals)' }),
    options: ScoringOptions,
    province: UnitResult,
    units: Type.Array(UnitResult, { description: 'Ranked, best first; unranked units last' })
  },
  { $id: 'CampaignResults' }
)
export type CampaignResults = Static<typeof CampaignResults>

/** Text of a decision: not blank. */
const DecisionText = (description: string, maxLength: number, example: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', description, examples: [example] })

/** What approving a draft publication records: the decision of the authority that approved the results. */
export const ApprovalInput = Type.Object(
  {
    approverName: DecisionText('Who signed the approving decision', 200, 'Nguyễn Văn An'),
    approverPosition: DecisionText('Their position', 200, 'Chủ tịch Ủy ban nhân dân tỉnh Phú Thọ'),
    decisionNumber: DecisionText("The decision's number as written on it", 100, '1234/QĐ-UBND'),
    decisionDate: Type.String({
      format: 'date',
      description:
        "The decision's date (a calendar day): neither before the draft was made nor after today, in Vietnam",
      examples: ['2026-12-05']
    }),
    documentSha256: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{64}$',
        description: 'SHA-256 of the signed document (lowercase hex), so that a copy can be checked against it',
        examples: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08']
      })
    )
  },
  { additionalProperties: false }
)
export type ApprovalInput = Static<typeof ApprovalInput>

export const Approval = Type.Object(
  {
    ...ApprovalInput.properties,
    documentSha256: Type.Union([ApprovalInput.properties.documentSha256, Type.Null()]),
    approvedAt: Type.String({
      format: 'date-time',
      description: 'When the approval was recorded: the publication is public from then on',
      examples: ['2026-12-05T08:30:00.000Z']
    })
  },
  { description: "The approval that made the publication public (the recording key's id is in the audit log)" }
)

export const PublicationInfo = Type.Object(
  {
    id: Uuid,
    version: Type.Integer({ minimum: 1 }),
    status: Type.Enum(['draft', 'published'], {
      description: "A draft is seen by the campaign's managers only, until its approval publishes it",
      examples: ['published']
    }),
    createdAt: Type.String({
      format: 'date-time',
      description: 'When the computation was frozen as this (draft) publication',
      examples: ['2026-12-01T03:00:00.000Z']
    }),
    publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When it was approved and so published; null for a draft',
      examples: ['2026-12-05T08:30:00.000Z']
    }),
    replacesId: Type.Union([Uuid, Type.Null()], { description: 'The published publication this one corrects' }),
    note: Type.Union([Type.String(), Type.Null()]),
    approval: Type.Union([Approval, Type.Null()], { description: 'Null for a draft' })
  },
  { $id: 'Publication' }
)
export type PublicationInfo = Static<typeof PublicationInfo>

export const PublicationDocument = Type.Object(
  { ...CampaignResults.properties, publication: PublicationInfo },
  { $id: 'PublicationDocument', description: 'A publication: its results, frozen, and its version' }
)
export type PublicationDocument = Static<typeof PublicationDocument>

export const PublicationSummary = Type.Object(
  {
    id: Uuid,
    campaignId: Uuid,
    name: Type.String(),
    year: Type.Integer(),
    provinceId: Uuid,
    version: Type.Integer({ minimum: 1 }),
    publishedAt: Type.String({ format: 'date-time', description: 'When it was approved, and so published' })
  },
  { $id: 'PublicationSummary' }
)

export const PublishedUnit = Type.Object(
  {
    campaign: ResultCampaign,
    ...UnitResult.properties,
    units: Type.Optional(
      Type.Array(
        Type.Object({
          unitId: Uuid,
          code: Type.Union([Type.String(), Type.Null()]),
          name: Type.String(),
          rank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
          overall: Type.Union([Figure, Type.Null()])
        }),
        { description: "The province only: its units' overall figures, ranked" }
      )
    )
  },
  { $id: 'PublishedUnit', description: "One unit's published result, with its campaign" }
)
export type PublishedUnit = Static<typeof PublishedUnit>

export const SeriesPoint = Type.Object(
  {
    year: Type.Integer(),
    campaignId: Uuid,
    publicationId: Uuid,
    unitId: Uuid,
    viaPredecessor: Type.Boolean({ description: 'The figure is of a unit later merged into this one' }),
    overall: Type.Union([Figure, Type.Null()])
  },
  { $id: 'SeriesPoint' }
)

export const Computation = Type.Object(
  {
    id: Uuid,
    campaignId: Uuid,
    status: Type.Enum(['running', 'done', 'failed'], {
      description: 'A job (202) is running until done or failed; a computation answered 201 is done'
    }),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    error: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    responses: Type.Integer({ minimum: 0 }),
    results: Type.Union([CampaignResults, Type.Null()], { description: 'Once done: the draft results' })
  },
  { $id: 'Computation', description: 'A computation of the indices, or the job computing them' }
)
export type Computation = Static<typeof Computation>

/** Shapes the OpenAPI document names as components wherever they occur: containers before what they contain. */
export const NAMED_SCHEMAS = { UnitResult, TargetGap, Figure }
