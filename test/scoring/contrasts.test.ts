import { fileURLToPath } from 'node:url'
import t from 'tap'
import { loadCalibration } from '../../src/cli/calibration-options.js'
import { readResponsesCsv } from '../../src/cli/responses-csv.js'
import { calibrateWeights } from '../../src/scoring/calibration.js'
import { computeIndices } from '../../src/scoring/compute.js'
import { domainContrasts } from '../../src/scoring/contrasts.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import type { Tallies } from '../../src/scoring/tally.js'
import { differencesFromWhole } from '../../src/scoring/whole-differences.js'
import { fixtures as dir, readFixture as read, relative, TOL, type RFigure } from './r-fixtures.js'

// Reference values from R's survey package (test/fixtures/r-survey/make-group-fixtures.R): peer groups as
// subset(design, unit %in% group); their unweighted mean by svyby(..., covmat = TRUE) and svycontrast; each
// unit minus the province, the unit a domain inside it.

interface Contrast {
  index: string
  estimate: number
  se: number
}

interface Expected {
  csv: string
  groups: Record<string, string[]>
  results: Array<RFigure<{ group: string }>>
  meanOfGroups: Contrast[]
  unitMinusProvince: Array<Contrast & { unit: string }>
}

for (const design of ['cal_srs', 'cal_stratified_fpc', 'cal_clustered'])
  for (const weighting of ['design', 'linear'] as const) {
    t.test(`peer groups, their mean and units against the province equal R: ${design}, ${weighting}`, async (t) => {
      const expected = JSON.parse(
        read(`group_${design}${weighting === 'linear' ? '.linear' : ''}.expected.json`)
      ) as Expected
      const {
        batch,
        design: d,
        variables
      } = readResponsesCsv(read(expected.csv), STANDARD_INSTRUMENT, ['channel', 'subject'])
      const optionsFile = `${design}.linear.options.json`
      const calibration =
        weighting === 'linear'
          ? calibrateWeights(
              batch,
              variables,
              loadCalibration(
                (JSON.parse(read(optionsFile)) as { calibration: unknown }).calibration,
                fileURLToPath(new URL(optionsFile, dir))
              )
            )
          : undefined
      const options = scoringOptions({ lonelyPsu: 'fail' })
      const groups = Object.entries(expected.groups).map(([id, units]) => ({ id, units }))
      let worst = 0
      const close = (got: number | null, want: number, what: string) => {
        worst = Math.max(worst, got === null ? Infinity : relative(got, want))
        t.ok(got !== null && relative(got, want) <= TOL, `${what}: ${got} vs R ${want}`)
      }

      const figures = computeIndices(batch, d, STANDARD_INSTRUMENT, options, groups, { calibration })
      for (const e of expected.results) {
        const got = figures.find((f) => f.domain === e.domain.group)!.indices.find((i) => i.code === e.index)!
        close(got.estimate, e.estimate, `${e.domain.group} ${e.index} estimate`)
        close(got.se, e.se, `${e.domain.group} ${e.index} se`)
      }

      const terms = groups.map((domain) => ({ domain, coef: 1 / groups.length }))
      const mean = domainContrasts(batch, d, STANDARD_INSTRUMENT, options, terms, { calibration })
      for (const e of expected.meanOfGroups) {
        const got = mean.find((i) => i.code === e.index)!
        close(got.estimate, e.estimate, `mean of groups ${e.index} estimate`)
        close(got.se, e.se, `mean of groups ${e.index} se`)
      }

      const province = { id: 'province', units: batch.units }
      for (const unit of new Set(expected.unitMinusProvince.map((e) => e.unit))) {
        const differences = domainContrasts(
          batch,
          d,
          STANDARD_INSTRUMENT,
          options,
          [
            { domain: { id: unit, units: [unit] }, coef: 1 },
            { domain: province, coef: -1 }
          ],
          { calibration }
        )
        for (const e of expected.unitMinusProvince.filter((x) => x.unit === unit)) {
          const got = differences.find((i) => i.code === e.index)!
          close(got.estimate, e.estimate, `${unit} − province ${e.index} estimate`)
          close(got.se, e.se, `${unit} − province ${e.index} se`)
        }
      }
      // The same differences from the published figures and the covariance alone (whole-differences.ts).
      const units = [...new Set(expected.unitMinusProvince.map((e) => e.unit))].map((u) => ({ id: u, units: [u] }))
      const [whole, ...ofUnits] = computeIndices(batch, d, STANDARD_INSTRUMENT, options, [province, ...units], {
        calibration
      })
      const fromWhole = differencesFromWhole(
        batch,
        d,
        STANDARD_INSTRUMENT,
        options,
        whole,
        units.map((domain, k) => ({ domain, result: ofUnits[k] })),
        { calibration, kinds: ['criterion', 'factor', 'overall'] }
      )
      // With pass one's tallies of the figures' own computation instead of its own (uncalibrated): the same.
      let tallies: Tallies | undefined
      computeIndices(batch, d, STANDARD_INSTRUMENT, options, [province], { onTallies: (x) => (tallies = x) })
      const withTallies = differencesFromWhole(
        batch,
        d,
        STANDARD_INSTRUMENT,
        options,
        whole,
        units.map((domain, k) => ({ domain, result: ofUnits[k] })),
        { calibration, kinds: ['criterion', 'factor', 'overall'], tallies }
      )
      t.ok(calibration || tallies, 'pass one gave its tallies')
      t.same(withTallies, fromWhole, "pass one's tallies give the same differences")
      for (const e of expected.unitMinusProvince) {
        const got = fromWhole.find((u) => u.domain === e.unit)!.differences.find((i) => i.code === e.index)!
        close(got.estimate, e.estimate, `from the whole: ${e.unit} − province ${e.index} estimate`)
        close(got.se, e.se, `from the whole: ${e.unit} − province ${e.index} se`)
      }
      t.ok(expected.meanOfGroups.length > 0 && expected.unitMinusProvince.length > 0, 'figures to compare')
      t.comment(`max relative difference to R: ${worst.toExponential(2)}`)
    })
  }

t.test(
  'a contrast of a domain without answers has no estimate; a difference of a domain with itself is 0 ± 0',
  async (t) => {
    const expected = JSON.parse(read('group_cal_srs.expected.json')) as Expected
    const { batch, design } = readResponsesCsv(read(expected.csv), STANDARD_INSTRUMENT, ['channel', 'subject'])
    const options = scoringOptions({ lonelyPsu: 'fail' })
    const unit = { id: 'U01', units: ['U01'] }
    const [empty] = domainContrasts(
      batch,
      design,
      STANDARD_INSTRUMENT,
      options,
      [
        { domain: unit, coef: 1 },
        { domain: { id: 'none', units: ['nobody'] }, coef: -1 }
      ],
      { codes: ['overall'] }
    )
    t.equal(empty.estimate, null)
    const [same] = domainContrasts(
      batch,
      design,
      STANDARD_INSTRUMENT,
      options,
      [
        { domain: unit, coef: 1 },
        { domain: unit, coef: -1 }
      ],
      { codes: ['overall'] }
    )
    t.ok(Math.abs(same.estimate!) < 1e-15)
    t.equal(same.se, 0)
  }
)

t.test(
  'without SEs (self-selected responses) there is nothing to diagnose, and nothing is asked of the design',
  async (t) => {
    const expected = JSON.parse(read('group_cal_srs.expected.json')) as Expected
    const { batch, design } = readResponsesCsv(read(expected.csv), STANDARD_INSTRUMENT, ['channel', 'subject'])
    const options = scoringOptions({ lonelyPsu: 'fail' })
    const unit = { id: 'U01', units: ['U01'] }
    const [whole, part] = computeIndices(batch, design, STANDARD_INSTRUMENT, options, [
      { id: 'all', units: batch.units },
      unit
    ])
    const bare = { ...whole, indices: whole.indices.map((i) => ({ ...i, se: null })) }
    const [diagnosed] = differencesFromWhole(batch, design, STANDARD_INSTRUMENT, options, bare, [
      { domain: unit, result: part }
    ])
    t.same(diagnosed, { domain: 'U01', differences: [] })
  }
)
