import { LonelyPsuError, marginalShown, runShare, type ShareStep, type ShareJob, type Shown } from '../scoring/index.js'

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

/** Who is shown above and below a share of the units (marginalShown), with the variances as the covariance. */
export const rankShare = ({ estimate, variance, level, from, to }: RankShareTask): Shown =>
  marginalShown(estimate, (a, b) => (a === b ? variance[a] : 0), level, {}, from, to)

/**
 * The share pool's task, on a helper thread: a share of a batch's scoring, whose numbers go to the job's
 * shared memory, or of a ranking's units. A stratum of one PSU under the "fail" rule is answered by name (an
 * error's class does not cross threads).
 */
export default function helperTask(task: ShareTask | RankShareTask): { lonelyPsu: string } | Shown | null {
  if ('estimate' in task) return rankShare(task)
  const { job, step, share, shares } = task
  try {
    runShare(job, step, share, shares)
    return null
  } catch (error) {
    if (error instanceof LonelyPsuError) return { lonelyPsu: error.stratum }
    throw error
  }
}
