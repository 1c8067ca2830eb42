/**
 * Figures by a characteristic of the respondent or the dossier (respondent type, submission channel, field,
 * procedure, a profile item of the questionnaire): each category is a domain of the full design, R's
 * subset(design, variable == category) within a set of units, so its SEs count the strata and PSUs of the
 * whole sample. The rows are given as (group of units, category) pairs, numbered as units, and the categories'
 * domains as sets of pairs: one computeIndices over every category at once.
 */
import type { Design, ResponseBatch } from './batch.js'
import { numberKeys, type CalibratedWeights } from './calibration.js'
import { computeIndices, type DomainResult } from './compute.js'
import type { Domain } from './estimate.js'
import type { Instrument } from './instrument.js'
import type { ScoringOptions } from './methods.js'

export interface BreakdownCategory {
  readonly value: string
  /** Rows of the domain in the category: the people whose answers its figures count. */
  readonly respondents: number
  /** Fewer respondents than the minimum: no figure is given. */
  readonly suppressed: boolean
  /** The category's figures (null when suppressed). */
  readonly result: DomainResult | null
}

/**
 * Rows' categories given coded: row r's is values[codes[r]] (null: the row has none), as a byte of the answers
 * or a coded frame variable holds them, without a string per row.
 */
export interface CodedCategories {
  readonly codes: ArrayLike<number>
  readonly values: ReadonlyArray<string | null>
}

/** "2" before "10", as a reader expects of codes. */
const inCodeOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })

/** Each row's category numbered in code order (−1: none), and the categories met. */
function numberedCategories(
  size: number,
  values: ArrayLike<string | null> | CodedCategories
): { code: Int32Array; categories: string[] } {
  const code = new Int32Array(size)
  if ('codes' in values) {
    const met = new Uint8Array(values.values.length)
    for (let r = 0; r < size; r++) met[values.codes[r]] = 1
    const categories = [...new Set(values.values.filter((v, c): v is string => v !== null && met[c] === 1))]
    categories.sort(inCodeOrder)
    const place = Int32Array.from(values.values, (v) => (v === null ? -1 : categories.indexOf(v)))
    for (let r = 0; r < size; r++) code[r] = place[values.codes[r]]
    return { code, categories }
  }
  // One pass numbers the values as met; then their order.
  const met = new Map<string, number>()
  for (let r = 0; r < size; r++) {
    const value = values[r]
    if (value === null) code[r] = -1
    else {
      let c = met.get(value)
      if (c === undefined) met.set(value, (c = met.size))
      code[r] = c
    }
  }
  const categories = [...met.keys()].sort(inCodeOrder)
  const place = Int32Array.from(met.keys(), (value) => categories.indexOf(value))
  for (let r = 0; r < size; r++) if (code[r] !== -1) code[r] = place[code[r]]
  return { code, categories }
}

/**
 * Each domain's figures per category of `values` (one per row, or coded; null: the row has none, and is in no
 * category). Categories with fewer than `minimumRespondents` rows in a domain are suppressed. With `calibration`
 * (of this batch's rows), the figures are those of the calibrated design's subsets.
 */
export function breakdownIndices(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  values: ArrayLike<string | null> | CodedCategories,
  domains: readonly Domain[],
  minimumRespondents: number,
  { calibration }: { calibration?: CalibratedWeights } = {}
): Array<{ domain: string; categories: BreakdownCategory[] }> {
  const { code, categories } = numberedCategories(batch.size, values)
  const C = categories.length
  // Units in the same domains are one group: a category's domain is then a few (group, category) pairs, not
  // one per unit (for the province alone, one per category), and the passes have that many fewer cells.
  const unitIndex = new Map(batch.units.map((u, i) => [u, i]))
  const membership = batch.units.map(() => [] as number[])
  domains.forEach((d, i) =>
    d.units.forEach((u) => {
      const at = unitIndex.get(u)
      if (at !== undefined && membership[at].at(-1) !== i) membership[at].push(i)
    })
  )
  const groupOfKey = new Map<string, number>()
  const groupOfUnit = Int32Array.from(membership, (m) => {
    const key = m.join()
    if (!groupOfKey.has(key)) groupOfKey.set(key, groupOfKey.size)
    return groupOfKey.get(key) as number
  })
  const groupIn = [...groupOfKey.keys()].map((key) => new Set(key === '' ? [] : key.split(',').map(Number)))
  // Pairs (group, category) numbered as met; rows without a category form their group's pair C.
  const keys = new Float64Array(batch.size)
  for (let r = 0; r < batch.size; r++) keys[r] = groupOfUnit[batch.unit[r]] * (C + 1) + (code[r] === -1 ? C : code[r])
  const { ids, count, first } = numberKeys(keys, groupIn.length * (C + 1))
  const pairGroup = Int32Array.from(first, (r) => groupOfUnit[batch.unit[r]])
  const pairCategory = Int32Array.from(first, (r) => code[r])
  const pairRows = new Int32Array(count)
  for (let r = 0; r < batch.size; r++) pairRows[ids[r]]++
  const names = Array.from({ length: count }, (_, k) => String(k))
  const pairs: ResponseBatch = { ...batch, units: names, unit: ids }
  const plan = domains.map((_, d) =>
    categories.map((value, c) => {
      const members: string[] = []
      let respondents = 0
      for (let k = 0; k < count; k++)
        if (pairCategory[k] === c && groupIn[pairGroup[k]].has(d)) {
          members.push(names[k])
          respondents += pairRows[k]
        }
      return { value, respondents, members, suppressed: respondents < minimumRespondents }
    })
  )
  const shown = plan.flatMap((cells, d) =>
    cells.flatMap((cell, c) => (cell.suppressed ? [] : [{ id: `${d}:${c}`, units: cell.members }]))
  )
  const computed = new Map(
    (shown.length === 0 ? [] : computeIndices(pairs, design, instrument, options, shown, { calibration })).map(
      (result) => [result.domain, result]
    )
  )
  return plan.map((cells, d) => ({
    domain: domains[d].id,
    categories: cells.map(({ value, respondents, suppressed }, c) => ({
      value,
      respondents,
      suppressed,
      result: suppressed ? null : { ...(computed.get(`${d}:${c}`) as DomainResult), domain: domains[d].id }
    }))
  }))
}
