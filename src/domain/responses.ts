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

/** Answer codes each item accepts. */
function codesOf (instrument: Instrument): Map<string, { codes: Set<number>, picks: number | null, required: boolean }> {
  const out = new Map<string, { codes: Set<number>, picks: number | null, required: boolean }>()
  const levels = [...instrument.scale.levels.map((l) => l.value), instrument.scale.noAnswer]
  for (const item of instrument.items) {
    const values = item.kind === 'criterion' || item.kind === 'satisfaction' ? levels : [...item.options.map((o) => o.value), ...(item.kind === 'expectation' ? [] : [instrument.scale.noAnswer])]
    out.set(item.code, { codes: new Set(values), picks: item.kind === 'expectation' ? item.maxPicks : null, required: item.required === true })
  }
  return out
}

const itemCache = new WeakMap<Instrument, ReturnType<typeof codesOf>>()
const itemsOf = (instrument: Instrument) => {
  let items = itemCache.get(instrument)
  if (!items) { items = codesOf(instrument); itemCache.set(instrument, items) }
  return items
}

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

  const items = itemsOf(ctx.instrument)
  const picked = new Map<string, number>()
  for (const [code, value] of Object.entries(input.answers)) {
    const item = items.get(code)
    const at = `/answers/${code.replace(/~/g, '~0').replace(/\//g, '~1')}`
    if (!item) { fail(at, `${code} is not an item of ${ctx.instrument.code} v${ctx.instrument.version}`); continue }
    const allowed = [...item.codes].join(', ')
    if (item.picks === null) {
      if (Array.isArray(value)) { fail(at, `${code} takes one answer, not ${value.length}`); continue }
      if (!item.codes.has(value)) { fail(at, `${value} is not an answer code of ${code} (${allowed})`); continue }
      picked.set(code, value)
    } else {
      const values = Array.isArray(value) ? value : [value]
      if (new Set(values).size !== values.length) fail(at, 'an option is picked twice')
      else if (values.length > item.picks) fail(at, `at most ${item.picks} picks`)
      values.forEach((v, i) => { if (!item.codes.has(v)) fail(`${at}/${i}`, `${v} is not an option of ${code} (${allowed})`) })
      for (const option of item.codes) picked.set(`${code}.${option}`, values.includes(option) ? 1 : 0)
    }
  }
  for (const [code, item] of items) if (item.required && !(code in input.answers)) fail(`/answers/${code}`, 'is required')
  if (errors.length > 0 || !unitId) return { errors }

  const answers = ctx.columns.map((column) => picked.get(column) ?? null)
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
