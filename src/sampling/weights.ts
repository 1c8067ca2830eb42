/**
 * Design weights of a stratified sample's respondents. Each respondent of stratum h stands for N_h / r_h
 * people (N_h the stratum's population, r_h its respondents): non-response is adjusted within the stratum,
 * where it is assumed random. N_h is also the stratum's finite-population correction.
 */

/** N_h / r_h, or null when the stratum has no respondent. */
export const respondentWeight = (populationSize: number, respondents: number): number | null =>
  respondents > 0 ? populationSize / respondents : null

export interface StratifiedWeights {
  /** r_h, by stratum index. */
  respondents: number[]
  /** One weight per respondent: N_h / r_h of its stratum. */
  weight: Float64Array
  /** N_h by stratum index: the finite-population correction. */
  fpc: number[]
}

/**
 * The weights of respondents given the index of each one's stratum in `strata` (every index must be one of
 * them).
 */
export function stratifiedWeights(
  strata: ReadonlyArray<{ populationSize: number }>,
  stratumOf: ArrayLike<number>
): StratifiedWeights {
  const respondents = strata.map(() => 0)
  for (let i = 0; i < stratumOf.length; i++) respondents[stratumOf[i]]++
  const byStratum = strata.map((s, h) => respondentWeight(s.populationSize, respondents[h]) ?? 0)
  return {
    respondents,
    weight: Float64Array.from(stratumOf, (h) => byStratum[h]),
    fpc: strata.map((s) => s.populationSize)
  }
}
