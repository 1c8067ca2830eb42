import t from 'tap'
import { readResponsesCsv } from '../../src/cli/responses-csv.js'
import { breakdownIndices } from '../../src/scoring/breakdowns.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import { readFixture as read, relative, TOL, TOL_LOGIT, type RFigure } from './r-fixtures.js'

// Reference values from R's survey package: subset(design, variable == category), for the whole sample and
// within one unit (test/fixtures/r-survey/make-breakdown-fixtures.R).

interface Expected {
  csv: string
  variables: string[]
  within: string
  results: Array<RFigure<Record<string, string>>>
}

// R's logit bounds lie further from the closed form, up to a few 1e-8, in the small domains of one unit's
// category. At an estimate of 0% or 100% R has no interval (the fit diverges; Beta gives NaN), where the
// methodology takes the Beta interval's bound: those are compared with nothing.
const TOL_LOGIT_SMALL = 5e-8

for (const design of ['cal_srs', 'cal_stratified_fpc', 'cal_clustered']) {
  t.test(`breakdowns equal R's subset() of the design: ${design}`, async (t) => {
    const expected = JSON.parse(read(`breakdown_${design}.expected.json`)) as Expected
    const data = readResponsesCsv(read(expected.csv), STANDARD_INSTRUMENT, expected.variables)
    const domains = [
      { id: 'all', units: data.batch.units },
      { id: expected.within, units: [expected.within] }
    ]
    let compared = 0
    let worst = 0
    for (const interval of ['logit', 'beta'] as const) {
      const options = scoringOptions({ lonelyPsu: 'fail', interval })
      for (const variable of expected.variables) {
        const broken = breakdownIndices(
          data.batch,
          data.design,
          STANDARD_INSTRUMENT,
          options,
          data.variables[variable],
          domains,
          0
        )
        for (const e of expected.results.filter((r) => r.domain[variable] !== undefined)) {
          const domain = broken.find((b) => b.domain === (e.domain.unit ?? 'all'))!
          const category = domain.categories.find((c) => c.value === e.domain[variable])!
          const got = category.result!.indices.find((i) => i.code === e.index)!
          const what = `${JSON.stringify(e.domain)} ${e.index}`
          if (interval === 'logit') {
            t.ok(relative(got.estimate!, e.estimate) <= TOL, `${what} estimate ${got.estimate} vs R ${e.estimate}`)
            t.ok(relative(got.se!, e.se) <= TOL, `${what} se ${got.se} vs R ${e.se}`)
            t.equal(got.df, e.df, `${what} df`)
            if (e.n !== undefined) t.equal(got.n, e.n, `${what} n`)
            worst = Math.max(worst, relative(got.estimate!, e.estimate), relative(got.se!, e.se))
            compared++
          }
          const ci = interval === 'logit' ? e.ci_logit : e.ci_beta
          if (ci && e.estimate > 0 && e.estimate < 1) {
            const tol = interval === 'logit' ? (e.domain.unit ? TOL_LOGIT_SMALL : TOL_LOGIT) : TOL
            t.ok(relative(got.ci!.lower, ci[0]) <= tol, `${what} ${interval} lower ${got.ci?.lower} vs R ${ci[0]}`)
            t.ok(relative(got.ci!.upper, ci[1]) <= tol, `${what} ${interval} upper ${got.ci?.upper} vs R ${ci[1]}`)
          }
        }
      }
    }
    t.equal(compared, expected.results.length, 'every R figure compared')
    t.comment(`max relative difference to R: ${worst.toExponential(2)}`)
  })
}

t.test('a category below the minimum of respondents is suppressed, and the counts add up', async (t) => {
  const expected = JSON.parse(read('breakdown_cal_srs.expected.json')) as Expected
  const data = readResponsesCsv(read(expected.csv), STANDARD_INSTRUMENT, expected.variables)
  const options = scoringOptions({ lonelyPsu: 'fail' })
  const channel = data.variables.channel
  const [all] = breakdownIndices(
    data.batch,
    data.design,
    STANDARD_INSTRUMENT,
    options,
    Array.from({ length: data.batch.size }, (_, r) => (r % 10 === 0 ? null : channel[r])),
    [{ id: 'all', units: data.batch.units }],
    60
  )
  const counts = new Map<string, number>()
  for (let r = 0; r < data.batch.size; r++) if (r % 10 !== 0) counts.set(channel[r], (counts.get(channel[r]) ?? 0) + 1)
  t.same(
    all.categories.map((c) => [c.value, c.respondents]),
    [...counts].sort(([a], [b]) => a.localeCompare(b)),
    'respondents per category; rows without a value in none'
  )
  for (const c of all.categories) {
    t.equal(c.suppressed, c.respondents < 60, `${c.value}: ${c.respondents} respondents`)
    t.equal(c.result === null, c.suppressed, `${c.value}: figures only when shown`)
  }
  t.ok(all.categories.some((c) => c.suppressed) && all.categories.some((c) => !c.suppressed), 'both kinds present')
})

t.test('categories given coded (a code per row into the values) are the same as given as text', async (t) => {
  const expected = JSON.parse(read('breakdown_cal_srs.expected.json')) as Expected
  const data = readResponsesCsv(read(expected.csv), STANDARD_INSTRUMENT, expected.variables)
  const options = scoringOptions({ lonelyPsu: 'fail' })
  const channel = data.variables.channel
  const text = Array.from({ length: data.batch.size }, (_, r) => (r % 10 === 0 ? null : channel[r]))
  // Codes as met, in reverse order of the values, with a second code for one value and one for none.
  const values: Array<string | null> = [...new Set(text.filter((v) => v !== null))].reverse()
  values.push(values[0], null)
  const codes = Uint32Array.from(text, (v, r) =>
    v === null ? values.length - 1 : r % 7 === 0 && v === values[0] ? values.length - 2 : values.indexOf(v)
  )
  const domains = [{ id: 'all', units: data.batch.units }, ...data.batch.units.map((u) => ({ id: u, units: [u] }))]
  const breakdown = (categories: Parameters<typeof breakdownIndices>[4]) =>
    breakdownIndices(data.batch, data.design, STANDARD_INSTRUMENT, options, categories, domains, 20)
  t.same(breakdown({ codes, values }), breakdown(text))
})
