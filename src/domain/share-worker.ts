import {
  breakdownIndices,
  LonelyPsuError,
  marginalShown,
  runShare,
  type BreakdownCategory,
  type CalibratedWeights,
  type CodedCategories,
  type Design,
  type Instrument,
  type ResponseBatch,
  type ScoringOptions,
  type ShareStep,
  type ShareJob,
  type Shown
} from '../scoring/index.js'

/** One share of one step of a batch scored on several threads (share-pool.ts). */
export interface ShareTask {
  job: ShareJob
  step: ShareStep
  share: number
  shares: number
}

/** Units `from` to `to` − 1 of a marginal ranking of independent estimates (`variance`: NaN without an SE). */
export interface RankShareTask {
  estimate: number[]
  variance: number[]
  level: number
  from: number
  to: number
}

/** A breakdown of the province's figures by `values` (domain/breakdowns.ts), on whichever thread makes it. */
export interface BreakdownTask {
  batch: ResponseBatch
  design: Design
  /** The items a breakdown shows. */
  instrument: Instrument
  options: ScoringOptions
  provinceId: string
  minimumRespondents: number
  values: CodedCategories
  calibration?: CalibratedWeights
}

/** The province's categories of a breakdown: breakdownIndices for the one domain. */
export const provinceCategories = (task: BreakdownTask): BreakdownCategory[] =>
  breakdownIndices(
    task.batch,
    task.design,
    task.instrument,
    task.options,
    task.values,
    [{ id: task.provinceId, units: task.batch.units }],
    task.minimumRespondents,
    { calibration: task.calibration }
  )[0].categories

/** Who is shown above and below a share of the units (marginalShown), with the variances as the covariance. */
export const rankShare = ({ estimate, variance, level, from, to }: RankShareTask): Shown =>
  marginalShown(estimate, (a, b) => (a === b ? variance[a] : 0), level, {}, from, to)

/**
 * The share pool's task, on a helper thread: a share of a batch's scoring, whose numbers go to the job's
 * shared memory, of a ranking's units, or some breakdowns (in one task: the helper goes from one to the next
 * without waiting for the thread that asked, which is busy with its own). A stratum of one PSU under the
 * "fail" rule is answered by name (an error's class does not cross threads).
 */
export default function helperTask(
  task: ShareTask | RankShareTask | { breakdowns: BreakdownTask[] }
): { lonelyPsu: string } | Shown | BreakdownCategory[][] | null {
  if ('estimate' in task) return rankShare(task)
  try {
    if ('breakdowns' in task) return task.breakdowns.map(provinceCategories)
    const { job, step, share, shares } = task
    runShare(job, step, share, shares)
    return null
  } catch (error) {
    if (error instanceof LonelyPsuError) return { lonelyPsu: error.stratum }
    throw error
  }
}
