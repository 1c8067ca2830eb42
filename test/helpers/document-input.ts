import { FRAME_PARTS } from '../../src/db/queries/answer-copy.js'
import { noAfterService } from '../../src/db/queries/results.js'
import type { DocumentInput } from '../../src/domain/results-document.js'
import { NATIONAL_TARGETS } from '../../src/domain/results.js'
import { designOfBatch, MISSING, type ResponseBatch } from '../../src/scoring/batch.js'
import { answerColumns } from '../../src/scoring/instrument.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

export const COLUMNS = answerColumns(STANDARD_INSTRUMENT)

/**
 * A sampled province's document input: `units` units, each a stratum of its own, `rows` respondents whose
 * answers lean on their unit, every third one with a frame record; `lonely` puts one respondent in a stratum
 * of its own (a lonely PSU, which the "fail" rule refuses).
 */
export function province(rows: number, units: number, { lonely = false } = {}): DocumentInput {
  let state = 12345
  const uniform = () => (state = (state * 48271) % 2147483647) / 2147483647
  const ids = Array.from({ length: units }, (_, u) => `unit-${u}`)
  const unit = Uint32Array.from({ length: rows }, () => Math.floor(uniform() * units))
  if (lonely) unit[0] = units
  const strata = [...ids, ...(lonely ? ['lonely'] : [])]
  const answers = new Uint8Array(rows * COLUMNS.length)
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < COLUMNS.length; c++) {
      const x = uniform()
      answers[r * COLUMNS.length + c] = x < 0.02 ? MISSING : x < 0.5 + (unit[r] % 7) / 20 ? 4 + (x < 0.3 ? 1 : 0) : 2
    }
  const batch: ResponseBatch = {
    columns: COLUMNS,
    size: rows,
    answers,
    unit,
    units: strata,
    stratum: unit.slice(),
    psu: null,
    weight: Float64Array.from(unit, (u) => 3 + (u % 5))
  }
  const frame = {
    names: FRAME_PARTS,
    ofRow: Uint32Array.from(unit, (u, r) => (r % 3 === 0 ? 1 + (u % 2) : 0)),
    parts: [
      ['', '', '', ''],
      ['in-person', 'citizen', 'HT', '1.001193'],
      ['online', 'business', 'CT', '2.000815']
    ]
  }
  return {
    batch,
    design: designOfBatch(
      batch,
      strata,
      strata.map(() => null)
    ),
    frame,
    afterService: noAfterService(COLUMNS),
    frameCells: [],
    instrument: STANDARD_INSTRUMENT,
    options: scoringOptions({ lonelyPsu: 'fail' }),
    province: { id: 'province', code: '25', name: 'Tỉnh', level: 'province' },
    units: strata.map((id) => ({ id, code: id, name: id, level: 'commune' })),
    responseRates: null,
    parRule: null,
    targets: NATIONAL_TARGETS,
    groups: [{ code: 'half', name: 'Nửa', units: ids.slice(0, Math.floor(units / 2)) }],
    provinceFigure: 'pooled',
    calibration: null,
    afterServiceCalibration: { method: 'poststratify', margins: [['unit']] },
    breakdownMinimum: 30,
    procedureNames: { '1.001193': 'Đăng ký khai sinh' },
    sampled: true
  }
}
