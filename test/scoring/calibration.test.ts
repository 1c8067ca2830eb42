import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { loadCalibration } from '../../src/cli/calibration-options.js'
import { readResponsesCsv } from '../../src/cli/responses-csv.js'
import { calibratedIndices } from '../../src/scoring/calibrated-indices.js'
import { CalibratedVariance, calibrationResiduals, residualVariance } from '../../src/scoring/calibrated-variance.js'
import {
  calibrateWeights,
  CalibrationVariableError,
  CellWithoutRespondentsError,
  CellWithoutTotalError,
  MarginTotalsError,
  RakingConvergenceError,
  type CalibrationSpec
} from '../../src/scoring/calibration.js'
import { computeIndices } from '../../src/scoring/compute.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

// Reference values from R's survey package (test/fixtures/r-survey/make-calibration-fixtures.R, README there).
const dir = new URL('../fixtures/r-survey/', import.meta.url)
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8')

interface Expected {
  csv: string
  lonelyPsu: 'fail'
  calibration: { method: string; options: string }
  results: Array<{
    domain: { unit: string } | null
    index: string
    estimate: number
    se: number
    df: number
    n?: number
    ci_logit?: [number, number]
    ci_beta?: [number, number]
  }>
}

const TOL = 1e-9
// As in r-survey.test.ts: R's logit interval comes from svyglm's IRLS (stopped at a relative deviance change
// of 1e-8), within a few 1e-9 of the closed form computed here.
const TOL_LOGIT = 5e-9

const relative = (actual: number, expected: number) =>
  Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300)
const close = (t: Test, actual: number | null | undefined, expected: number, tol: number, what: string) =>
  t.ok(actual != null && relative(actual, expected) <= tol, `${what}: ${actual} vs R ${expected}`)

const designs = ['cal_srs', 'cal_stratified_fpc', 'cal_clustered']
const methods = ['poststratify', 'linear', 'raking']
const TEXT = ['channel', 'subject']

for (const name of designs) {
  for (const method of methods) {
    t.test(`R survey calibration: ${name} ${method}`, async (t) => {
      const expected = JSON.parse(read(`${name}.${method}.expected.json`)) as Expected
      const optionsPath = fileURLToPath(new URL(expected.calibration.options, dir))
      const { calibration } = JSON.parse(read(expected.calibration.options)) as { calibration: unknown }
      const spec = loadCalibration(calibration, optionsPath)
      const { batch, design, variables } = readResponsesCsv(read(expected.csv), STANDARD_INSTRUMENT, TEXT)
      const calibrated = calibrateWeights(batch, variables, spec)
      const domains = [{ id: 'all', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
      let worst = { estimate: 0, se: 0 }
      for (const interval of ['logit', 'beta'] as const) {
        const options = scoringOptions({ lonelyPsu: expected.lonelyPsu, interval })
        const results = calibratedIndices(batch, design, STANDARD_INSTRUMENT, options, domains, calibrated)
        for (const e of expected.results) {
          const got = results
            .find((d) => d.domain === (e.domain?.unit ?? 'all'))!
            .indices.find((i) => i.code === e.index)!
          const what = `${e.domain?.unit ?? 'all'} ${e.index}`
          if (interval === 'logit') {
            close(t, got.estimate, e.estimate, TOL, `${what} estimate`)
            close(t, got.se, e.se, TOL, `${what} se`)
            t.equal(got.df, e.df, `${what} df`)
            if (e.n !== undefined) t.equal(got.n, e.n, `${what} n`)
            worst = {
              estimate: Math.max(worst.estimate, relative(got.estimate!, e.estimate)),
              se: Math.max(worst.se, relative(got.se!, e.se))
            }
          }
          const ci = interval === 'logit' ? e.ci_logit : e.ci_beta
          if (ci) {
            const tol = interval === 'logit' ? TOL_LOGIT : TOL
            close(t, got.ci?.lower, ci[0], tol, `${what} ${interval} lower`)
            close(t, got.ci?.upper, ci[1], tol, `${what} ${interval} upper`)
          }
        }
      }
      t.comment(
        `max relative difference to R: estimate ${worst.estimate.toExponential(2)}, se ${worst.se.toExponential(2)}`
      )
      // The residualising shortcut equals the literal R steps (residuals over the whole sample, then the variance).
      const rows = Int32Array.from(batch.unit.keys()).filter((r) => batch.units[batch.unit[r]] === 'U06')
      const scores = Float64Array.from(rows, (r) => Math.sin(r) * 1e-3)
      const full = new Float64Array(batch.size)
      rows.forEach((r, k) => (full[r] = scores[k]))
      const literal = residualVariance(batch, design, calibrationResiduals(calibrated, full), 'fail')
      const shortcut = new CalibratedVariance(batch, design, calibrated, 'fail').variance(rows, scores)
      t.ok(relative(shortcut, literal) < 1e-10, `CalibratedVariance ${shortcut} == residual variance ${literal}`)
      // The scoring entry point takes the calibration too, and gives the same figures.
      const options = scoringOptions({ lonelyPsu: expected.lonelyPsu })
      t.same(
        computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains, { calibration: calibrated }),
        calibratedIndices(batch, design, STANDARD_INSTRUMENT, options, domains, calibrated)
      )
    })
  }
}

t.test('calibration errors name what is wrong', async (t) => {
  const expected = JSON.parse(read('cal_srs.linear.expected.json')) as Expected
  const { batch, variables } = readResponsesCsv(read(expected.csv), STANDARD_INSTRUMENT, TEXT)
  const spec = loadCalibration(
    (JSON.parse(read(expected.calibration.options)) as { calibration: unknown }).calibration,
    fileURLToPath(new URL(expected.calibration.options, dir))
  )
  const [unit, channelSubject] = spec.margins
  const withTotals = (margin: typeof unit, edit: (N: number, values: readonly string[]) => number | null) => ({
    by: margin.by,
    totals: margin.totals.flatMap(({ values, N }) => {
      const next = edit(N, values)
      return next === null ? [] : [{ values, N: next }]
    })
  })

  t.throws(
    () =>
      calibrateWeights(batch, variables, {
        method: 'linear',
        margins: [withTotals(unit, (N, [u]) => (u === 'U01' ? N + 5 : N)), channelSubject]
      }),
    MarginTotalsError,
    'a margin whose grand total disagrees'
  )
  t.throws(
    () =>
      calibrateWeights(batch, variables, {
        method: 'raking',
        margins: [withTotals(unit, (N, [u]) => (u === 'U03' ? null : N))]
      }),
    CellWithoutTotalError,
    'respondents in a cell without a total'
  )
  const post: CalibrationSpec = {
    method: 'poststratify',
    margins: [{ by: ['unit'], totals: [...unit.totals, { values: ['U99'], N: 40 }] }]
  }
  t.throws(() => calibrateWeights(batch, variables, post), CellWithoutRespondentsError, 'a total without respondents')
  t.throws(
    () => calibrateWeights(batch, { channel: variables.channel }, spec),
    CalibrationVariableError,
    'a margin variable missing from the data'
  )
  // Raking cannot reach a cell total of 0 with respondents in it: exp(η) only tends to 0.
  t.throws(
    () =>
      calibrateWeights(batch, variables, {
        method: 'raking',
        margins: [
          withTotals(unit, (N, [u]) => (u === 'U02' ? 0 : u === 'U01' ? N + withTotal(unit, 'U02') : N)),
          channelSubject
        ]
      }),
    RakingConvergenceError,
    'raking that does not converge'
  )
})

const withTotal = (margin: { totals: ReadonlyArray<{ values: readonly string[]; N: number }> }, value: string) =>
  margin.totals.find((c) => c.values[0] === value)!.N
