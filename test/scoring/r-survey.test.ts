import t, { type Test } from 'tap'
import { readResponsesCsv } from '../../src/cli/responses-csv.js'
import { computeIndices } from '../../src/scoring/compute.js'
import { domainDifference } from '../../src/scoring/contrasts.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import { LonelyPsuError } from '../../src/scoring/variance.js'
import { readFixture as read, TOL, TOL_LOGIT, type RFigure } from './r-fixtures.js'

// Reference values computed with R's survey package (test/fixtures/r-survey/make-fixtures.R, README there).

interface Expected {
  csv: string
  lonelyPsu: 'fail' | 'adjust' | 'average'
  results: Array<RFigure<{ unit: string } | null>>
  differences: Array<{ a: { unit: string }; b: { unit: string }; index: string; estimate: number; se: number }>
}

const close = (t: Test, actual: number | null | undefined, expected: number, tol: number, what: string) =>
  t.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= tol,
    `${what}: ${actual} vs R ${expected}`
  )

const cases = ['srs', 'stratified_fpc', 'clustered', 'weighted', 'clustered_fpc', 'lonely.adjust', 'lonely.average']

for (const name of cases) {
  t.test(`R survey: ${name}`, async (t) => {
    const expected = JSON.parse(read(`${name}.expected.json`)) as Expected
    const { batch, design } = readResponsesCsv(read(expected.csv), STANDARD_INSTRUMENT)
    for (const interval of ['logit', 'beta'] as const) {
      const options = scoringOptions({ lonelyPsu: expected.lonelyPsu, interval })
      const domains = [{ id: 'all', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
      const results = computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains)
      let checked = 0
      for (const e of expected.results) {
        const domain = results.find((d) => d.domain === (e.domain?.unit ?? 'all'))!
        const got = domain.indices.find((i) => i.code === e.index)!
        const what = `${e.domain?.unit ?? 'all'} ${e.index}`
        if (interval === 'logit') {
          close(t, got.estimate, e.estimate, TOL, `${what} estimate`)
          close(t, got.se, e.se, TOL, `${what} se`)
          t.equal(got.df, e.df, `${what} df`)
          if (e.n !== undefined) t.equal(got.n, e.n, `${what} n`)
        }
        const ci = interval === 'logit' ? e.ci_logit : e.ci_beta
        if (ci) {
          close(t, got.ci?.lower, ci[0], interval === 'logit' ? TOL_LOGIT : TOL, `${what} ${interval} lower`)
          close(t, got.ci?.upper, ci[1], interval === 'logit' ? TOL_LOGIT : TOL, `${what} ${interval} upper`)
        }
        checked++
      }
      t.equal(checked, expected.results.length)
    }
    const options = scoringOptions({ lonelyPsu: expected.lonelyPsu })
    for (const e of expected.differences) {
      const got = domainDifference(
        batch,
        design,
        STANDARD_INSTRUMENT,
        options,
        e.index,
        { id: e.a.unit, units: [e.a.unit] },
        { id: e.b.unit, units: [e.b.unit] }
      )
      close(t, got.estimate, e.estimate, TOL, `${e.a.unit}−${e.b.unit} ${e.index} estimate`)
      close(t, got.se, e.se, TOL, `${e.a.unit}−${e.b.unit} ${e.index} se`)
    }
  })
}

t.test(
  'R survey: a lonely PSU fails by default, as in R, except for domains without rows in that stratum',
  async (t) => {
    const { batch, design } = readResponsesCsv(read('lonely.csv'), STANDARD_INSTRUMENT)
    const options = scoringOptions()
    t.throws(
      () => computeIndices(batch, design, STANDARD_INSTRUMENT, options, [{ id: 'all', units: batch.units }]),
      LonelyPsuError
    )
    const [u06] = computeIndices(batch, design, STANDARD_INSTRUMENT, options, [{ id: 'U06', units: ['U06'] }])
    const criteria = u06.indices.filter((i) => i.kind === 'criterion')
    t.equal(criteria.length, 22)
    t.ok(
      criteria.every((i) => i.se !== null && i.se > 0),
      'U06 has no rows in the lonely stratum'
    )
  }
)
