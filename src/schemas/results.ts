import Type, { type Static } from 'typebox'
import { Uuid } from './common.js'
import { Calibration, PeerGroup } from './campaigns.js'
import { ScoringOptions } from '../scoring/index.js'

/**
 * What the service publishes: the figures src/domain/results.ts builds from the scoring core, the document a
 * publication freezes, and the reads portals make of it. Every property the domain writes is named here:
 * fastify serialises responses with these schemas and drops whatever they leave out.
 *
 * Figure, TargetGap, IndexRanks and UnitResult occur several times in one response, where fastify's serialiser refuses
 * a repeated $id: they have none, and the OpenAPI document names them (NAMED_SCHEMAS: plugins/openapi.ts
 * adds them as components, plugins/openapi-contract.ts refers to them) so clients get one type for each.
 */

const Percent = Type.Number({ description: 'Percent (0–100), unrounded: round for display only' })
const Pair = (description: string) => Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description })

export const Figure = Type.Object(
  {
    answers: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          "Valid answers behind the figure, pooled over its questions: several per respondent for a factor or the overall index, so never the sample size (that is the unit's `respondents`). Absent from documents published before it was added"
      })
    ),
    n: Type.Integer({
      minimum: 0,
      deprecated: true,
      description: 'The same count as `answers`, under its former name: kept for documents published before'
    }),
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
      Type.Literal(true, {
        description:
          'Self-selected responses, not a probability sample: no SE or interval, or (the after-service index) those of its calibration to the frame, which hold only as far as the calibration model does'
      })
    )
  },
  {
    description: 'One published index in percent, unrounded, with its precision',
    examples: [{ answers: 1520, n: 1520, estimate: 87.41, se: 1.12, ci: [85.06, 89.45], ciMethod: 'logit', df: 38 }]
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

export const Difference = Type.Object(
  {
    estimate: Type.Number({ description: "The unit's figure minus the province's, in percentage points" }),
    se: Type.Number({
      minimum: 0,
      description: 'Its design-based SE, with the covariance of the unit and its province'
    }),
    ci: Type.Union([Pair('Its confidence interval [lower, upper], in points, at the campaign level'), Type.Null()]),
    verdict: Type.Enum(['above', 'below', 'not-distinguishable'], {
      description: 'above or below when the interval excludes 0'
    })
  },
  { description: "One index of a unit against the province's" }
)

export const Diagnosis = Type.Object(
  {
    differences: Type.Record(Type.String(), Difference, {
      description: "By criterion code: the unit's figure against the province's pooled figure"
    }),
    strengths: Type.Array(Type.String(), {
      description: 'Criteria significantly above the province, the largest difference first'
    }),
    weaknesses: Type.Array(Type.String(), {
      description: 'Criteria significantly below the province, the largest shortfall first: what to fix'
    })
  },
  {
    description:
      "What a unit does better or worse than its province: each criterion against the province's pooled figure (the unit a domain inside it, R's svycontrast of the two ratios with their covariance). Absent from the province, from documents computed before it and from non-probability figures",
    examples: [
      {
        differences: {
          'F2.5': { estimate: -6.31, se: 1.42, ci: [-9.1, -3.52], verdict: 'below' },
          'F1.1': { estimate: 0.42, se: 0.97, ci: [-1.48, 2.32], verdict: 'not-distinguishable' }
        },
        strengths: [],
        weaknesses: ['F2.5']
      }
    ]
  }
)

export type Diagnosis = Static<typeof Diagnosis>

const changeOfFigure = {
  previous: Type.Number({ description: "That year's figure, in percent" }),
  previousRank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description: 'Its rank among all units that year; null without one (imported figures, the province)'
  }),
  estimate: Type.Number({ description: 'This figure minus that one, in points' }),
  se: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
    description: "The change's SE: two independent samples, variances added (null against an imported figure)"
  }),
  ci: Type.Union([Pair('Its interval [lower, upper], in points, at the campaign level'), Type.Null()]),
  significant: Type.Union([Type.Boolean(), Type.Null()], {
    description: 'The interval excludes 0; null without an SE to judge it by'
  }),
  places: Type.Union([Type.Integer(), Type.Null()], {
    description: "Places gained (+) or lost (−) among all units against that year's rank; null without both ranks"
  })
}

export const IndexChange = Type.Object(changeOfFigure, {
  description:
    "A factor's or criterion's figure against the same index of that year's publication, and its rank among all units against that year's",
  examples: [
    { previous: 71.3, previousRank: 9, estimate: 5.2, se: 1.6, ci: [2.06, 8.34], significant: true, places: 4 }
  ]
})
export type IndexChange = Static<typeof IndexChange>

const IndexChanges = (description: string) =>
  Type.Optional(
    Type.Record(Type.String(), IndexChange, {
      description: `${description}: the indices with a figure in both years (absent from documents frozen before)`
    })
  )

export const Change = Type.Object(
  {
    year: Type.Integer({ description: 'The year compared with' }),
    unitId: Type.String({
      format: 'uuid',
      description: 'The unit whose figure that year is compared: this one, or the one unit merged into it'
    }),
    imported: Type.Boolean({
      description: "That year's figure was imported from a decision before the service (no SE)"
    }),
    ...changeOfFigure,
    previous: Type.Number({ description: "That year's overall index, in percent" }),
    estimate: Type.Number({ description: 'This overall index minus that one, in points' }),
    factors: IndexChanges('By factor code'),
    criteria: IndexChanges('By criterion code')
  },
  {
    description:
      "The overall index, and each factor and criterion, against the province's publication of the year before (or that year's imported figures), frozen with the draft; a unit formed from one other unit is compared with it, one formed from several with none. Absent without an overall figure to compare",
    examples: [
      {
        year: 2025,
        unitId: '5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11',
        imported: false,
        previous: 84.2,
        previousRank: 3,
        estimate: 2.4,
        se: 0.9,
        ci: [0.64, 4.16],
        significant: true,
        places: 1,
        factors: {
          F3: {
            previous: 71.3,
            previousRank: 9,
            estimate: 5.2,
            se: 1.6,
            ci: [2.06, 8.34],
            significant: true,
            places: 4
          }
        },
        criteria: {
          'F3.2': {
            previous: 66,
            previousRank: 12,
            estimate: -1.1,
            se: 2.1,
            ci: [-5.22, 3.02],
            significant: false,
            places: -2
          }
        }
      }
    ]
  }
)
export type Change = Static<typeof Change>

/** Rankings of factors and criteria with rank sets up to this many units; beyond, point ranks (README). */
export const INDEX_RANK_SET_UNITS = 60

export const IndexRank = Type.Object(
  {
    rank: Type.Integer({ minimum: 1, description: 'Best first; equal figures share a rank' }),
    rankInterval: Type.Union([Pair('Confidence set of the rank [best, worst]'), Type.Null()], {
      description: `Null in a ranking of more than ${INDEX_RANK_SET_UNITS} units: point ranks only (a rank set costs the square of the units)`
    })
  },
  { description: 'A rank and its confidence set' }
)

export const IndexRanks = Type.Object(
  {
    factors: Type.Record(Type.String(), IndexRank, { description: 'By factor code' }),
    criteria: Type.Record(Type.String(), IndexRank, { description: 'By criterion code' })
  },
  {
    description:
      "The unit's rank on each factor and criterion it has a figure for, with rank sets as the overall rank's (marginal, at the campaign level): `ranks` among every unit of the campaign, `group.ranks` among the unit's peers. Absent for the province and from documents computed before",
    examples: [
      {
        factors: { F1: { rank: 2, rankInterval: [1, 4] }, F2: { rank: 7, rankInterval: [5, 11] } },
        criteria: { 'F2.3': { rank: 12, rankInterval: [8, 15] } }
      }
    ]
  }
)
export type IndexRanks = Static<typeof IndexRanks>

export const UnitResult = Type.Object(
  {
    unitId: Uuid,
    code: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    level: Type.String({ examples: ['province', 'commune', 'agency'] }),
    respondents: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'People whose responses the figures count: the sample size. Absent from documents published before it was added (then read `responses`)'
      })
    ),
    responses: Type.Integer({
      minimum: 0,
      deprecated: true,
      description: 'The same count as `respondents`, under its former name'
    }),
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
    rank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      description: 'Among every unit of the campaign (with peer groups, see `group.rank` for the rank among peers)'
    }),
    rankInterval: Type.Union([Pair('Confidence set of the rank [best, worst]'), Type.Null()]),
    ranks: Type.Optional(IndexRanks),
    group: Type.Optional(
      Type.Object(
        {
          code: Type.String({ examples: ['xa-phuong'] }),
          rank: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
            description: "Among the group's units, best first (null: no overall figure)"
          }),
          rankInterval: Type.Union([Pair('Confidence set of the rank among the peers [best, worst]'), Type.Null()]),
          ranks: Type.Optional(IndexRanks)
        },
        {
          description: "The unit's peer group (khối) and its rank there; absent when the unit is in none",
          examples: [{ code: 'xa-phuong', rank: 3, rankInterval: [1, 7] }]
        }
      )
    ),
    targets: Type.Array(TargetGap),
    diagnosis: Type.Optional(Diagnosis),
    change: Type.Optional(Change),
    parPoints: Type.Union([Type.Number(), Type.Null()], {
      description: "PAR INDEX points by the campaign's rule (null without one)"
    }),
    quality: Type.Optional(
      Type.Array(
        Type.Object({
          code: Type.Enum(['straight-lining', 'lonely-psu'], {
            description:
              '"straight-lining": respondents who gave one level to every criterion; "lonely-psu" (the province): a stratum whose sample holds one PSU'
          }),
          subject: Type.String({ description: 'The unit, or the stratum' }),
          count: Type.Integer({ minimum: 0 }),
          detail: Type.String()
        }),
        {
          description:
            "Data-quality flags of the unit's responses (the province's: of its strata); absent from documents computed before",
          examples: [
            [
              {
                code: 'straight-lining',
                subject: '3f1d6a7e-8c2b-4b8e-9d0a-6e5f4c3b2a19',
                count: 12,
                detail: '12 of 988 respondents gave one level to every criterion'
              }
            ]
          ]
        }
      )
    )
  },
  { description: "A unit's (or the province's) published figures" }
)
export type UnitResult = Static<typeof UnitResult>

const Margins = Type.Array(Type.Array(Type.String()), {
  description: 'The margins calibrated to, each a variable or a cross-classification',
  examples: [[['unit'], ['channel'], ['subjectType']]]
})

export const Weighting = Type.Object(
  {
    method: Type.Enum(['stratified', 'unweighted', 'poststratify', 'linear', 'raking'], {
      description:
        '"stratified": N_h/r_h in each stratum of the drawn sample (the published method); "unweighted": self-selected responses; otherwise the calibration to the frame\'s totals (R survey postStratify, or calibrate with calfun "linear" (GREG) or "raking")'
    }),
    margins: Type.Union([Margins, Type.Null()]),
    description: Type.String({
      description: 'The weighting in words',
      examples: [
        'N_h/r_h within each stratum of the drawn sample, calibrated by GREG (R survey calibrate, calfun "linear") to the frame\'s totals of unit; channel; subjectType'
      ]
    })
  },
  { description: 'How the figures beside it were weighted' }
)
export type Weighting = Static<typeof Weighting>

const Count = (description: string) => Type.Integer({ minimum: 0, description })
const countsOf = {
  posted: Count('Responses stored'),
  sample: Count('Answering a drawn sample slot'),
  afterService: Count(
    "With the dossier code of a frame record not in the sample (not drawn, or a reserve not released): the after-service index's"
  ),
  unlinked: Count('Neither: no dossier code, or one the frame does not hold (yet)')
}

export const ResponseCounts = Type.Object(
  {
    ...countsOf,
    official: Count(
      'In the official figures: the sample of a sampled campaign; every response of a campaign without one'
    ),
    excluded: Type.Array(
      Type.Object({
        reason: Type.Enum(['after-service', 'unlinked'], {
          description:
            '"after-service": counted in the after-service index instead; "unlinked": answers no drawn slot and no frame record'
        }),
        responses: Count('Responses left out for this reason')
      }),
      { description: 'What the official figures leave out, and why: official + these = posted' }
    ),
    units: Type.Array(Type.Object({ unitId: Uuid, ...countsOf }), {
      description: 'The same counts by the unit each response was posted for'
    })
  },
  {
    description: 'How every stored response of the campaign counts',
    examples: [
      {
        posted: 130,
        sample: 100,
        afterService: 25,
        unlinked: 5,
        official: 100,
        excluded: [
          { reason: 'after-service', responses: 25 },
          { reason: 'unlinked', responses: 5 }
        ],
        units: [
          {
            unitId: '5a1c8e2e-2b0f-4d0e-9a51-8d3b1f0c7e11',
            posted: 130,
            sample: 100,
            afterService: 25,
            unlinked: 5
          }
        ]
      }
    ]
  }
)
export type ResponseCounts = Static<typeof ResponseCounts>

/** A unit's after-service figures: its indices, every one flagged non-probability; never ranked nor judged. */
export const AfterServiceUnit = Type.Object(
  {
    unitId: UnitResult.properties.unitId,
    code: UnitResult.properties.code,
    name: UnitResult.properties.name,
    level: UnitResult.properties.level,
    respondents: Type.Optional(
      Type.Integer({ minimum: 0, description: 'People whose after-service responses the figures count' })
    ),
    responses: Type.Integer({
      minimum: 0,
      deprecated: true,
      description: 'The same count as `respondents`, under its former name'
    }),
    overall: UnitResult.properties.overall,
    factors: UnitResult.properties.factors,
    criteria: UnitResult.properties.criteria,
    satisfaction: UnitResult.properties.satisfaction,
    perception: UnitResult.properties.perception,
    expectations: UnitResult.properties.expectations
  },
  { description: "A unit's (or the province's) after-service index: non-probability, weighted to the frame" }
)
export type AfterServiceUnit = Static<typeof AfterServiceUnit>

export const AfterServiceResults = Type.Object(
  {
    weighting: Weighting,
    respondents: Type.Integer({ minimum: 0, description: 'After-service responses behind the index' }),
    population: Type.Integer({
      minimum: 0,
      description: 'Frame records the index is weighted to: those of the units with after-service responses'
    }),
    unitsLeftOut: Type.Array(Type.Object({ unitId: Uuid, population: Count("The unit's frame records") }), {
      description: 'Units whose frame records have no after-service response: outside the index and its totals'
    }),
    province: Type.Union([AfterServiceUnit, Type.Null()], { description: 'Null without after-service responses' }),
    units: Type.Array(AfterServiceUnit, { description: 'The campaign units with after-service responses' })
  },
  {
    description:
      "The after-service index: ratings of dossiers that were not drawn (kiosks, QR pages, one-stop-shop software), each in its frame record's unit, channel and subject type, weighted to the frame's totals. A non-probability source published beside the official figures, never inside them"
  }
)
export type AfterServiceResults = Static<typeof AfterServiceResults>

export const BreakdownCategory = Type.Object(
  {
    value: Type.String({
      description: "The answer's code in the questionnaire, or the frame's value (a field's or procedure's code)",
      examples: ['2']
    }),
    label: Type.String({
      description: 'Its words (a procedure: its name in the frame, else its code)',
      examples: ['Nữ']
    }),
    respondents: Type.Integer({ minimum: 0, description: 'People in the province who gave this answer' }),
    suppressed: Type.Boolean({
      description: "Fewer respondents than the campaign's `breakdownMinimum`: no figure is given"
    }),
    overall: Type.Union([Figure, Type.Null()]),
    factors: Figures('By factor code; empty when suppressed')
  },
  {
    description:
      "The province's figures among the respondents who gave one answer to a profile item (or whose frame record has one value)"
  }
)

export const Breakdown = Type.Object(
  {
    variable: Type.String({
      description:
        "The profile item's code, or `frame.subjectType` / `frame.channel` / `frame.field` / `frame.procedure`: the respondent type, channel, field or procedure of each response's frame record (a sampled campaign with a frame)",
      examples: ['GENDER']
    }),
    label: Type.String({ examples: ['Giới tính'] }),
    minimumRespondents: Type.Integer({ minimum: 1, description: 'Categories with fewer respondents are suppressed' }),
    categories: Type.Array(BreakdownCategory, {
      description:
        "Every answer of the item, in the questionnaire's order (respondent type and channel: every value of the vocabulary); a field's or procedure's codes as met, the most respondents first"
    })
  },
  {
    description:
      "The province's figures by one profile item of the questionnaire (sex, age group, occupation, how the dossier was submitted, …): each category a domain of the full design, R's subset(design, item == answer), with design-based SEs",
    examples: [
      {
        variable: 'CHANNEL',
        label: 'Hình thức nộp hồ sơ',
        minimumRespondents: 30,
        categories: [
          {
            value: '1',
            label: 'Trực tiếp',
            respondents: 14670,
            suppressed: false,
            overall: {
              answers: 310412,
              n: 310412,
              estimate: 85.21,
              se: 0.06,
              ci: [85.09, 85.33],
              ciMethod: 'logit',
              df: 14646
            },
            factors: {}
          },
          { value: '4', label: 'Điện thoại', respondents: 21, suppressed: true, overall: null, factors: {} }
        ]
      }
    ]
  }
)
export type Breakdown = Static<typeof Breakdown>

export const GroupResult = Type.Object(
  {
    code: Type.String({ examples: ['xa-phuong'] }),
    name: Type.String({ examples: ['Khối xã, phường'] }),
    instrument: PeerGroup.properties.instrument,
    respondents: Type.Integer({ minimum: 0, description: "People whose responses the group's figures count" }),
    overall: UnitResult.properties.overall,
    factors: UnitResult.properties.factors,
    criteria: UnitResult.properties.criteria,
    targets: Type.Array(TargetGap, { description: 'The targets for every unit, and those naming the group' }),
    units: Type.Array(Uuid, { description: "The group's units, ranked among themselves: best first, unranked last" })
  },
  {
    description:
      "A peer group's figures: the group a domain of the full design (R's subset(design, unit %in% group)), with design-based SEs, and its units' ranking",
    examples: [
      {
        code: 'xa-phuong',
        name: 'Khối xã, phường',
        respondents: 16204,
        overall: {
          answers: 344120,
          n: 344120,
          estimate: 84.32,
          se: 0.21,
          ci: [83.9, 84.73],
          ciMethod: 'logit',
          df: 16182
        },
        factors: {},
        criteria: {},
        targets: [{ target: 0.9, name: 'Nghị quyết 76/NQ-CP, 2025', gap: -0.0568, status: 'not-met' }],
        units: ['7d2e9f3a-1c4b-4e6d-8a7f-2b3c4d5e6f70']
      }
    ]
  }
)
export type GroupResult = Static<typeof GroupResult>

export const ProvinceFigureMethod = Type.Object(
  {
    method: Type.Enum(['pooled', 'mean-of-groups']),
    description: Type.String({
      examples: ["The unweighted mean of the 3 peer groups' figures; its SE from their covariance over the design"]
    })
  },
  {
    description: "How the province's figures were made (the campaign's `provinceFigure`)",
    examples: [
      {
        method: 'mean-of-groups',
        description:
          "The unweighted mean of the 3 peer groups' figures; its SE from their covariance over the design (Wald interval)"
      }
    ]
  }
)

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
    weighting: Type.Optional(Weighting),
    counts: Type.Optional(ResponseCounts),
    province: UnitResult,
    provinceFigure: Type.Optional(ProvinceFigureMethod),
    comparedWith: Type.Optional(
      Type.Object(
        {
          year: Type.Integer(),
          source: Type.Enum(['publication', 'imported', 'none'], {
            description:
              "The province's publication that year, the figures imported from its decision, or nothing to compare with"
          }),
          publicationId: Type.Union([Uuid, Type.Null()])
        },
        {
          description:
            "What each unit's `change` compares with, fixed when the draft was made; absent from documents drafted before (their report compares when it is read)",
          examples: [{ year: 2025, source: 'publication', publicationId: '0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77' }]
        }
      )
    ),
    units: Type.Array(UnitResult, { description: 'Ranked, best first; unranked units last' }),
    groups: Type.Optional(
      Type.Array(GroupResult, {
        description: "The campaign's peer groups, in its order; absent from documents computed before them"
      })
    ),
    afterService: Type.Optional(AfterServiceResults),
    breakdowns: Type.Optional(
      Type.Array(Breakdown, {
        description:
          "The official figures of the province by each profile item of the questionnaire and by the frame record's respondent type, channel, field and procedure; absent from documents computed before"
      })
    )
  },
  {
    $id: 'CampaignResults',
    description:
      'The official figures (province and units), how they were weighted and which responses they count, and the after-service index beside them. Documents computed before the after-service index lack `weighting`, `counts` and `afterService`'
  }
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

const ImportedOverall = Type.Object(
  { estimate: Percent, imported: Type.Literal(true) },
  { description: 'A figure published before the service, imported as published: the point figure only' }
)

export const SeriesPoint = Type.Object(
  {
    year: Type.Integer(),
    campaignId: Type.Union([Uuid, Type.Null()], { description: 'null for an imported figure' }),
    publicationId: Type.Union([Uuid, Type.Null()], { description: 'null for an imported figure' }),
    unitId: Uuid,
    viaPredecessor: Type.Boolean({ description: 'The figure is of a unit later merged into this one' }),
    imported: Type.Boolean({
      description: 'Published before the service and imported (POST /v1/history): no SE, no interval'
    }),
    source: Type.Union([Type.String(), Type.Null()], {
      description: 'The document that published an imported figure',
      examples: ['Quyết định số 456/QĐ-UBND ngày 20/12/2023 của UBND tỉnh Phú Thọ']
    }),
    overall: Type.Union([Figure, ImportedOverall, Type.Null()])
  },
  { $id: 'SeriesPoint' }
)
export type SeriesPoint = Static<typeof SeriesPoint>

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
export const NAMED_SCHEMAS = {
  Calibration,
  UnitResult,
  GroupResult,
  AfterServiceResults,
  AfterServiceUnit,
  ResponseCounts,
  Weighting,
  TargetGap,
  Figure,
  IndexRank,
  IndexRanks,
  IndexChange
}
