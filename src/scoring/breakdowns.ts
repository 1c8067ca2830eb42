/**
 * Figures by a characteristic of the respondent or the dossier (respondent type, submission channel, field,
 * procedure, a profile item of the questionnaire): each category is a domain of the full design, R's
 * subset(design, variable == category) within a set of units, so its SEs count the strata and PSUs of the
 * whole sample. The rows are given as (unit, category) pairs, numbered as units, and the categories' domains
 * as sets of pairs: one computeIndices over every category at once.
 */
import type { Design, ResponseBatch } from './batch.js'
import { numberKeys } from './calibration.js'
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
 * Each domain's figures per category of `values` (one per row; null: the row has none, and is in no
 * category). Categories with fewer than `minimumRespondents` rows in a domain are suppressed.
 */
export function breakdownIndices(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  values: ArrayLike<string | null>,
  domains: readonly Domain[],
  minimumRespondents: number
): Array<{ domain: string; categories: BreakdownCategory[] }> {
  const distinct = new Set<string>()
  for (let r = 0; r < batch.size; r++) if (values[r] !== null) distinct.add(values[r] as string)
  // In order: "2" before "10", as a reader expects of codes.
  const categories = [...distinct].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
  const categoryOf = new Map(categories.map((value, c) => [value, c]))
  const code = Int32Array.from({ length: batch.size }, (_, r) =>
    values[r] === null ? -1 : (categoryOf.get(values[r] as string) as number)
  )
  const C = categories.length
  // Pairs (unit, category) numbered as met; rows without a category form their unit's pair C.
  const { ids, count } = numberKeys(batch.size, batch.units.length * (C + 1), (r) =>
    code[r] === -1 ? batch.unit[r] * (C + 1) + C : batch.unit[r] * (C + 1) + code[r]
  )
  const pairUnit = new Int32Array(count)
  const pairCategory = new Int32Array(count)
  const pairRows = new Int32Array(count)
  for (let r = 0; r < batch.size; r++) {
    pairUnit[ids[r]] = batch.unit[r]
    pairCategory[ids[r]] = code[r]
    pairRows[ids[r]]++
  }
  const names = Array.from({ length: count }, (_, k) => String(k))
  const pairs: ResponseBatch = { ...batch, units: names, unit: ids }
  const unitIndex = new Map(batch.units.map((u, i) => [u, i]))
  const plan = domains.map((d) => {
    const inDomain = new Uint8Array(batch.units.length)
    for (const u of d.units) {
      const i = unitIndex.get(u)
      if (i !== undefined) inDomain[i] = 1
    }
    return categories.map((value, c) => {
      const members: string[] = []
      let respondents = 0
      for (let k = 0; k < count; k++)
        if (pairCategory[k] === c && inDomain[pairUnit[k]] === 1) {
          members.push(names[k])
          respondents += pairRows[k]
        }
      return { value, respondents, members, suppressed: respondents < minimumRespondents }
    })
  })
  const shown = plan.flatMap((cells, d) =>
    cells.flatMap((cell, c) => (cell.suppressed ? [] : [{ id: `${d}:${c}`, units: cell.members }]))
  )
  const computed = new Map(
    computeIndices(pairs, design, instrument, options, shown).map((result) => [result.domain, result])
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
