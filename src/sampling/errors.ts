export type SamplingErrorCode =
  | 'INVALID_PARAMETER'
  | 'INFEASIBLE_ALLOCATION'
  | 'DUPLICATE_ID'
  | 'DUPLICATE_STRATUM'
  | 'UNALLOCATED_STRATUM'
  | 'UNKNOWN_STRATUM'
  | 'SAMPLE_EXCEEDS_STRATUM'

/** A bad input to the sampling module; `parameter` names it so an API layer can point at the field. */
export class SamplingError extends Error {
  constructor(
    readonly code: SamplingErrorCode,
    readonly parameter: string,
    message: string
  ) {
    super(`${parameter}: ${message}`)
    this.name = 'SamplingError'
  }
}

export function requireInteger(parameter: string, value: number, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new SamplingError('INVALID_PARAMETER', parameter, `must be an integer ≥ ${minimum}, got ${value}`)
  }
}

/** Checks value ∈ the interval written as `bounds`, e.g. '(]' for (low, high]. */
export function requireInRange(
  parameter: string,
  value: number,
  low: number,
  high: number,
  bounds: '(]' | '()' | '[]'
): void {
  const aboveLow = bounds[0] === '[' ? value >= low : value > low
  const belowHigh = bounds[1] === ']' ? value <= high : value < high
  if (!(aboveLow && belowHigh)) {
    throw new SamplingError(
      'INVALID_PARAMETER',
      parameter,
      `must be in ${bounds[0]}${low}, ${high}${bounds[1]}, got ${value}`
    )
  }
}
