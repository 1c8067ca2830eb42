import t from 'tap'
import { campaignResults } from '../../src/domain/results.js'
import { designOfBatch, MISSING, type ResponseBatch } from '../../src/scoring/batch.js'
import { answerColumns } from '../../src/scoring/instrument.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

t.test("each unit's data-quality flags are in its published result", async (t) => {
  const columns = answerColumns(STANDARD_INSTRUMENT)
  const criteria = STANDARD_INSTRUMENT.items.filter((i) => i.kind === 'criterion').map((i) => i.code)
  const rows = 60
  const answers = new Uint8Array(rows * columns.length).fill(MISSING)
  for (let r = 0; r < rows; r++)
    criteria.forEach((code, k) => {
      // Rows 0, 2 and 4 of unit A (even rows) give 4 to every criterion; the others vary.
      answers[r * columns.length + columns.indexOf(code)] = r < 6 && r % 2 === 0 ? 4 : 1 + ((r + k) % 5)
    })
  const batch: ResponseBatch = {
    columns,
    size: rows,
    answers,
    unit: Uint32Array.from({ length: rows }, (_, r) => r % 2),
    units: ['A', 'B'],
    stratum: null,
    psu: null,
    weight: null
  }
  const design = designOfBatch(batch, ['all'], [null])
  const results = campaignResults({
    batch,
    design,
    instrument: STANDARD_INSTRUMENT,
    options: scoringOptions({ lonelyPsu: 'adjust' }),
    province: { id: 'P', code: null, name: 'Tỉnh', level: 'province' },
    units: ['A', 'B'].map((id) => ({ id, code: id, name: id, level: 'commune' })),
    responseRate: () => null,
    parRule: null,
    targets: []
  })
  const unit = (id: string) => results.units.find((u) => u.unitId === id)!
  t.match(unit('A').quality, [{ code: 'straight-lining', subject: 'A', count: 3 }], 'three straight-lined responses')
  t.same(unit('B').quality, [], 'none in B')
  t.same(results.province.quality, [], 'no stratum of one PSU')
})
