import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'
import { MISSING } from './batch.js'
import { answerColumns, criteriaOf, type Instrument, type Item } from './instrument.js'

/**
 * The registry of index methods a campaign chooses from, by name, with the defaults of the methodology
 * (QĐ 2640/QĐ-BNV; the README's "Scoring" section has the table of options): criterion = weighted share
 * satisfied among valid answers; factor = mean of its criteria; overall = mean of the factors; "no answer"
 * excluded from the denominator.
 */
export const ScoringOptions = Type.Object(
  {
    noAnswer: Type.Enum(['exclude', 'not-satisfied'], {
      default: 'exclude',
      description: '"exclude": no-answer leaves the denominator; "not-satisfied": it counts as not satisfied'
    }),
    factorMethod: Type.Enum(['mean-of-criteria', 'pooled', 'overall-item'], {
      default: 'mean-of-criteria',
      description:
        "mean of the criterion indices; share satisfied over all valid answers of the factor; or the factor's own overall item"
    }),
    overallMethod: Type.Enum(['mean-of-factors', 'pooled', 'overall-item'], {
      default: 'mean-of-factors',
      description: 'mean of the factor indices; share satisfied over all valid criterion answers; or the overall item'
    }),
    interval: Type.Enum(['logit', 'beta', 'wilson'], {
      default: 'logit',
      description: 'R svyciprop "logit" (default) or "beta" (Korn–Graubard), or Wilson on the effective sample size'
    }),
    level: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95 }),
    lonelyPsu: Type.Enum(['fail', 'adjust', 'average'], {
      default: 'fail',
      description: 'R survey.lonely.psu: a stratum with one PSU is an error, or "adjust"/"average"'
    }),
    meanScore: Type.Boolean({
      default: false,
      description: "also publish each criterion's mean-score view, (mean level − 1)/4"
    })
  },
  { $id: 'ScoringOptions', additionalProperties: false }
)
export type ScoringOptions = Static<typeof ScoringOptions>

export class OptionsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OptionsError'
  }
}

/** Fills in the defaults and validates; throws OptionsError naming the bad option. */
export function scoringOptions(input: unknown = {}): ScoringOptions {
  const value = Value.Default(ScoringOptions, structuredClone(input ?? {}))
  const errors = Value.Errors(ScoringOptions, value)
  if (errors.length > 0) throw new OptionsError(errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '))
  return value as ScoringOptions
}

/** One ratio Σ w·y / Σ w·x, where y and x of a row are summed over `columns` through per-slot tables. */
export interface Ratio {
  columns: number[]
  y: Float64Array
  x: Float64Array
}

export type IndexKind =
  'criterion' | 'factor' | 'overall' | 'satisfaction' | 'perception' | 'expectation' | 'mean-score'

/** An index: Σ_r coef_r · R_r, published as `scale · (that) + offset`; `proportion` ones get proportion CIs. */
export interface IndexSpec {
  code: string
  kind: IndexKind
  ratios: Ratio[]
  coefs: number[]
  proportion: boolean
  scale: number
  offset: number
  /** Single column and single ratio: its SE follows from the per-slot tallies alone. */
  simple: boolean
}

/** Slots are answer codes 0..MAX_CODE, and the last slot holds MISSING. */
export const slotCount = (instrument: Instrument): number => {
  const codes = instrument.items.flatMap((item) =>
    'options' in item ? item.options.map((o) => o.value) : instrument.scale.levels.map((l) => l.value)
  )
  return Math.max(instrument.scale.noAnswer, 1, ...codes) + 2
}
export const slotOf = (value: number, slots: number): number => (value === MISSING ? slots - 1 : value)

/**
 * The indices of an instrument under the chosen methods, against the batch's columns (a column the batch
 * lacks is all missing). Order: criteria, factors, overall, satisfaction items, perception, expectation
 * options, mean scores.
 */
export function indexSpecs(instrument: Instrument, options: ScoringOptions, columns: readonly string[]): IndexSpec[] {
  const S = slotCount(instrument)
  const table = (values: Iterable<number>, weight: (v: number) => number = () => 1) => {
    const t = new Float64Array(S)
    for (const v of values) t[slotOf(v, S)] = weight(v)
    return t
  }
  const levels = instrument.scale.levels.map((l) => l.value)
  const valid = table(options.noAnswer === 'exclude' ? levels : [...levels, instrument.scale.noAnswer])
  const satisfied = table(instrument.scale.satisfied)
  const column = (code: string) => columns.indexOf(code)
  const present = (codes: string[]) => codes.map(column).filter((c) => c >= 0)
  const ratio = (codes: string[], y: Float64Array, x: Float64Array): Ratio => ({ columns: present(codes), y, x })
  const single = (code: string, kind: IndexKind, r: Ratio, proportion = true, scale = 1, offset = 0): IndexSpec => ({
    code,
    kind,
    ratios: [r],
    coefs: [1],
    proportion,
    scale,
    offset,
    simple: r.columns.length <= 1
  })
  const mean = (code: string, kind: IndexKind, parts: IndexSpec[]): IndexSpec => ({
    code,
    kind,
    ratios: parts.flatMap((p) => p.ratios),
    coefs: parts.flatMap((p) => p.coefs.map((c) => c / parts.length)),
    proportion: true,
    scale: 1,
    offset: 0,
    simple: parts.length === 1 && parts[0].simple
  })
  const overallItem = (factor: string | undefined): Item => {
    const item = instrument.items.find((i) => i.kind === 'satisfaction' && i.factor === factor)
    if (!item) throw new OptionsError(`the instrument has no overall satisfaction item for ${factor ?? 'the service'}`)
    return item
  }
  const satisfactionRatio = (code: string) => ratio([code], satisfied, valid)

  const criterionCodes = instrument.items.filter((i) => i.kind === 'criterion').map((i) => i.code)
  const criteria = criterionCodes.map((code) => single(code, 'criterion', satisfactionRatio(code)))
  const byCode = new Map(criteria.map((c) => [c.code, c]))
  const factors = instrument.factors.map((f) => {
    const codes = criteriaOf(instrument, f.code).map((i) => i.code)
    if (options.factorMethod === 'pooled') return single(f.code, 'factor', ratio(codes, satisfied, valid))
    if (options.factorMethod === 'overall-item')
      return single(f.code, 'factor', satisfactionRatio(overallItem(f.code).code))
    return mean(
      f.code,
      'factor',
      codes.map((c) => byCode.get(c)!)
    )
  })
  const overall =
    options.overallMethod === 'pooled'
      ? single('overall', 'overall', ratio(criterionCodes, satisfied, valid))
      : options.overallMethod === 'overall-item'
        ? single('overall', 'overall', satisfactionRatio(overallItem(undefined).code))
        : mean('overall', 'overall', factors)

  const others = instrument.items.flatMap((item): IndexSpec[] => {
    if (item.kind === 'satisfaction') return [single(item.code, 'satisfaction', satisfactionRatio(item.code))]
    if (item.kind === 'perception') {
      return [
        single(
          item.code,
          'perception',
          ratio([item.code], table(item.positive), table(item.options.map((o) => o.value)))
        )
      ]
    }
    if (item.kind === 'expectation') {
      // One 0/1 column per option; a respondent who answered the question has 0 or 1 in each.
      return answerColumns({ ...instrument, items: [item] }).map((code) =>
        single(code, 'expectation', ratio([code], table([1]), table([0, 1])))
      )
    }
    return []
  })
  const meanScores = options.meanScore
    ? criterionCodes.map((code) =>
        single(
          `${code}.mean`,
          'mean-score',
          ratio(
            [code],
            table(levels, (v) => v),
            valid
          ),
          false,
          0.25,
          -0.25
        )
      )
    : []
  return [...criteria, ...factors, overall, ...others, ...meanScores]
}
