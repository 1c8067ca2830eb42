import {
  computeIndices,
  designOfBatch,
  type CalibrationVariables,
  type Instrument,
  type ResponseBatch,
  type ScoringOptions
} from '../scoring/index.js'
import type { Calibration } from '../schemas/campaigns.js'
import type { AfterServiceResults } from '../schemas/results.js'
import { calibrated, frameMargins, weighting, type FrameCell } from './calibration.js'
import { indexFigures, type UnitInfo } from './results.js'

/**
 * The after-service index (domain/SIPAS.md §4, calibration): the responses to dossiers that were not drawn,
 * each in its frame record's unit, channel and subject type, as a design without strata or clusters and base
 * weight 1, calibrated to the frame's totals by the campaign's `afterService` method and margins. Units of the
 * frame without any such response are left out of the totals (no weight could carry them) and listed. Every
 * figure is flagged non-probability: it is published beside the official figures, never inside them.
 */
export function afterServiceResults(input: {
  batch: ResponseBatch
  variables: CalibrationVariables
  frame: readonly FrameCell[]
  calibration: Calibration
  instrument: Instrument
  options: ScoringOptions
  province: UnitInfo
  units: UnitInfo[]
}): AfterServiceResults {
  const { batch, frame, calibration, province } = input
  const answered = new Set(batch.units)
  const leftOut = new Map<string, number>()
  let population = 0
  for (const cell of frame) {
    if (answered.has(cell.unitId)) population += cell.n
    else leftOut.set(cell.unitId, (leftOut.get(cell.unitId) ?? 0) + cell.n)
  }
  const base = {
    weighting: weighting('self-selected', calibration),
    respondents: batch.size,
    population,
    unitsLeftOut: [...leftOut].map(([unitId, n]) => ({ unitId, population: n }))
  }
  if (batch.size === 0) return { ...base, province: null, units: [] }
  const margins = frameMargins(frame, calibration.margins, (cell) => answered.has(cell.unitId))
  const weights = calibrated(batch, input.variables, calibration, margins, 'after-service')
  const units = input.units.filter((u) => answered.has(u.id))
  const design = designOfBatch(batch, ['all'], [null])
  const domains = [{ id: province.id, units: batch.units }, ...units.map((u) => ({ id: u.id, units: [u.id] }))]
  const computed = computeIndices(batch, design, input.instrument, input.options, domains, { calibration: weights })
  const resultOf = (info: UnitInfo, d: (typeof computed)[number]) => ({
    unitId: info.id,
    code: info.code,
    name: info.name,
    level: info.level,
    respondents: d.rows,
    responses: d.rows,
    ...indexFigures(d, true)
  })
  return {
    ...base,
    province: resultOf(province, computed[0]),
    units: units.map((u, i) => resultOf(u, computed[1 + i]))
  }
}
