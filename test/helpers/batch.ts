import { MISSING, designOfBatch, type Design, type ResponseBatch } from '../../src/scoring/batch.js'

export interface Row {
  unit: string
  stratum?: string
  psu?: string
  weight?: number
  answers: Array<number | null>
}

/** A batch and its design from plain rows (null answer = missing); PSUs are identified within strata. */
export function makeBatch(
  columns: string[],
  rows: Row[],
  options: { weighted?: boolean; fpc?: Record<string, number> } = {}
): { batch: ResponseBatch; design: Design } {
  const units = [...new Set(rows.map((r) => r.unit))]
  const strata = [...new Set(rows.map((r) => r.stratum ?? 'all'))]
  const clustered = rows.some((r) => r.psu !== undefined)
  const psus = [...new Set(rows.map((r) => `${r.stratum ?? 'all'}/${r.psu}`))]
  const batch: ResponseBatch = {
    columns,
    size: rows.length,
    answers: Uint8Array.from(rows.flatMap((r) => r.answers.map((a) => (a === null ? MISSING : a)))),
    unit: Uint32Array.from(rows.map((r) => units.indexOf(r.unit))),
    units,
    stratum: Uint32Array.from(rows.map((r) => strata.indexOf(r.stratum ?? 'all'))),
    psu: clustered ? Uint32Array.from(rows.map((r) => psus.indexOf(`${r.stratum ?? 'all'}/${r.psu}`))) : null,
    weight: options.weighted === false ? null : Float64Array.from(rows.map((r) => r.weight ?? 1))
  }
  return {
    batch,
    design: designOfBatch(
      batch,
      strata,
      strata.map((s) => options.fpc?.[s] ?? null),
      clustered ? psus : null
    )
  }
}

/** The given rows of a batch, keeping its units, columns and design numbering (a chunk of the same sample). */
export function selectRows(batch: ResponseBatch, rows: number[]): ResponseBatch {
  const K = batch.columns.length
  const pick = <T extends Uint32Array | Float64Array>(a: T | null, make: (v: number[]) => T) =>
    a ? make(rows.map((r) => a[r])) : null
  return {
    columns: batch.columns,
    size: rows.length,
    answers: Uint8Array.from(rows.flatMap((r) => [...batch.answers.subarray(r * K, (r + 1) * K)])),
    unit: Uint32Array.from(rows.map((r) => batch.unit[r])),
    units: batch.units,
    stratum: pick(batch.stratum, (v) => Uint32Array.from(v)),
    psu: pick(batch.psu, (v) => Uint32Array.from(v)),
    weight: pick(batch.weight, (v) => Float64Array.from(v))
  }
}
