import { hash } from 'node:crypto'
import { shortProcedureCode } from './frame-records.js'
import type { NewResponse } from '../db/queries/responses.js'
import { pointerToken, Problem, type FieldError, type ProblemSlug } from '../problems.js'
import type { Instrument } from '../scoring/index.js'
import { statusesAllowing } from './campaign-lifecycle.js'
import type { ResponseInput } from '../schemas/responses.js'

/** What validating a response needs to know of its campaign (cached; the questionnaire never changes). */
export interface CampaignContext {
  id: string
  status: string
  collectionStart: string
  collectionEnd: string
  channels: readonly string[]
  /** The questionnaire a unit's responses answer (the campaign's, or its peer group's own; the campaign's for none). */
  questionnaireOf: (unitId: string | undefined) => Instrument
  /** Where each item of every questionnaire of the campaign is stored (answerColumns of their union). */
  columns: readonly string[]
  /** A unit code or id → the campaign unit it counts for, if in scope. */
  measuredUnit: (unit: string) => string | undefined
}

/** A response ready to store: answers in the instrument's column order, null where missing. */
export type ValidResponse = NewResponse

export interface RecordError {
  pointer: string
  detail: string
  /** The problem type of a refusal about the campaign rather than the answers (a client acts on it differently). */
  problem?: ProblemSlug
}

/**
 * The problem type of a rejected response: its first refusal about the campaign (they are found in the order
 * status, channel, window, unit: the first is the one to act on), else one about its answers.
 */
export const rejectionOf = (errors: readonly RecordError[]): ProblemSlug =>
  errors.find((e) => e.problem)?.problem ?? 'response-invalid'

/** Record errors as the field errors of a problem, without the problem type each may carry. */
export const asFieldErrors = (errors: readonly RecordError[]): FieldError[] =>
  errors.map(({ pointer, detail }) => ({ in: 'body', pointer, detail }))

/** The problem a rejected single response answers: a refusal about the campaign (status, channel, window, unit)
 * says so; otherwise the record's shape or answers are at fault, each error naming its field. */
export function rejectionProblem(errors: readonly RecordError[]): Problem {
  const slug = rejectionOf(errors)
  const fields = asFieldErrors(errors)
  if (slug !== 'response-invalid')
    return new Problem(
      slug,
      `The campaign does not take this response: ${errors.find((e) => e.problem)?.detail}.`,
      fields
    )
  return new Problem(
    slug,
    'The response is not valid: each error names a field and what it must be.',
    fields
  ).inVietnamese({
    detail: 'Phiếu trả lời không hợp lệ: mỗi lỗi nêu một trường và yêu cầu của trường đó.'
  })
}

/** How an item is answered and where its answer goes in the stored array. */
interface ItemRule {
  codes: Set<number>
  /** Several picks (expectation items): the maximum, and the column of each option; null for one answer. */
  picks: number | null
  optionColumns: Map<number, number>
  column: number
  required: boolean
}

/** What checking a response against its campaign needs, worked out once per campaign (it runs per response). */
interface Checks {
  rules: Map<string, ItemRule>
  required: string[]
  /** The collection window as instants: its first day's first moment, and the moment after its last day (Vietnam time). */
  from: number
  until: number
}

function checksOf(ctx: CampaignContext, instrument: Instrument): Checks {
  const { columns } = ctx
  const rules = new Map<string, ItemRule>()
  const levels = [...instrument.scale.levels.map((l) => l.value), instrument.scale.noAnswer]
  for (const item of instrument.items) {
    const several = item.kind === 'expectation'
    const values =
      item.kind === 'criterion' || item.kind === 'satisfaction'
        ? levels
        : [...item.options.map((o) => o.value), ...(several ? [] : [instrument.scale.noAnswer])]
    rules.set(item.code, {
      codes: new Set(values),
      picks: several ? item.maxPicks : null,
      optionColumns: new Map(several ? values.map((v) => [v, columns.indexOf(`${item.code}.${v}`)]) : []),
      column: columns.indexOf(item.code),
      required: item.required === true
    })
  }
  const vietnamMidnight = (day: string) => Date.parse(`${day}T00:00:00+07:00`)
  return {
    rules,
    required: [...rules].flatMap(([code, rule]) => (rule.required ? [code] : [])),
    from: vietnamMidnight(ctx.collectionStart),
    until: vietnamMidnight(ctx.collectionEnd) + 86_400_000
  }
}

const checksCache = new WeakMap<CampaignContext, Map<Instrument, Checks>>()
const checksFor = (ctx: CampaignContext, instrument: Instrument) => {
  let ofCampaign = checksCache.get(ctx)
  if (!ofCampaign) checksCache.set(ctx, (ofCampaign = new Map()))
  let found = ofCampaign.get(instrument)
  if (!found) {
    found = checksOf(ctx, instrument)
    ofCampaign.set(instrument, found)
  }
  return found
}

// Messages are built only for answers that are wrong: most are not.
const pointerTo = (code: string) => `/answers/${pointerToken(code)}`
const codesText = (rule: ItemRule) => [...rule.codes].join(', ')

/** The answer to an item of several picks, in its option columns; the errors found, if any. */
function encodePicks(
  code: string,
  value: number | number[],
  rule: ItemRule,
  answers: Array<number | null>,
  errors: RecordError[],
  base: string
): void {
  const values = Array.isArray(value) ? value : [value]
  if (new Set(values).size !== values.length) {
    errors.push({ pointer: `${base}${pointerTo(code)}`, detail: 'an option is picked twice' })
    return
  }
  if (values.length > (rule.picks as number)) {
    errors.push({ pointer: `${base}${pointerTo(code)}`, detail: `at most ${rule.picks} picks` })
    return
  }
  for (const column of rule.optionColumns.values()) answers[column] = 0
  for (let i = 0; i < values.length; i++) {
    const column = rule.optionColumns.get(values[i])
    if (column === undefined)
      errors.push({
        pointer: `${base}${pointerTo(code)}/${i}`,
        detail: `${values[i]} is not an option of ${code} (${codesText(rule)})`
      })
    else answers[column] = 1
  }
}

/** The statuses in which a campaign takes responses (the lifecycle's table). */
const COLLECTING: readonly string[] = statusesAllowing('collect-responses')

/** The free-text fields of a response, checked for what PostgreSQL's text cannot hold. */
const TEXT_FIELDS = ['externalId', 'dossierCode', 'procedureCode', 'fieldCode'] as const

/**
 * Checks one response against its campaign and questionnaire, and encodes its answers. Every problem is
 * reported, with a JSON pointer below `base` (the record's place in a batch).
 */
export function validateResponse(
  input: ResponseInput,
  ctx: CampaignContext,
  base = ''
): { response: ValidResponse } | { errors: RecordError[] } {
  const unitId = ctx.measuredUnit(input.unit)
  const questionnaire = ctx.questionnaireOf(unitId)
  const checks = checksFor(ctx, questionnaire)
  const errors: RecordError[] = []
  if (!COLLECTING.includes(ctx.status))
    errors.push({
      pointer: `${base}/campaignId`,
      detail: `the campaign is ${ctx.status}, not collecting`,
      problem: 'campaign-not-collecting'
    })
  if (!ctx.channels.includes(input.channel))
    errors.push({
      pointer: `${base}/channel`,
      detail: `the campaign accepts ${ctx.channels.join(', ')}`,
      problem: 'channel-not-accepted'
    })
  const collectedAt = new Date(input.collectedAt)
  const at = collectedAt.getTime()
  if (at < checks.from || at >= checks.until)
    errors.push({
      pointer: `${base}/collectedAt`,
      detail: `outside the collection window ${ctx.collectionStart} – ${ctx.collectionEnd} (Vietnam time)`,
      problem: 'outside-collection-window'
    })
  if (!unitId)
    errors.push({
      pointer: `${base}/unit`,
      detail: `${input.unit} is not a unit of the campaign`,
      problem: 'unit-out-of-scope'
    })
  // Legal in JSON text, but PostgreSQL's text holds neither NUL nor a lone UTF-16 surrogate (stored changed).
  for (const field of TEXT_FIELDS) {
    const value = input[field]
    if (value === undefined) continue
    if (!value.isWellFormed())
      errors.push({ pointer: `${base}/${field}`, detail: 'is not well-formed Unicode (a lone surrogate)' })
    else if (value.includes('\u0000')) errors.push({ pointer: `${base}/${field}`, detail: 'holds a NUL character' })
  }

  const answers: Array<number | null> = new Array(ctx.columns.length).fill(null)
  for (const code in input.answers) {
    const value = input.answers[code]
    const rule = checks.rules.get(code)
    if (!rule)
      errors.push({
        pointer: `${base}${pointerTo(code)}`,
        detail: `${code} is not an item of ${questionnaire.code} v${questionnaire.version}`
      })
    else if (rule.picks !== null) encodePicks(code, value, rule, answers, errors, base)
    else if (Array.isArray(value))
      errors.push({ pointer: `${base}${pointerTo(code)}`, detail: `${code} takes one answer, not ${value.length}` })
    else if (!rule.codes.has(value))
      errors.push({
        pointer: `${base}${pointerTo(code)}`,
        detail: `${value} is not an answer code of ${code} (${codesText(rule)})`
      })
    else answers[rule.column] = value
  }
  for (const code of checks.required)
    if (!(code in input.answers)) errors.push({ pointer: `${base}${pointerTo(code)}`, detail: 'is required' })
  if (errors.length > 0 || !unitId) return { errors }

  const procedureCode = input.procedureCode === undefined ? null : shortProcedureCode(input.procedureCode)
  const fieldCode = input.fieldCode ?? null
  const dossierCode = input.dossierCode ?? null
  const slotId = input.sampleSlotId ?? null
  // The content a replay must repeat to be a duplicate rather than a conflict.
  const contentHash = hash(
    'sha256',
    JSON.stringify([
      unitId,
      input.channel,
      collectedAt.toISOString(),
      procedureCode,
      fieldCode,
      dossierCode,
      slotId,
      answers
    ]),
    'base64url'
  )
  return {
    response: {
      campaignId: ctx.id,
      unitId,
      externalId: input.externalId,
      channel: input.channel,
      collectedAt,
      procedureCode,
      fieldCode,
      dossierCode,
      slotId,
      answers,
      contentHash
    }
  }
}
