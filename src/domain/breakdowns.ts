/**
 * The province's official figures by each profile item of the questionnaire (sex, age group, occupation, how
 * the dossier was submitted, …) and by the frame record's respondent type, channel, field and procedure: every
 * answer a domain of the full design (scoring/breakdowns.ts), categories with fewer respondents than the
 * campaign's minimum suppressed. Each breakdown is asked for as its rows' categories (a request), scored whole
 * on one thread (share-worker.ts: on a large campaign the breakdowns are spread over the compute thread and its
 * helpers).
 */
import type { BreakdownCategory, CodedCategories, CodedValues, Instrument, ResponseBatch } from '../scoring/index.js'
import type { Breakdown } from '../schemas/results.js'
import { FRAME_CHANNELS, SUBJECT_TYPES } from '../vocabulary.js'
import { indexFigures } from './results.js'
import { provinceCategories, type BreakdownTask } from './share-worker.js'

/** What every breakdown of a document is made from: a task's all but its rows' categories (the whole instrument). */
export type BreakdownInput = Omit<BreakdownTask, 'values'>

/** A breakdown to make: its variable and label, its categories in order with their labels, each row's category. */
export interface BreakdownRequest {
  variable: string
  label: string
  options: ReadonlyArray<{ value: string; label: string }>
  values: CodedCategories
}

/** The frame's vocabularies in the words of a Vietnamese report. */
const FRAME_VARIABLES = [
  {
    variable: 'frame.subjectType',
    key: 'subjectType',
    label: 'Loại đối tượng (theo hồ sơ)',
    labels: { citizen: 'Công dân', business: 'Doanh nghiệp', agency: 'Cơ quan', 'other-organisation': 'Tổ chức khác' },
    values: SUBJECT_TYPES
  },
  {
    variable: 'frame.channel',
    key: 'channel',
    label: 'Kênh thực hiện (theo hồ sơ)',
    labels: { 'in-person': 'Trực tiếp', online: 'Trực tuyến', post: 'Bưu chính công ích', phone: 'Điện thoại' },
    values: FRAME_CHANNELS
  }
] as const

/**
 * The scoring of a breakdown, on whichever thread makes it (share-worker.ts): the province's categories. A
 * breakdown shows the overall index and the factors: only their items are scored (a pass over fewer columns
 * for each variable), whichever way the campaign computes factors.
 */
export function breakdownTask(input: BreakdownInput, values: CodedCategories): BreakdownTask {
  const { batch, design, instrument, options, provinceId, minimumRespondents, calibration } = input
  const items = instrument.items.filter((i) => i.kind === 'criterion' || i.kind === 'satisfaction')
  return {
    batch,
    design,
    instrument: { ...instrument, items },
    options,
    provinceId,
    minimumRespondents,
    values,
    calibration
  }
}

/** A breakdown as the document shows it, from its request and the province's categories. */
export function breakdownOf(
  { variable, label, options }: BreakdownRequest,
  categories: readonly BreakdownCategory[],
  minimumRespondents: number
): Breakdown {
  const found = new Map(categories.map((c) => [c.value, c]))
  return {
    variable,
    label,
    minimumRespondents,
    categories: options.map((option) => {
      const category = found.get(option.value)
      const figures = category?.result ? indexFigures(category.result) : null
      return {
        value: option.value,
        label: option.label,
        respondents: category?.respondents ?? 0,
        suppressed: category?.suppressed ?? true,
        overall: figures?.overall ?? null,
        factors: figures?.factors ?? {}
      }
    })
  }
}

/** Every breakdown of the document, made on this thread. */
export const breakdowns = (input: BreakdownInput, requests: readonly BreakdownRequest[]): Breakdown[] =>
  requests.map((request) =>
    breakdownOf(request, provinceCategories(breakdownTask(input, request.values)), input.minimumRespondents)
  )

/** By each profile item the respondents answered (an item nobody answered was not asked: left out). */
export function profileRequests(batch: ResponseBatch, instrument: Instrument): BreakdownRequest[] {
  const K = batch.columns.length
  return instrument.items.flatMap((item) => {
    const k = batch.columns.indexOf(item.code)
    if (item.kind !== 'profile' || k < 0) return []
    // Each row's byte is its code; each possible byte's category (an option's code, or none) is made once.
    const answers = new Set(item.options.map((o) => String(o.value)))
    const values = Array.from({ length: 256 }, (_, v) => (answers.has(String(v)) ? String(v) : null))
    const codes = new Uint8Array(batch.size)
    let answered = false
    for (let r = 0; r < batch.size; r++) answered = values[(codes[r] = batch.answers[r * K + k])] !== null || answered
    if (!answered) return []
    const options = item.options.map((o) => ({ value: String(o.value), label: o.label }))
    return [{ variable: item.code, label: item.text, options, values: { codes, values } }]
  })
}

/**
 * By the respondent type and the channel of each response's frame record (`variables`, as the loader reads
 * them for a sampled campaign with a frame; '' where the record is gone or has none): every value of the
 * vocabulary. Then by the record's field and procedure, codes the province chooses: the codes met, the most
 * respondents first, a procedure under its name in the frame (`procedureNames`) where it has one.
 */
export function frameRequests(
  size: number,
  variables: Readonly<Record<string, CodedValues>>,
  procedureNames: ReadonlyMap<string, string>
): BreakdownRequest[] {
  // A record without the value holds ''.
  const rowsOf = (key: string): CodedCategories => {
    const variable = variables[key] ?? { codes: new Uint32Array(size), values: [''] }
    return { codes: variable.codes, values: variable.values.map((value) => value || null) }
  }
  const fixed = FRAME_VARIABLES.map(({ variable, key, label, labels, values }) => {
    const options = values.map((value) => ({ value, label: labels[value as keyof typeof labels] }))
    return { variable, label, options, values: rowsOf(key) }
  })
  const coded = CODED_FRAME_VARIABLES.flatMap(({ variable, key, label }) => {
    const rows = rowsOf(key)
    const options = byRespondents(rows).map((value) => ({
      value,
      label: key === 'procedure' ? (procedureNames.get(value) ?? value) : value
    }))
    return options.length === 0 ? [] : [{ variable, label, options, values: rows }]
  })
  return [...fixed, ...coded]
}

/** The frame's codes of the province's own lists (lĩnh vực, thủ tục hành chính): no vocabulary to follow. */
const CODED_FRAME_VARIABLES = [
  { variable: 'frame.field', key: 'field', label: 'Lĩnh vực (theo hồ sơ)' },
  { variable: 'frame.procedure', key: 'procedure', label: 'Thủ tục hành chính (theo hồ sơ)' }
] as const

/** The distinct values of the rows, the most frequent first, ties in code order. */
function byRespondents({ codes, values }: CodedCategories): string[] {
  const ofCode = new Float64Array(values.length)
  for (let r = 0; r < codes.length; r++) ofCode[codes[r]]++
  const counts = new Map<string, number>()
  values.forEach((value, c) => {
    if (value !== null && ofCode[c] > 0) counts.set(value, (counts.get(value) ?? 0) + ofCode[c])
  })
  return [...counts]
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b, 'en', { numeric: true }))
    .map(([value]) => value)
}
