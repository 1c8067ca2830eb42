import { requireInteger, SamplingError } from './errors.js'
import { respondentWeight } from './weights.js'

/**
 * Where an issued unit stands. `pending`: issued, no attempt yet; `contacted`: reached, no final result
 * yet (e.g. an appointment); `unreachable`: not reached after the attempts made (AAPOR non-contact);
 * `ineligible`: found out of scope (e.g. received no result in the period). A partial interview that is not
 * accepted as a response counts as `refused`.
 */
export type FieldStatus = 'pending' | 'contacted' | 'responded' | 'refused' | 'unreachable' | 'ineligible'

export interface FieldOutcome {
  stratum: string
  status: FieldStatus
  /** A reserve was released in this unit's place. */
  replaced?: boolean
}

export interface StratumProgress {
  stratum: string
  populationSize: number
  /** Units issued to fieldwork: main units and every reserve released as a replacement. */
  drawn: number
  /** Reached: contacted + responded + refused. */
  contacted: number
  responded: number
  refused: number
  unreachable: number
  ineligible: number
  pending: number
  replaced: number
  /** AAPOR RR1 = responded / (drawn − ineligible); null when no issued unit is eligible. */
  responseRate: number | null
  /** N_h / r_h for each respondent (r_h = responded); null when nobody has responded. */
  adjustedWeight: number | null
}

const STATUSES: readonly FieldStatus[] = ['pending', 'contacted', 'responded', 'refused', 'unreachable', 'ineligible']

/**
 * Fieldwork counts per stratum (in the order of `strata`). RR1 is the most conservative AAPOR rate: units
 * not yet resolved (pending, contacted, unreachable) count as eligible non-respondents, and reserves
 * released count as drawn, so substitution does not inflate the rate. The adjusted weight N_h / r_h makes
 * a stratum's respondents stand for its whole population (response assumed random within the stratum).
 */
export function summariseProgress(
  strata: ReadonlyArray<{ stratum: string; populationSize: number }>,
  outcomes: readonly FieldOutcome[]
): StratumProgress[] {
  const counts = new Map<string, Record<FieldStatus | 'replaced', number>>()
  strata.forEach(({ stratum, populationSize }, h) => {
    if (counts.has(stratum))
      throw new SamplingError('DUPLICATE_STRATUM', `strata[${h}].stratum`, `"${stratum}" appears more than once`)
    requireInteger(`strata[${h}].populationSize`, populationSize, 0)
    counts.set(stratum, {
      pending: 0,
      contacted: 0,
      responded: 0,
      refused: 0,
      unreachable: 0,
      ineligible: 0,
      replaced: 0
    })
  })
  outcomes.forEach(({ stratum, status, replaced = false }, i) => {
    const count = counts.get(stratum)
    if (count === undefined)
      throw new SamplingError('UNKNOWN_STRATUM', `outcomes[${i}].stratum`, `"${stratum}" is not one of the strata`)
    if (!STATUSES.includes(status))
      throw new SamplingError(
        'INVALID_PARAMETER',
        `outcomes[${i}].status`,
        `must be one of ${STATUSES.join(', ')}, got ${String(status)}`
      )
    if (replaced && status === 'responded')
      throw new SamplingError('INVALID_PARAMETER', `outcomes[${i}].replaced`, 'a respondent cannot have been replaced')
    count[status]++
    if (replaced) count.replaced++
  })
  return strata.map(({ stratum, populationSize }) => {
    const c = counts.get(stratum)!
    const drawn = STATUSES.reduce((sum, status) => sum + c[status], 0)
    const eligible = drawn - c.ineligible
    return {
      stratum,
      populationSize,
      drawn,
      contacted: c.contacted + c.responded + c.refused,
      responded: c.responded,
      refused: c.refused,
      unreachable: c.unreachable,
      ineligible: c.ineligible,
      pending: c.pending,
      replaced: c.replaced,
      responseRate: eligible > 0 ? c.responded / eligible : null,
      adjustedWeight: respondentWeight(populationSize, c.responded)
    }
  })
}
