import { createHash } from 'node:crypto'
import { shortProcedureCode, vietnamDay } from './frame.js'
import type { Instrument } from '../scoring/instrument.js'
import type { ResponseInput } from '../schemas/responses.js'

/** What validating a response needs to know of its campaign (cached; the questionnaire never changes). */
export interface CampaignContext {
  id: string
  status: string
  collectionStart: string
  collectionEnd: string
  channels: readonly string[]
  instrument: Instrument
  columns: readonly string[]
  /** A unit code or id → the campaign unit it counts for, if in scope. */
  measuredUnit: (unit: string) => string | undefined
}

/** A response ready to store: answers in the instrument's column order, null where missing. */
export interface ValidResponse {
  campaignId: string
  unitId: string
  externalId: string
  channel: string
  collectedAt: Date
  procedureCode: string | null
  fieldCode: string | null
  dossierCode: string | null
  slotId: string | null
  answers: Array<number | null>
  contentHash: string
}

export interface RecordError { pointer: string, detail: string }

/** How an item is answered and where its answer goes in the stored array. */
interface ItemRule {
  codes: Set<number>
  /** Several picks (expectation items): the maximum, and the column of each option; null for one answer. */
  picks: number | null
  optionColumns: Map<number, number>
  column: number
  required: boolean
}

/** The rules of every item of an instrument, worked out once (validation runs per response). */
function rulesOf (instrument: Instrument, columns: readonly string[]): Map<string, ItemRule> {
  const out = new Map<string, ItemRule>()
  const levels = [...instrument.scale.levels.map((l) => l.value), instrument.scale.noAnswer]
  for (const item of instrument.items) {
    const several = item.kind === 'expectation'
    const values = item.kind === 'criterion' || item.kind === 'satisfaction' ? levels : [...item.options.map((o) => o.value), ...(several ? [] : [instrument.scale.noAnswer])]
    out.set(item.code, {
      codes: new Set(values),
      picks: several ? item.maxPicks : null,
      optionColumns: new Map(several ? values.map((v) => [v, columns.indexOf(`${item.code}.${v}`)]) : []),
      column: columns.indexOf(item.code),
      required: item.required === true
    })
  }
  return out
}

const ruleCache = new WeakMap<Instrument, Map<string, ItemRule>>()
const rules = (instrument: Instrument, columns: readonly string[]) => {
  let found = ruleCache.get(instrument)
  if (!found) { found = rulesOf(instrument, columns); ruleCache.set(instrument, found) }
  return found
}

// Messages are built only for answers that are wrong: most are not.
const pointerTo = (code: string) => `/answers/${code.replace(/~/g, '~0').replace(/\//g, '~1')}`
const codesText = (rule: ItemRule) => [...rule.codes].join(', ')

/**
 * Checks one response against its campaign and questionnaire, and encodes its answers. Every problem is
 * reported, with a JSON pointer below `base` (the record's place in a batch).
 */
export function validateResponse (input: ResponseInput, ctx: CampaignContext, base = ''): { response: ValidResponse } | { errors: RecordError[] } {
  const errors: RecordError[] = []
  const fail = (pointer: string, detail: string) => errors.push({ pointer: `${base}${pointer}`, detail })
  if (ctx.status !== 'collecting') fail('/campaignId', `the campaign is ${ctx.status}, not collecting`)
  if (!ctx.channels.includes(input.channel)) fail('/channel', `the campaign accepts ${ctx.channels.join(', ')}`)
  const collectedAt = new Date(input.collectedAt)
  const day = vietnamDay(collectedAt)
  if (day < ctx.collectionStart || day > ctx.collectionEnd) fail('/collectedAt', `outside the collection window ${ctx.collectionStart} – ${ctx.collectionEnd} (Vietnam time)`)
  const unitId = ctx.measuredUnit(input.unit)
  if (!unitId) fail('/unit', `${input.unit} is not a unit of the campaign`)

  const itemRules = rules(ctx.instrument, ctx.columns)
  const answers: Array<number | null> = new Array(ctx.columns.length).fill(null)
  for (const code in input.answers) {
    const value = input.answers[code]
    const rule = itemRules.get(code)
    if (!rule) { fail(pointerTo(code), `${code} is not an item of ${ctx.instrument.code} v${ctx.instrument.version}`); continue }
    if (rule.picks === null) {
      if (Array.isArray(value)) fail(pointerTo(code), `${code} takes one answer, not ${value.length}`)
      else if (!rule.codes.has(value)) fail(pointerTo(code), `${value} is not an answer code of ${code} (${codesText(rule)})`)
      else answers[rule.column] = value
      continue
    }
    const values = Array.isArray(value) ? value : [value]
    if (new Set(values).size !== values.length) { fail(pointerTo(code), 'an option is picked twice'); continue }
    if (values.length > rule.picks) { fail(pointerTo(code), `at most ${rule.picks} picks`); continue }
    for (const column of rule.optionColumns.values()) answers[column] = 0
    values.forEach((v, i) => {
      const column = rule.optionColumns.get(v)
      if (column === undefined) fail(`${pointerTo(code)}/${i}`, `${v} is not an option of ${code} (${codesText(rule)})`)
      else answers[column] = 1
    })
  }
  for (const [code, rule] of itemRules) if (rule.required && !(code in input.answers)) fail(pointerTo(code), 'is required')
  if (errors.length > 0 || !unitId) return { errors }

  const response = {
    campaignId: ctx.id,
    unitId,
    externalId: input.externalId,
    channel: input.channel,
    collectedAt,
    procedureCode: input.procedureCode === undefined ? null : shortProcedureCode(input.procedureCode),
    fieldCode: input.fieldCode ?? null,
    dossierCode: input.dossierCode ?? null,
    slotId: input.sampleSlotId ?? null
  }
  // The content a replay must repeat to be a duplicate rather than a conflict.
  const contentHash = createHash('sha256').update(JSON.stringify([response.unitId, response.channel, collectedAt.toISOString(), response.procedureCode, response.fieldCode, response.dossierCode, response.slotId, answers])).digest('base64url')
  return { response: { ...response, answers, contentHash } }
}
