/**
 * A computation's document from what was read: the official figures (ranks, groups, diagnoses, changes' inputs),
 * the breakdowns and the after-service index. Plain data in, plain data out, and nothing read here:
 * it runs on a thread of the compute pool (compute-pool.ts), or on the caller's for a small campaign.
 */
import type { FrameLabels } from '../db/queries/results.js'
import { Problem } from '../problems.js'
import {
  LonelyPsuError,
  rankSetInputs,
  type CalibratedWeights,
  type CodedValues,
  type Design,
  type Instrument,
  type ParRule,
  type ResponseBatch,
  type ScoringOptions
} from '../scoring/index.js'
import type { Calibration, PeerGroup, ProvinceFigure, Target } from '../schemas/campaigns.js'
import type { Breakdown, CampaignResults } from '../schemas/results.js'
import { afterServiceResults } from './after-service.js'
import {
  breakdownOf,
  breakdowns,
  breakdownTask,
  frameRequests,
  profileRequests,
  type BreakdownInput,
  type BreakdownRequest
} from './breakdowns.js'
import { calibrated, frameMargins, weighting, type FrameCell } from './calibration.js'
import { breakdownsOnThreads, rankSetsOnThreads, scoreOnThreads, type Sharing } from './share-pool.js'
import { campaignDomains, campaignResults, overallFigures, type Scored, type UnitInfo } from './results.js'

export interface DocumentInput {
  batch: ResponseBatch
  design: Design
  /** Each official row's frame record (a sampled campaign with a frame), else null. */
  frame: FrameLabels | null
  afterService: { batch: ResponseBatch; frame: FrameLabels }
  frameCells: FrameCell[]
  instrument: Instrument
  options: ScoringOptions
  province: UnitInfo
  units: UnitInfo[]
  /** Response rates of the sample (null without one): the province's, and each unit's by id. */
  responseRates: { province: number | null; units: Record<string, number | null> } | null
  parRule: ParRule | null
  targets: Target[]
  groups: PeerGroup[]
  provinceFigure: ProvinceFigure
  /** The official figures' calibration (a sampled campaign's option), and the after-service index's. */
  calibration: Calibration | null
  afterServiceCalibration: Calibration
  breakdownMinimum: number
  /** The frame's name of each procedure code met. */
  procedureNames: Record<string, string>
  sampled: boolean
}

/** The counts are the caller's: read from the database while the rows are read and scored. */
export type ResultsDocument = Omit<CampaignResults, 'campaign' | 'counts'>

/** The official figures are calibrated when the campaign asks for it and its rows have frame records to weight by. */
const calibratesOfficial = (
  input: DocumentInput
): input is DocumentInput & { calibration: Calibration; frame: FrameLabels } =>
  input.calibration !== null && input.frame !== null

/**
 * The frame records' values as the scoring core's variables, coded: per name, its distinct values and each
 * row's code through its record (a few values for many rows, no string per row).
 */
export function frameVariables({ names, ofRow, parts }: FrameLabels): Record<string, CodedValues> {
  return Object.fromEntries(
    names.map((name, i) => [
      name,
      codedThrough(
        ofRow,
        parts.map((p) => p[i])
      )
    ])
  )
}

/** Rows that have the value of their record (`ofRecord[ofRow[r]]`), coded. */
function codedThrough(ofRow: Uint32Array, ofRecord: readonly string[]): CodedValues {
  const codeOf = new Map<string, number>()
  const values: string[] = []
  const recordCode = Uint32Array.from(ofRecord, (value) => {
    let code = codeOf.get(value)
    if (code === undefined) {
      codeOf.set(value, (code = values.length))
      values.push(value)
    }
    return code
  })
  const codes = new Uint32Array(ofRow.length)
  for (let r = 0; r < ofRow.length; r++) codes[r] = recordCode[ofRow[r]]
  return { codes, values }
}

/** The procedure codes of the rows' frame records (for their names). */
export const procedureCodes = ({ names, parts }: FrameLabels): string[] => {
  const at = names.indexOf('procedure')
  return [...new Set(parts.map((p) => p[at]))].filter((code) => code !== '')
}

/** The document's breakdowns to make: by each profile item answered, then by the frame records' variables. */
function breakdownRequests(input: DocumentInput, variables: Record<string, CodedValues> | null): BreakdownRequest[] {
  const procedureNames = new Map(Object.entries(input.procedureNames))
  return [
    ...profileRequests(input.batch, input.instrument),
    ...(variables ? frameRequests(input.batch.size, variables, procedureNames) : [])
  ]
}

const breakdownInput = (input: DocumentInput, calibration?: CalibratedWeights): BreakdownInput => ({
  batch: input.batch,
  design: input.design,
  instrument: input.instrument,
  options: input.options,
  provinceId: input.province.id,
  minimumRespondents: input.breakdownMinimum,
  calibration
})

/** What resultsDocumentOnThreads made on several threads (uncalibrated figures only). */
interface MadeOnThreads {
  scored: Scored
  breakdowns: Breakdown[]
}

export function resultsDocument(input: DocumentInput, made?: MadeOnThreads): ResultsDocument {
  const { batch, design, instrument, options, calibration } = input
  // The frame records' values: for the official figures' calibration and the breakdowns, unless made already.
  const variables = input.frame && made === undefined ? frameVariables(input.frame) : null
  try {
    const officialCalibration =
      calibratesOfficial(input) && variables !== null
        ? calibrated(
            batch,
            variables,
            input.calibration,
            frameMargins(input.frameCells, input.calibration.margins),
            'official'
          )
        : undefined
    const rates = input.responseRates
    const official = campaignResults({
      batch,
      design,
      instrument,
      options,
      province: input.province,
      units: input.units,
      responseRate: (unitId) =>
        rates === null ? null : unitId === null ? rates.province : (rates.units[unitId] ?? null),
      parRule: input.parRule,
      targets: input.targets,
      groups: input.groups,
      provinceFigure: input.provinceFigure,
      calibration: officialCalibration,
      scored: officialCalibration ? undefined : made?.scored
    })
    return {
      ...official,
      breakdowns:
        made?.breakdowns ?? breakdowns(breakdownInput(input, officialCalibration), breakdownRequests(input, variables)),
      weighting: weighting(input.sampled ? 'stratified' : 'self-selected', calibration),
      afterService: afterServiceResults({
        batch: input.afterService.batch,
        variables: frameVariables(input.afterService.frame),
        frame: input.frameCells,
        calibration: input.afterServiceCalibration,
        instrument,
        options,
        province: input.province,
        units: input.units
      })
    }
  } catch (error) {
    throw lonelyPsuProblem(error)
  }
}

/**
 * resultsDocument with the official figures scored, the units' overall rank sets and the breakdowns made, on
 * up to `threads` threads (share-pool.ts) when they are not calibrated (calibrated figures are scored by other
 * passes, on one thread).
 */
export async function resultsDocumentOnThreads(
  input: DocumentInput,
  { threads, rowsPerShare, unitsPerRankShare }: Sharing
): Promise<ResultsDocument> {
  if (threads < 2 || calibratesOfficial(input)) return resultsDocument(input)
  const { batch, design, instrument, options } = input
  const domains = campaignDomains(batch, input.province, input.units, input.groups)
  const scored = await scoreOnThreads(batch, design, instrument, options, domains, threads, rowsPerShare).catch(
    (error: unknown) => {
      throw lonelyPsuProblem(error)
    }
  )
  // The units' overall ranking: with many units its rank sets cost more than the scoring.
  const { estimate, variance } = rankSetInputs(
    overallFigures(input.units, scored.results.slice(1, 1 + input.units.length))
  )
  const overallRankSets = await rankSetsOnThreads(estimate, variance, options.level, threads, unitsPerRankShare)
  // Each breakdown a pass over every row: on a province's million, ten of them cost more than the figures.
  const requests = breakdownRequests(input, input.frame ? frameVariables(input.frame) : null)
  const within = breakdownInput(input)
  const categories = await breakdownsOnThreads(
    requests.map((request) => breakdownTask(within, request.values)),
    threads,
    rowsPerShare
  ).catch((error: unknown) => {
    throw lonelyPsuProblem(error)
  })
  return resultsDocument(input, {
    scored: { ...scored, overallRankSets },
    breakdowns: requests.map((request, i) => breakdownOf(request, categories[i], input.breakdownMinimum))
  })
}

/** A stratum of one PSU under the "fail" rule is the caller's problem; other errors stay as they are. */
const lonelyPsuProblem = (error: unknown): unknown =>
  error instanceof LonelyPsuError
    ? new Problem('lonely-psu', `${error.message}.`, undefined, undefined, { stratum: error.stratum })
    : error
