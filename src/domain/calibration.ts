import { Problem, type ProblemSlug } from '../problems.js'
import {
  calibrateWeights,
  CalibrationError,
  CalibrationVariableError,
  CellWithoutRespondentsError,
  CellWithoutTotalError,
  MarginTotalsError,
  RakingConvergenceError,
  type CalibratedWeights,
  type CalibrationVariables,
  type Margin,
  type ResponseBatch
} from '../scoring/index.js'
import type { Calibration } from '../schemas/campaigns.js'
import type { Weighting } from '../schemas/results.js'

/** The frame counted by unit, channel and subject type (db/queries/response-counts.ts frameCells). */
export interface FrameCell {
  unitId: string
  channel: string
  subjectType: string
  n: number
}

/** Which figure a calibration weights: its problems say so. */
export type CalibratedFigure = 'official' | 'after-service'

const valueOf = (cell: FrameCell, variable: string) =>
  variable === 'unit' ? cell.unitId : variable === 'channel' ? cell.channel : cell.subjectType

/** Each margin's population totals, added up from the frame's cells (those `keep` accepts). */
export function frameMargins(
  cells: readonly FrameCell[],
  margins: Calibration['margins'],
  keep: (cell: FrameCell) => boolean = () => true
): Margin[] {
  return margins.map((by) => {
    const totals = new Map<string, { values: string[]; N: number }>()
    for (const cell of cells) {
      if (!keep(cell)) continue
      const values = by.map((v) => valueOf(cell, v))
      const key = values.join('\u0000')
      const total = totals.get(key)
      if (total) total.N += cell.n
      else totals.set(key, { values, N: cell.n })
    }
    return { by, totals: [...totals.values()] }
  })
}

/** The core's errors with a problem type of their own; any other CalibrationError is `calibration-failed`. */
const SLUGS: Array<[new (...args: never[]) => CalibrationError, ProblemSlug]> = [
  [CellWithoutRespondentsError, 'calibration-cell-without-respondents'],
  [CellWithoutTotalError, 'calibration-cell-without-total'],
  [MarginTotalsError, 'calibration-margin-totals'],
  [RakingConvergenceError, 'calibration-raking-convergence'],
  [CalibrationVariableError, 'calibration-variable-missing']
]

/**
 * The batch's weights calibrated to the margins; the scoring core's errors become problems that name the
 * figure, the margin and the cell (or variable) at fault.
 */
export function calibrated(
  batch: ResponseBatch,
  variables: CalibrationVariables,
  calibration: Calibration,
  margins: Margin[],
  figure: CalibratedFigure
): CalibratedWeights {
  try {
    return calibrateWeights(batch, variables, { method: calibration.method, margins })
  } catch (error) {
    if (!(error instanceof CalibrationError)) throw error
    const slug = SLUGS.find(([type]) => error instanceof type)?.[1] ?? 'calibration-failed'
    const e = error as CalibrationError & { margin?: string; cell?: string; variable?: string }
    const name = figure === 'official' ? 'the official figures' : 'the after-service index'
    throw new Problem(slug, `Calibrating ${name}: ${e.message}.`, undefined, undefined, {
      figure,
      ...(e.margin === undefined ? {} : { margin: e.margin }),
      ...(e.cell === undefined ? {} : { cell: e.cell }),
      ...(e.variable === undefined ? {} : { variable: e.variable })
    })
  }
}

const METHOD_NAMES: Record<Calibration['method'], string> = {
  poststratify: 'post-stratified (R survey postStratify)',
  linear: 'calibrated by GREG (R survey calibrate, calfun "linear")',
  raking: 'raked (R survey calibrate, calfun "raking")'
}

/** The weighting a figure used, named for its readers: the base weights, calibrated or not. */
export function weighting(base: 'stratified' | 'self-selected', calibration: Calibration | null): Weighting {
  const start =
    base === 'stratified'
      ? 'N_h/r_h within each stratum of the drawn sample'
      : 'self-selected responses, base weight 1 each'
  if (calibration === null)
    return { method: base === 'stratified' ? 'stratified' : 'unweighted', margins: null, description: start }
  const margins = calibration.margins.map((m) => m.join(' × ')).join('; ')
  return {
    method: calibration.method,
    margins: calibration.margins,
    description: `${start}, ${METHOD_NAMES[calibration.method]} to the frame's totals of ${margins}`
  }
}
