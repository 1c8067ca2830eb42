import { parse } from 'csv-parse/sync'
import {
  answerColumns,
  MISSING,
  designOfBatch,
  type Design,
  type Instrument,
  type ResponseBatch
} from '../scoring/index.js'

export class CsvError extends Error {
  constructor(
    readonly row: number,
    readonly column: string,
    message: string
  ) {
    super(`row ${row}, column ${column}: ${message}`)
    this.name = 'CsvError'
  }
}

const DESIGN_COLUMNS = ['unit', 'stratum', 'psu', 'weight', 'fpc']

/** The answer codes each column accepts: scale levels and "no answer", options, or 0/1 for a picked option. */
function allowedCodes(instrument: Instrument): Map<string, Set<number>> {
  const allowed = new Map<string, Set<number>>()
  const noAnswer = instrument.scale.noAnswer
  for (const item of instrument.items) {
    if (item.kind === 'expectation')
      for (const code of answerColumns({ ...instrument, items: [item] })) allowed.set(code, new Set([0, 1]))
    else if ('options' in item) allowed.set(item.code, new Set([...item.options.map((o) => o.value), noAnswer]))
    else allowed.set(item.code, new Set([...instrument.scale.levels.map((l) => l.value), noAnswer]))
  }
  return allowed
}

/**
 * Reads the `npm run score` CSV: `unit`, optional `stratum`, `psu`, `weight`, `fpc`, then one column per item
 * code (answer codes, empty = missing), and the text columns named in `textColumns` (calibration margin
 * variables such as `channel`), returned as `variables`. Missing design columns mean one stratum, each row its
 * own PSU, weight 1, no fpc. A PSU is identified within its stratum. Errors name the row (1 = header) and column.
 */
export function readResponsesCsv(
  text: string,
  instrument: Instrument,
  textColumns: readonly string[] = []
): { batch: ResponseBatch; design: Design; variables: Record<string, string[]> } {
  let records: string[][]
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][]
  } catch (error) {
    const e = error as { lines?: number; message: string }
    throw new CsvError(e.lines ?? 0, '-', e.message)
  }
  if (records.length === 0) throw new CsvError(1, '-', 'the file is empty')
  const header = records[0]
  if (!header.includes('unit')) throw new CsvError(1, 'unit', 'the header has no "unit" column')
  const allowed = allowedCodes(instrument)
  const seen = new Set<string>()
  for (const name of header) {
    if (seen.has(name)) throw new CsvError(1, name, 'duplicate column')
    seen.add(name)
    if (!DESIGN_COLUMNS.includes(name) && !allowed.has(name) && !textColumns.includes(name))
      throw new CsvError(1, name, `not a design column nor an item of instrument ${instrument.code}`)
  }
  const at = (name: string) => header.indexOf(name)
  const columns = header.filter((name) => allowed.has(name))
  const columnAt = columns.map(at)
  const size = records.length - 1
  const K = columns.length
  const answers = new Uint8Array(size * K)
  const unit = new Uint32Array(size)
  const units: string[] = []
  const unitIndex = new Map<string, number>()
  const strata: string[] = []
  const stratumIndex = new Map<string, number>()
  const stratum = at('stratum') >= 0 ? new Uint32Array(size) : null
  const psus: string[] = []
  const psuIndex = new Map<string, number>()
  const psu = at('psu') >= 0 ? new Uint32Array(size) : null
  const weight = at('weight') >= 0 ? new Float64Array(size) : null
  const fpcByStratum = new Map<number, number>()
  const variables = Object.fromEntries(
    textColumns.filter((name) => at(name) >= 0 && name !== 'unit').map((name) => [name, new Array<string>(size)])
  )
  const intern = (map: Map<string, number>, list: string[], key: string) => {
    let i = map.get(key)
    if (i === undefined) {
      i = list.length
      map.set(key, i)
      list.push(key)
    }
    return i
  }
  for (let r = 0; r < size; r++) {
    const record = records[r + 1]
    const line = r + 2
    const cell = (name: string) => record[at(name)]
    if (!cell('unit')) throw new CsvError(line, 'unit', 'is empty')
    unit[r] = intern(unitIndex, units, cell('unit'))
    const h = stratum ? intern(stratumIndex, strata, cell('stratum') || '') : 0
    if (stratum) {
      if (!cell('stratum')) throw new CsvError(line, 'stratum', 'is empty')
      stratum[r] = h
    }
    if (psu) {
      if (!cell('psu')) throw new CsvError(line, 'psu', 'is empty')
      psu[r] = intern(psuIndex, psus, `${stratum ? cell('stratum') : ''}\u0000${cell('psu')}`)
    }
    if (weight) {
      const w = Number(cell('weight'))
      if (!(w > 0) || !Number.isFinite(w))
        throw new CsvError(line, 'weight', `"${cell('weight')}" is not a positive number`)
      weight[r] = w
    }
    if (at('fpc') >= 0) {
      const N = Number(cell('fpc'))
      if (!(N > 0) || !Number.isFinite(N)) throw new CsvError(line, 'fpc', `"${cell('fpc')}" is not a positive number`)
      if (fpcByStratum.has(h) && fpcByStratum.get(h) !== N)
        throw new CsvError(line, 'fpc', 'differs from an earlier row of the same stratum')
      fpcByStratum.set(h, N)
    }
    for (const [name, values] of Object.entries(variables)) {
      if (!cell(name)) throw new CsvError(line, name, 'is empty')
      values[r] = cell(name)
    }
    for (let c = 0; c < K; c++) {
      const raw = record[columnAt[c]]
      if (raw === '') {
        answers[r * K + c] = MISSING
        continue
      }
      const value = Number(raw)
      if (!Number.isInteger(value) || !(allowed.get(columns[c]) as Set<number>).has(value)) {
        throw new CsvError(
          line,
          columns[c],
          `"${raw}" is not an answer code of this item (${[...(allowed.get(columns[c]) as Set<number>)].join(', ')}, or empty)`
        )
      }
      answers[r * K + c] = value
    }
  }
  if (!stratum) strata.push('all')
  const batch: ResponseBatch = {
    columns,
    size,
    answers,
    unit,
    units,
    stratum,
    psu: psu ? new Uint32Array(psu) : null,
    weight
  }
  const fpc = strata.map((_, h) => fpcByStratum.get(h) ?? null)
  const design = designOfBatch(batch, strata, fpc, psu ? psus.map((p) => p.replace('\u0000', '/')) : null)
  design.psuCount.forEach((n, h) => {
    const N = fpc[h]
    if (N !== null && N < n) throw new CsvError(1, 'fpc', `stratum ${strata[h]} has ${n} PSUs but fpc ${N}`)
  })
  return { batch, design, variables }
}
