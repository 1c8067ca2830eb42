import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse } from 'csv-parse/sync'
import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'
import type { CalibrationSpec, Margin } from '../scoring/index.js'
import { CsvError } from './responses-csv.js'

/** The options file's `calibration`: margins whose totals are CSV files next to the options file. */
export const CalibrationOption = Type.Object(
  {
    method: Type.Enum(['poststratify', 'linear', 'raking']),
    margins: Type.Array(
      Type.Object(
        {
          by: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
          totals: Type.String({
            minLength: 1,
            description: 'CSV, relative to the options file: the `by` columns, then N'
          })
        },
        { additionalProperties: false }
      ),
      { minItems: 1 }
    )
  },
  { additionalProperties: false }
)
export type CalibrationOption = Static<typeof CalibrationOption>

/** A margin's totals CSV: header = the `by` variables then `N`; one row per cell. Errors name row and column. */
export function readMarginCsv(text: string, by: readonly string[]): Margin {
  const records = parse(text, { bom: true, skip_empty_lines: true, trim: true }) as string[][]
  const header = records[0] ?? []
  const expected = [...by, 'N']
  if (header.join() !== expected.join()) throw new CsvError(1, '-', `the header must be ${expected.join(',')}`)
  const totals = records.slice(1).map((record, i) => {
    const N = Number(record[by.length])
    if (record[by.length] === '' || !(N >= 0) || !Number.isFinite(N))
      throw new CsvError(i + 2, 'N', `"${record[by.length]}" is not a count`)
    return { values: record.slice(0, by.length), N }
  })
  return { by, totals }
}

/** The calibration of an options file at `optionsPath`, its margin files read. */
export function loadCalibration(input: unknown, optionsPath: string): CalibrationSpec {
  const errors = Value.Errors(CalibrationOption, input)
  if (errors.length > 0)
    throw new Error(`calibration: ${errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`)
  const option = input as CalibrationOption
  return {
    method: option.method,
    margins: option.margins.map(({ by, totals }) => {
      const path = resolve(dirname(optionsPath), totals)
      try {
        return readMarginCsv(readFileSync(path, 'utf8'), by)
      } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`)
      }
    })
  }
}
