import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { loadCalibration } from '../../src/cli/calibration-options.js'
import { readResponsesCsv } from '../../src/cli/responses-csv.js'
import { calibratedIndices } from '../../src/scoring/calibrated-indices.js'
import { CalibratedVariance, calibrationResiduals, residualVariance } from '../../src/scoring/calibrated-variance.js'
import { designOfBatch, type ResponseBatch } from '../../src/scoring/batch.js'
import {
  calibrateWeights,
  calibrationModel,
  rowCell,
  CalibrationVariableError,
  CellWithoutRespondentsError,
  CellWithoutTotalError,
  MarginTotalsError,
  numberKeys,
  RakingConvergenceError,
  sparsePattern,
  type CalibrationSpec
} from '../../src/scoring/calibration.js'
import { computeIndices } from '../../src/scoring/compute.js'
import { scoringOptions, type ScoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import { fixtures as dir, readFixture as read, relative, TOL, TOL_LOGIT, type RFigure } from './r-fixtures.js'

// Reference values from R's survey package (test/fixtures/r-survey/make-calibration-fixtures.R, README there).

interface Expected {
  csv: string
  lonelyPsu: 'fail'
  calibration: { method: string; options: string }
  results: Array<RFigure<{ unit: string } | null>>
}

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
      // Both paths: the tallies' (computeIndices) and the row-by-row reference (calibratedIndices).
      const paths = {
        tallies: (options: ScoringOptions) =>
          computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains, { calibration: calibrated }),
        rows: (options: ScoringOptions) =>
          calibratedIndices(batch, design, STANDARD_INSTRUMENT, options, domains, calibrated)
      }
      let worst = { estimate: 0, se: 0 }
      for (const [path, score] of Object.entries(paths))
        for (const interval of ['logit', 'beta'] as const) {
          const options = scoringOptions({ lonelyPsu: expected.lonelyPsu, interval })
          const results = score(options)
          for (const e of expected.results) {
            const got = results
              .find((d) => d.domain === (e.domain?.unit ?? 'all'))!
              .indices.find((i) => i.code === e.index)!
            const what = `${path}: ${e.domain?.unit ?? 'all'} ${e.index}`
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
      // The two paths agree on every figure of every domain, not only on those R was asked for.
      const options = scoringOptions({ lonelyPsu: expected.lonelyPsu })
      const [fast, reference] = [paths.tallies(options), paths.rows(options)]
      let agree = 0
      fast.forEach((d, i) =>
        d.indices.forEach((f, k) => {
          const r = reference[i].indices[k]
          const same = (a: number | null | undefined, b: number | null | undefined) =>
            a == null ? b == null : b != null && Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(b), 1e-3)
          if (same(f.estimate, r.estimate) && same(f.se, r.se) && f.df === r.df && f.n === r.n) agree++
          else t.fail(`${d.domain} ${f.code}: tallies ${JSON.stringify(f)} vs rows ${JSON.stringify(r)}`)
        })
      )
      t.ok(agree > 0, `${agree} figures equal on both paths`)
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
  // Each value occurs, not together: the first unit's rows are all "even".
  const side = Array.from(batch.unit, (u) => (u % 2 === 0 ? 'even' : 'odd'))
  const crossed: CalibrationSpec = {
    method: 'poststratify',
    margins: [
      {
        by: ['unit', 'side'],
        totals: [
          ...batch.units.map((u, i) => ({ values: [u, i % 2 === 0 ? 'even' : 'odd'], N: 50 })),
          { values: [batch.units[0], 'odd'], N: 10 }
        ]
      }
    ]
  }
  t.throws(
    () => calibrateWeights(batch, { ...variables, side }, crossed),
    new CellWithoutRespondentsError('unit × side', `unit=${batch.units[0]}, side=odd`),
    'a total on a combination no row has'
  )
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

/**
 * Designs the R fixtures do not reach, with channels not nested in units: 90 units crossing 2 strata (each
 * stratum touches every unit: wide strata, kept apart from K − Q), and 90 units in 30 strata of 3 (narrow
 * strata, their d_h A_h A_h' within K − Q). The tallies' path equals the row-by-row reference, and the
 * variance shortcut equals the literal residual variance, for the whole and for a unit.
 */
t.test('calibration with units that cross strata: both paths and the literal variance agree', async (t) =>
  agreeingPaths(t, 2, (u, random) => (random() < 0.4 ? 0 : 1))
)

t.test('calibration with many small strata: both paths and the literal variance agree', async (t) =>
  agreeingPaths(t, 30, (u) => Math.floor(u / 3))
)

// Weights that differ within a stratum: the tallies sum w and w² row by row, and so do their units' cells.
t.test('calibration with weights that vary within strata: both paths and the literal variance agree', async (t) =>
  agreeingPaths(
    t,
    30,
    (u) => Math.floor(u / 3),
    (h, r) => 20 + (h % 2) * 10 + (r % 7) * 3
  )
)

async function agreeingPaths(
  t: Test,
  strata: number,
  stratumOfUnit: (u: number, random: () => number) => number,
  weightOf: (h: number, r: number) => number = (h) => (h % 2 === 0 ? 40 : 25)
) {
  const rows = 3000
  const units = Array.from({ length: 90 }, (_, u) => `U${u}`)
  let seed = 7
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647
  const unit = Uint32Array.from({ length: rows }, (_, r) => r % units.length)
  const stratum = Uint32Array.from(unit, (u) => stratumOfUnit(u, random))
  const columns = STANDARD_INSTRUMENT.items.filter((i) => i.kind === 'criterion').map((i) => i.code)
  const answers = Uint8Array.from({ length: rows * columns.length }, () => 1 + Math.floor(random() * 5))
  const weight = Float64Array.from(stratum, weightOf)
  const batch: ResponseBatch = { columns, size: rows, answers, unit, units, stratum, psu: null, weight }
  const names = Array.from({ length: strata }, (_, h) => `H${h}`)
  const design = designOfBatch(
    batch,
    names,
    Array.from(names, (_, h) => (h % 2 === 0 ? 5000 : 9000) / (strata / 2))
  )
  const channel = Array.from({ length: rows }, () => ['counter', 'online', 'post'][Math.floor(random() * 3)])
  const totalsOf = (values: (r: number) => string, tilt: (v: string) => number) => {
    const sums = new Map<string, number>()
    for (let r = 0; r < rows; r++) sums.set(values(r), (sums.get(values(r)) ?? 0) + weight[r])
    const N = [...sums].map(([v, s]) => ({ values: [v], N: s * tilt(v) }))
    const scale = [...sums.values()].reduce((a, b) => a + b, 0) / N.reduce((a, c) => a + c.N, 0)
    return N.map((c) => ({ ...c, N: c.N * scale }))
  }
  const margins = [
    {
      by: ['unit'],
      totals: totalsOf(
        (r) => units[unit[r]],
        () => 1
      )
    },
    {
      by: ['channel'],
      totals: totalsOf(
        (r) => channel[r],
        (v) => (v === 'online' ? 1.3 : 0.9)
      )
    }
  ]
  const domains = [{ id: 'all', units }, ...units.slice(0, 5).map((u) => ({ id: u, units: [u] }))]
  const options = scoringOptions({ lonelyPsu: 'fail' })
  // Post-stratified by channel alone, a class spans units: the tallies' (unit, class) pairs are numbered apart.
  const specs: CalibrationSpec[] = [
    { method: 'linear', margins },
    { method: 'raking', margins },
    { method: 'poststratify', margins: [margins[1]] }
  ]
  for (const { method, margins } of specs) {
    const calibrated = calibrateWeights(batch, { channel }, { method, margins })
    const fast = computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains, { calibration: calibrated })
    const reference = calibratedIndices(batch, design, STANDARD_INSTRUMENT, options, domains, calibrated)
    let worst = 0
    fast.forEach((d, i) =>
      d.indices.forEach((f, k) => {
        const r = reference[i].indices[k]
        worst = Math.max(worst, relative(f.estimate!, r.estimate!), relative(f.se!, r.se!))
      })
    )
    t.ok(worst < 1e-12, `${method}: tallies and rows agree to ${worst.toExponential(2)}`)
    for (const domain of ['U3', null]) {
      const inDomain = Int32Array.from(unit.keys()).filter((r) => domain === null || units[unit[r]] === domain)
      const scores = Float64Array.from(inDomain, (r) => Math.cos(r) * 1e-3)
      const full = new Float64Array(rows)
      inDomain.forEach((r, k) => (full[r] = scores[k]))
      const literal = residualVariance(batch, design, calibrationResiduals(calibrated, full), 'fail')
      const shortcut = new CalibratedVariance(batch, design, calibrated, 'fail').variance(inDomain, scores)
      t.ok(relative(shortcut, literal) < 1e-10, `${method}, ${domain ?? 'all'}: shortcut ${shortcut} == ${literal}`)
    }
  }
}

t.test('rows are numbered alike through a table and through a Map', async (t) => {
  const keys = [7, 50, 7, 3, 50, 3, 9]
  const dense = numberKeys(Float64Array.from(keys), 64)
  const sparse = numberKeys(
    Float64Array.from(keys, (k) => k * 2 ** 30),
    2 ** 40
  )
  t.same([...dense.ids], [0, 1, 0, 2, 1, 2, 3])
  t.same([...sparse.ids], [...dense.ids])
  t.equal(sparse.count, dense.count)
  t.same([...dense.first], [0, 1, 3, 6], "each id's first row")
  t.same([...sparse.first], [...dense.first])
  // A margin of two variables with more combinations than a table holds (5,000²) finds its cells by Map.
  const size = 5000
  const a = Array.from({ length: size }, (_, r) => `a${r}`)
  const b = Array.from({ length: size }, (_, r) => `b${(r * 7) % size}`)
  const batch: ResponseBatch = {
    columns: [],
    size,
    answers: new Uint8Array(0),
    unit: new Uint32Array(size),
    units: ['U'],
    stratum: null,
    psu: null,
    weight: null
  }
  const totals = Array.from({ length: size }, (_, r) => ({ values: [a[size - 1 - r], b[size - 1 - r]], N: 2 }))
  const model = calibrationModel(batch, { a, b }, [{ by: ['a', 'b'], totals }])
  t.ok(
    a.every((_, r) => rowCell(model, r, 0) === size - 1 - r),
    'each row in the cell of its own combination'
  )
  // Margins a and b apart: 5,000² combinations of cells, so the classes are renumbered between the margins.
  const apart = [
    { by: ['a'], totals: a.map((value) => ({ values: [value], N: 2 })) },
    { by: ['b'], totals: b.map((value) => ({ values: [value], N: 2 })) }
  ]
  const classes = calibrationModel(batch, { a, b }, apart)
  t.equal(classes.classes, size)
  t.ok(
    classes.classOf.every((k, r) => k === r && classes.classCells[2 * k + 1] === size + r),
    'each row its own class, numbered as met, with its cells'
  )
  // Coded values (as the service passes its frame's) make the same model as text.
  const coded = calibrationModel(batch, { a: { codes: Uint32Array.from(a.keys()), values: a }, b }, apart)
  t.same([...coded.classOf], [...classes.classOf])
  t.same([...coded.classCells], [...classes.classCells])
})

t.test('a sparse pattern is the same found through a table of all entries and by sorting the keys', async (t) => {
  let seed = 11
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647
  // 300² entries go through a table; 3,000² (over 2²² of them) are sorted.
  for (const p of [300, 3000]) {
    const keys = Float64Array.from({ length: 20_000 }, () => Math.floor(random() * p) * p + Math.floor(random() * 40))
    const { pattern, place } = sparsePattern(p, keys)
    const entries = [...new Set(keys)].sort((a, b) => a - b)
    t.same(
      [...pattern.column],
      entries.map((k) => k % p),
      `${p}: the entries' columns, row by row`
    )
    const start = new Array<number>(p + 1).fill(0)
    for (const k of entries) start[Math.floor(k / p) + 1]++
    for (let i = 0; i < p; i++) start[i + 1] += start[i]
    t.same([...pattern.start], start, `${p}: where each row starts`)
    const entryOf = new Map(entries.map((k, e) => [k, e]))
    t.same(
      [...place],
      Array.from(keys, (k) => entryOf.get(k)),
      `${p}: each key's entry`
    )
  }
})
