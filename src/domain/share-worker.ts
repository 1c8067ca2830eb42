import { LonelyPsuError, runShare, type ShareStep, type ShareJob } from '../scoring/index.js'

/** One share of one step of a batch scored on several threads (share-pool.ts). */
export interface ShareTask {
  job: ShareJob
  step: ShareStep
  share: number
  shares: number
}

/**
 * The share pool's task, on a helper thread: its numbers go to the job's shared memory. A stratum of
 * one PSU under the "fail" rule is answered by name (an error's class does not cross threads).
 */
export default function scoreShare({ job, step, share, shares }: ShareTask): { lonelyPsu: string } | null {
  try {
    runShare(job, step, share, shares)
    return null
  } catch (error) {
    if (error instanceof LonelyPsuError) return { lonelyPsu: error.stratum }
    throw error
  }
}
