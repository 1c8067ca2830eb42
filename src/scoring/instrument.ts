import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'

const Code = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,31}$', description: 'Stable item or factor code' })
const Option = Type.Object({ value: Type.Integer({ minimum: 0, maximum: 250 }), label: Type.String() })

const ItemBase = {
  code: Code,
  text: Type.String({ minLength: 1 }),
  required: Type.Optional(Type.Boolean({ description: 'A response must answer it (default false)' }))
}

/** A 1–5 satisfaction question about one criterion of a factor. */
export const CriterionItem = Type.Object({ kind: Type.Literal('criterion'), factor: Code, ...ItemBase })
/** Overall satisfaction with one factor (`factor` set) or with the service as a whole. */
export const SatisfactionItem = Type.Object({
  kind: Type.Literal('satisfaction'),
  factor: Type.Optional(Code),
  ...ItemBase
})
/** A statement about the experience with one positive answer set (e.g. "was the result on time?"). */
export const PerceptionItem = Type.Object({
  kind: Type.Literal('perception'),
  ...ItemBase,
  options: Type.Array(Option, { minItems: 2 }),
  positive: Type.Array(Type.Integer(), { minItems: 1 })
})
/** Needs and expectations: several options may be picked, up to `maxPicks`. */
export const ExpectationItem = Type.Object({
  kind: Type.Literal('expectation'),
  ...ItemBase,
  options: Type.Array(Option, { minItems: 2 }),
  maxPicks: Type.Integer({ minimum: 1 })
})
/** Respondent profile (sex, age band, …), the channel, the procedure's field: single choice. */
export const ProfileItem = Type.Object({
  kind: Type.Literal('profile'),
  ...ItemBase,
  options: Type.Array(Option, { minItems: 1 })
})

export const Item = Type.Union([CriterionItem, SatisfactionItem, PerceptionItem, ExpectationItem, ProfileItem])
export type Item = Static<typeof Item>

export const Instrument = Type.Object(
  {
    code: Code,
    version: Type.Integer({ minimum: 1 }),
    name: Type.String({ minLength: 1 }),
    /** The satisfaction scale shared by criterion and satisfaction items: levels 1..5, satisfied = 4 and 5. */
    scale: Type.Object({
      levels: Type.Array(Option, { minItems: 2 }),
      satisfied: Type.Array(Type.Integer(), { minItems: 1 }),
      noAnswer: Type.Integer({
        minimum: 0,
        description: 'The code of "không trả lời / không biết", kept distinct from a missing value'
      })
    }),
    factors: Type.Array(Type.Object({ code: Code, name: Type.String({ minLength: 1 }) }), { minItems: 1 }),
    items: Type.Array(Item, { minItems: 1 })
  },
  { $id: 'Instrument' }
)
export type Instrument = Static<typeof Instrument>

export class InstrumentError extends Error {
  constructor(readonly problems: Array<{ pointer: string; detail: string }>) {
    super('Invalid instrument: ' + problems.map((p) => `${p.pointer} ${p.detail}`).join('; '))
    this.name = 'InstrumentError'
  }
}

/** Checks the schema and the rules a schema cannot say; returns the instrument or throws InstrumentError. */
export function validateInstrument(input: unknown): Instrument {
  const schemaErrors = Value.Errors(Instrument, input)
  if (schemaErrors.length > 0)
    throw new InstrumentError(schemaErrors.map((e) => ({ pointer: e.instancePath, detail: e.message })))
  const instrument = input as Instrument
  const problems: Array<{ pointer: string; detail: string }> = []
  const add = (pointer: string, detail: string) => problems.push({ pointer, detail })

  const levels = new Set(instrument.scale.levels.map((l) => l.value))
  if (levels.has(instrument.scale.noAnswer)) add('/scale/noAnswer', 'must differ from every level')
  instrument.scale.satisfied.forEach((v, i) => {
    if (!levels.has(v)) add(`/scale/satisfied/${i}`, `${v} is not a level`)
  })

  const factorCodes = new Set<string>()
  instrument.factors.forEach((f, i) => {
    if (factorCodes.has(f.code)) add(`/factors/${i}/code`, `duplicate factor code ${f.code}`)
    factorCodes.add(f.code)
  })
  const itemCodes = new Set<string>()
  const criteriaPerFactor = new Map<string, number>()
  instrument.items.forEach((item, i) => {
    if (itemCodes.has(item.code) || factorCodes.has(item.code)) add(`/items/${i}/code`, `duplicate code ${item.code}`)
    itemCodes.add(item.code)
    if (
      (item.kind === 'criterion' || item.kind === 'satisfaction') &&
      item.factor !== undefined &&
      !factorCodes.has(item.factor)
    ) {
      add(`/items/${i}/factor`, `unknown factor ${item.factor}`)
    }
    if (item.kind === 'criterion') criteriaPerFactor.set(item.factor, (criteriaPerFactor.get(item.factor) ?? 0) + 1)
    if (item.kind === 'perception' || item.kind === 'expectation' || item.kind === 'profile') {
      const values = item.options.map((o) => o.value)
      if (new Set(values).size !== values.length) add(`/items/${i}/options`, 'option values must be unique')
      if (item.kind === 'perception')
        item.positive.forEach((v, j) => {
          if (!values.includes(v)) add(`/items/${i}/positive/${j}`, `${v} is not an option`)
        })
      if (item.kind === 'expectation' && item.maxPicks > item.options.length)
        add(`/items/${i}/maxPicks`, 'exceeds the number of options')
    }
  })
  instrument.factors.forEach((f, i) => {
    if (!criteriaPerFactor.has(f.code)) add(`/factors/${i}`, `factor ${f.code} has no criterion`)
  })
  if (problems.length > 0) throw new InstrumentError(problems)
  return instrument
}

export const criteriaOf = (instrument: Instrument, factor: string) =>
  instrument.items.filter((item) => item.kind === 'criterion' && item.factor === factor)

/**
 * The columns an instrument contributes to a response batch. An expectation item (several picks) becomes one
 * 0/1 column per option, coded `<item>.<option value>`; every other item is one column holding its code.
 */
export function answerColumns(instrument: Instrument): string[] {
  return instrument.items.flatMap((item) =>
    item.kind === 'expectation' ? item.options.map((o) => `${item.code}.${o.value}`) : [item.code]
  )
}

/** An item's answers as scoring reads them: its kind, its factor, its answer codes and which count. */
function answeredAs(item: Item): string {
  if (item.kind === 'criterion' || item.kind === 'satisfaction') return `${item.kind} ${item.factor ?? ''}`
  const values = item.options.map((o) => o.value).sort((a, b) => a - b)
  if (item.kind === 'perception') return `perception ${values} positive ${[...item.positive].sort((a, b) => a - b)}`
  if (item.kind === 'expectation') return `expectation ${values} picks ${item.maxPicks}`
  return `profile ${values}`
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')

/**
 * Why `other` cannot be the questionnaire of some of a campaign's units beside the campaign's own (`main`):
 * their responses are scored together, so the indices must be the same ones: the scale's codes, the factors,
 * the criteria and satisfaction items (codes and factors). Items both hold must be answered alike (kind,
 * answer codes, positive answers, picks). Wording may differ, and each may ask perception, expectation and
 * profile items the other does not: an index of those is over the respondents asked it. Empty: it can.
 */
export function questionnaireMismatches(main: Instrument, other: Instrument): string[] {
  const problems: string[] = []
  const scaleOf = (i: Instrument) =>
    `${i.scale.levels.map((l) => l.value)} satisfied ${i.scale.satisfied} no answer ${i.scale.noAnswer}`
  if (scaleOf(main) !== scaleOf(other)) problems.push(`its scale (${scaleOf(other)}) is not ${scaleOf(main)}`)
  const codes = (i: Instrument) => i.factors.map((f) => f.code)
  if (!sameSet(codes(main), codes(other))) problems.push(`its factors (${codes(other)}) are not ${codes(main)}`)
  for (const kind of ['criterion', 'satisfaction'] as const) {
    const of = (i: Instrument) => i.items.filter((item) => item.kind === kind).map((item) => item.code)
    if (!sameSet(of(main), of(other))) problems.push(`its ${kind} items (${of(other)}) are not ${of(main)}`)
  }
  const mainItems = new Map(main.items.map((item) => [item.code, item]))
  for (const item of other.items) {
    const same = mainItems.get(item.code)
    if (same && answeredAs(same) !== answeredAs(item))
      problems.push(`${item.code} is answered as ${answeredAs(item)}, not as ${answeredAs(same)}`)
  }
  return problems
}

/**
 * The items of a campaign's questionnaires together (`main`'s first, then each other's new ones): what its
 * responses are stored and scored by, a response leaving the items its questionnaire lacks missing.
 */
export function unionOfQuestionnaires(main: Instrument, others: readonly Instrument[]): Instrument {
  const codes = new Set(main.items.map((item) => item.code))
  const added: Item[] = []
  for (const item of others.flatMap((other) => other.items))
    if (!codes.has(item.code)) {
      codes.add(item.code)
      added.push(item)
    }
  return added.length === 0 ? main : { ...main, items: [...main.items, ...added] }
}
