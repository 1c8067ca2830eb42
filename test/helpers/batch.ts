import { MISSING, designOfBatch, type Design, type ResponseBatch } from '../../src/scoring/batch.js'

export interface Row { unit: string, stratum?: string, psu?: string, weight?: number, answers: Array<number | null> }

/** A batch and its design from plain rows (null answer = missing); PSUs are identified within strata. */
export function makeBatch (columns: string[], rows: Row[], options: { weighted?: boolean, fpc?: Record<string, number> } = {}): { batch: ResponseBatch, design: Design } {
  const units = [...new Set(rows.map((r) => r.unit))]
  const strata = [...new Set(rows.map((r) => r.stratum ?? 'all'))]
  const clustered = rows.some((r) => r.psu !== undefined)
  const psus = [...new Set(rows.map((r) => `${r.stratum ?? 'all'}/${r.psu}`))]
  const batch: ResponseBatch = {
    columns,
    size: rows.length,
    answers: Uint8Array.from(rows.flatMap((r) => r.answers.map((a) => a === null ? MISSING : a))),
    unit: Uint32Array.from(rows.map((r) => units.indexOf(r.unit))),
    units,
    stratum: Uint32Array.from(rows.map((r) => strata.indexOf(r.stratum ?? 'all'))),
    psu: clustered ? Uint32Array.from(rows.map((r) => psus.indexOf(`${r.stratum ?? 'all'}/${r.psu}`))) : null,
    weight: options.weighted === false ? null : Float64Array.from(rows.map((r) => r.weight ?? 1))
  }
  return { batch, design: designOfBatch(batch, strata, strata.map((s) => options.fpc?.[s] ?? null), clustered ? psus : null) }
}
