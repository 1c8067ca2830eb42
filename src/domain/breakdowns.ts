/**
 * The province's official figures by each profile item of the questionnaire (sex, age group, occupation, how
 * the dossier was submitted, …): every answer a domain of the full design (scoring/breakdowns.ts), categories
 * with fewer respondents than the campaign's minimum suppressed.
 */
import {
  breakdownIndices,
  type CalibratedWeights,
  type Design,
  type Instrument,
  type ResponseBatch,
  type ScoringOptions
} from '../scoring/index.js'
import type { Breakdown } from '../schemas/results.js'
import { indexFigures } from './results.js'

export function profileBreakdowns(input: {
  batch: ResponseBatch
  design: Design
  instrument: Instrument
  options: ScoringOptions
  provinceId: string
  minimumRespondents: number
  calibration?: CalibratedWeights
}): Breakdown[] {
  const { batch, instrument, minimumRespondents } = input
  // A breakdown shows the overall index and the factors: only their items are scored (a pass over fewer
  // columns for each profile item), whichever way the campaign computes factors.
  const scored: Instrument = {
    ...instrument,
    items: instrument.items.filter((i) => i.kind === 'criterion' || i.kind === 'satisfaction')
  }
  const K = batch.columns.length
  return instrument.items.flatMap((item) => {
    const k = batch.columns.indexOf(item.code)
    if (item.kind !== 'profile' || k < 0) return []
    const answers = new Set(item.options.map((o) => String(o.value)))
    const values = Array.from({ length: batch.size }, (_, r) => {
      const value = String(batch.answers[r * K + k])
      return answers.has(value) ? value : null
    })
    // An item nobody answered (not asked in this campaign) has nothing to break down.
    if (values.every((v) => v === null)) return []
    const [province] = breakdownIndices(
      batch,
      input.design,
      scored,
      input.options,
      values,
      [{ id: input.provinceId, units: batch.units }],
      minimumRespondents,
      { calibration: input.calibration }
    )
    const found = new Map(province.categories.map((c) => [c.value, c]))
    return [
      {
        variable: item.code,
        label: item.text,
        minimumRespondents,
        categories: item.options.map((option) => {
          const category = found.get(String(option.value))
          const figures = category?.result ? indexFigures(category.result) : null
          return {
            value: String(option.value),
            label: option.label,
            respondents: category?.respondents ?? 0,
            suppressed: category?.suppressed ?? true,
            overall: figures?.overall ?? null,
            factors: figures?.factors ?? {}
          }
        })
      }
    ]
  })
}
