// Scores every R fixture under several method choices and prints every figure as JSON: run by
// reference.test.ts in a process that may not compile code, and in the test's own process, which may.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadCalibration } from '../../src/cli/calibration-options.js'
import { readResponsesCsv } from '../../src/cli/responses-csv.js'
import {
  STANDARD_INSTRUMENT,
  calibrateWeights,
  codeGeneration,
  computeIndices,
  differencesFromWhole,
  domainDifference,
  scoringOptions
} from '../../src/scoring/index.js'
import { fixtures as dir } from './r-fixtures.js'

const DESIGNS = ['srs', 'stratified_fpc', 'clustered', 'weighted', 'clustered_fpc', 'lonely']
const METHODS = [
  {},
  { factorMethod: 'pooled', overallMethod: 'pooled', noAnswer: 'not-satisfied', meanScore: true },
  { factorMethod: 'overall-item', overallMethod: 'overall-item', interval: 'beta' },
  { interval: 'wilson', level: 0.9, lonelyPsu: 'average' }
]

export function scoreFixtures() {
  return [...uncalibrated(), ...calibrated()]
}

function uncalibrated() {
  return DESIGNS.flatMap((name) => {
    const { batch, design } = readResponsesCsv(readFileSync(new URL(`${name}.csv`, dir), 'utf8'), STANDARD_INSTRUMENT)
    const domains = [
      { id: 'all', units: batch.units },
      ...batch.units.map((u) => ({ id: u, units: [u] })),
      { id: 'first two', units: batch.units.slice(0, 2) }
    ]
    return METHODS.map((methods) => {
      const options = scoringOptions({ lonelyPsu: 'adjust', ...methods })
      const results = computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains)
      return {
        design: name,
        methods,
        results,
        // From the tallies when the process compiles code, else row by row.
        fromWhole: differencesFromWhole(
          batch,
          design,
          STANDARD_INSTRUMENT,
          options,
          results[0],
          domains.slice(1, -1).map((domain, k) => ({ domain, result: results[1 + k] }))
        ),
        difference: domainDifference(batch, design, STANDARD_INSTRUMENT, options, 'overall', domains[1], domains[2])
      }
    })
  })
}

/** The calibration fixtures: scored by the tallies when the process compiles code, else row by row. */
function calibrated() {
  return ['cal_srs', 'cal_stratified_fpc', 'cal_clustered'].flatMap((name) =>
    ['poststratify', 'linear', 'raking'].map((method) => {
      const options = new URL(`${name}.${method}.options.json`, dir)
      const spec = loadCalibration(
        (JSON.parse(readFileSync(options, 'utf8')) as { calibration: unknown }).calibration,
        fileURLToPath(options)
      )
      const { batch, design, variables } = readResponsesCsv(
        readFileSync(new URL(`${name}.csv`, dir), 'utf8'),
        STANDARD_INSTRUMENT,
        ['channel', 'subject']
      )
      const domains = [{ id: 'all', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
      const calibration = calibrateWeights(batch, variables, spec)
      const scoring = scoringOptions({ lonelyPsu: 'fail', interval: 'beta' })
      return {
        design: name,
        calibration: method,
        results: computeIndices(batch, design, STANDARD_INSTRUMENT, scoring, domains, { calibration })
      }
    })
  )
}

if (import.meta.url === `file://${process.argv[1]}`)
  process.stdout.write(JSON.stringify({ codeGeneration, scored: scoreFixtures() }))
