import t from 'tap'
import fc from 'fast-check'
import { MISSING } from '../../src/scoring/batch.js'
import { cellsOf } from '../../src/scoring/cells.js'
import { computeIndices } from '../../src/scoring/compute.js'
import { domainTotals } from '../../src/scoring/estimate.js'
import { Js, join, js, kernel, real } from '../../src/scoring/kernel.js'
import { indexSpecs, scoringOptions, slotCount, type ScoringOptions } from '../../src/scoring/methods.js'
import { indexPlan } from '../../src/scoring/plan.js'
import { referenceTotals } from '../../src/scoring/reference.js'
import { codedRows, rowScorePlan, rowScores, withRowScores } from '../../src/scoring/rows.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import { cellWidth, tallyRows } from '../../src/scoring/tally.js'
import { makeBatch, type Row } from '../helpers/batch.js'

// The optimised passes (loops compiled per plan, counts per cell, derived indices, per-group sums) against
// the methodology's formulas summed row by row (src/scoring/reference.ts). Two factors of 5 and 6 criteria: groups of
// three columns, chunks of two groups, and an overall index derived from the factors.
const CODES = ['F1.1', 'F1.2', 'F1.3', 'F1.4', 'F1.5', 'F2.1', 'F2.2', 'F2.3', 'F2.4', 'F2.5', 'F2.6', 'SAT']
const INSTRUMENT = {
  ...STANDARD_INSTRUMENT,
  code: 'PASSES',
  factors: STANDARD_INSTRUMENT.factors.slice(0, 2),
  items: STANDARD_INSTRUMENT.items.filter((i) => CODES.includes(i.code))
}
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

const answer = fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 5 }) }, fc.constant(0), fc.constant(null))
const options = fc
  .record({
    factorMethod: fc.constantFrom('mean-of-criteria', 'pooled'),
    overallMethod: fc.constantFrom('mean-of-factors', 'pooled'),
    noAnswer: fc.constantFrom('exclude', 'not-satisfied'),
    meanScore: fc.boolean()
  })
  .map((o) => scoringOptions({ ...o, lonelyPsu: 'adjust' }))
// Weights per stratum (cells share one weight: counts only) or per row (sums of w and w²); cells from one
// row to dozens, on both sides of the size where counting a cell's codes first pays.
const sample = fc
  .record({
    perStratum: fc.boolean(),
    rows: fc.array(
      fc.record({
        unit: fc.constantFrom('A', 'B', 'C'),
        stratum: fc.constantFrom('S1', 'S2'),
        weight: fc.double({ min: 0.5, max: 30, noNaN: true }),
        answers: fc.array(answer, { minLength: CODES.length, maxLength: CODES.length })
      }),
      { minLength: 2, maxLength: 150, size: 'max' }
    )
  })
  .map(({ perStratum, rows }): Row[] =>
    rows.map((r) => ({ ...r, weight: perStratum ? (r.stratum === 'S1' ? 7 : 2.5) : r.weight }))
  )

t.test("tallies are the plain count, Σw and Σw² of every row's class in every column, per cell", async () => {
  fc.assert(
    fc.property(sample, options, (rows, opts: ScoringOptions) => {
      const { batch, design } = makeBatch(CODES, rows)
      const plan = indexPlan(indexSpecs(INSTRUMENT, opts, CODES), CODES, slotCount(INSTRUMENT))
      const { tallies } = tallyRows(batch, cellsOf(batch, design), plan.groups)
      const { classes } = plan
      const W = cellWidth(classes)
      const expected = new Map<string, Float64Array>()
      for (const r of rows) {
        const key = `${r.unit}/${r.stratum}`
        const sums = expected.get(key) ?? new Float64Array(3 * W)
        expected.set(key, sums)
        for (const c of classes.tallied) {
          const at = classes.position[c] * classes.stride + classes.ofAnswer[c * 256 + (r.answers[c] ?? MISSING)]
          sums[at]++
          sums[W + at] += r.weight!
          sums[2 * W + at] += r.weight! ** 2
        }
      }
      if (expected.size !== tallies.cells) return false
      for (let cell = 0; cell < tallies.cells; cell++) {
        const sums = expected.get(`${tallies.units[tallies.cellUnit[cell]]}/${design.strata[tallies.cellGroup[cell]]}`)
        if (!sums) return false
        for (let k = 0; k < W; k++) {
          const n = tallies.count[cell * W + k]
          const w = tallies.cellWeight ? n * tallies.cellWeight[cell] : tallies.sumW![cell * W + k]
          const w2 = tallies.cellWeight ? n * tallies.cellWeight[cell] ** 2 : tallies.sumW2![cell * W + k]
          if (n !== sums[k] || !close(w, sums[W + k]) || !close(w2, sums[2 * W + k])) return false
        }
      }
      return true
    }),
    { numRuns: 200 }
  )
})

t.test("domain totals and both passes' Σ t and Σ t² are the plain sums over the rows", async () => {
  fc.assert(
    fc.property(sample, options, (rows, opts: ScoringOptions) => {
      const { batch, design } = makeBatch(CODES, rows)
      const plan = indexPlan(indexSpecs(INSTRUMENT, opts, CODES), CODES, slotCount(INSTRUMENT))
      const domains = [
        { id: 'all', units: batch.units },
        ...batch.units.map((u) => ({ id: u, units: [u] })),
        { id: 'AB', units: ['A', 'B'] }
      ]
      const cells = cellsOf(batch, design)
      const { tallies, codes } = tallyRows(batch, cells, plan.groups)
      const passOne = domainTotals(tallies, design, plan, domains)
      const passTwo = rowScorePlan(plan, design, passOne)
      const totals = withRowScores(passOne, passTwo, rowScores({ units: batch.units, cells, codes }, passTwo))
      // Every total the figures are made of; Σ t² of mixed indices is pass two's (0 in indices without an estimate).
      return totals.every((d) => {
        const [plain] = referenceTotals(batch, design, plan, [d.domain])
        const same = (x: ArrayLike<number>, y: ArrayLike<number>) =>
          x.length === y.length && Array.from(x).every((v, i) => close(v, y[i]))
        return (
          plain.rows === d.rows &&
          same(plain.groups, d.groups) &&
          same(plain.strata, d.strata) &&
          same(plain.stratumStart, d.stratumStart) &&
          same(plain.Y, d.Y) &&
          same(plain.X, d.X) &&
          same(plain.n, d.n) &&
          same(plain.sumT, d.sumT) &&
          same(plain.sumT2, d.sumT2) &&
          same(plain.df, d.df)
        )
      })
    }),
    { numRuns: 200 }
  )
})

t.test(
  'cells found by sorting keys (designs with more unit × group pairs than a table holds) equal cells found through the table',
  async (t) => {
    // 5,000 units × 4,000 PSUs = 20M pairs, past the table's 2^24; the same rows with only the units present take the table.
    const rows: Row[] = Array.from({ length: 300 }, (_, i) => ({
      unit: `U${(i * 7919) % 4999}`,
      stratum: `S${i % 3}`,
      psu: `P${(i * 104729) % 4000}`,
      weight: 1 + (i % 5),
      answers: CODES.map((_, c) => (i + c) % 6 || null)
    }))
    const { batch, design } = makeBatch(CODES, rows)
    const wide = {
      ...batch,
      units: [...batch.units, ...Array.from({ length: 5000 - batch.units.length }, (_, u) => `unused${u}`)]
    }
    const psus = [
      ...(design.psus as string[]),
      ...Array.from({ length: 4000 - design.psus!.length }, (_, p) => `S0/unused${p}`)
    ]
    const psuStratum = Uint32Array.from(psus, (_, p) => (p < design.psus!.length ? design.psuStratum![p] : 0))
    const wideDesign = { ...design, psus, psuStratum }
    t.ok(wide.units.length * psus.length > 2 ** 24, 'past the table')
    const a = cellsOf(batch, design)
    const b = cellsOf(wide, wideDesign)
    t.same(
      [b.count, Array.from(b.unit), Array.from(b.group), Array.from(b.rows), Array.from(b.place)],
      [a.count, Array.from(a.unit), Array.from(a.group), Array.from(a.rows), Array.from(a.place)]
    )
    const domains = [
      { id: 'all', units: batch.units },
      { id: batch.units[0], units: [batch.units[0]] }
    ]
    const opts = scoringOptions({ lonelyPsu: 'adjust' })
    t.same(
      computeIndices(wide, wideDesign, INSTRUMENT, opts, domains),
      computeIndices(batch, design, INSTRUMENT, opts, domains)
    )
  }
)

t.test('coded rows kept from pass one give pass two what coding the batch again gives', async (t) => {
  const rows: Row[] = Array.from({ length: 500 }, (_, i) => ({
    unit: `U${i % 7}`,
    stratum: `S${i % 4}`,
    weight: 1 + (i % 4),
    answers: CODES.map((_, c) => (i * 31 + c * 7) % 6 || null)
  }))
  const { batch, design } = makeBatch(CODES, rows)
  const plan = indexPlan(indexSpecs(INSTRUMENT, scoringOptions(), CODES), CODES, slotCount(INSTRUMENT))
  const cells = cellsOf(batch, design)
  const { tallies, codes } = tallyRows(batch, cells, plan.groups)
  const passTwo = rowScorePlan(plan, design, domainTotals(tallies, design, plan, [{ id: 'all', units: batch.units }]))
  t.same(
    Array.from(rowScores({ units: batch.units, cells, codes }, passTwo)),
    Array.from(rowScores(codedRows(batch, design, plan.groups), passTwo))
  )
})

t.test('kernels: compiled once per source, from integers, reals and fragments only', async (t) => {
  const source = () => ({ name: 'add', params: ['a'], body: js`return a + ${2} * ${real(0.5)}` })
  const add = kernel<(a: number) => number>(source())
  t.equal(add(1), 2)
  t.equal(kernel(source()), add, 'the same source gives the same function')
  t.equal(String(real(0.1 + 0.2)), '(0.30000000000000004)', 'a double reads back as itself')
  t.equal(String(js`${join([js`a`, js`b`, js`c`], js` + `)} + ${-3}`), 'a + b + c + -3')
  t.equal(String(join([], js`, `)), '')
  t.throws(() => js`${1.5}`, /1.5 is not an integer/)
  t.throws(() => js`${Number.NaN}`, /not an integer/)
  t.throws(() => real(Number.POSITIVE_INFINITY), /not finite/)
  // What the types refuse is refused at run time too: text, objects, look-alikes of a fragment.
  const holes: unknown[] = ['1; process.exit()', { toString: () => 'x' }, Object.create(Js.prototype), 1n, null]
  for (const hole of holes)
    t.throws(() => js`${hole as number}`, /neither an integer nor a fragment/, String(typeof hole))
  t.throws(() => (js as unknown as (s: string) => Js)('return 1'), /js is a tag/)
  t.throws(() => kernel({ name: 'bad', params: ['a) {}; (b'], body: js`` }), /not a parameter name/)
})
