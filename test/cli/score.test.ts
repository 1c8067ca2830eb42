import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { readResponsesCsv } from '../../src/cli/responses-csv.js'
import {
  STANDARD_INSTRUMENT,
  answerColumns,
  computeIndices,
  indexPlan,
  indexSpecs,
  printKernels,
  scoringOptions,
  slotCount
} from '../../src/scoring/index.js'
import { main } from '../../src/cli/score.js'
import { nodeArgs, repoPath } from '../helpers/paths.js'

const FIXTURE = repoPath('test/fixtures/r-survey/clustered_fpc.csv')
// The entry point is run as a process once; the other cases call main() in-process (same code, faster).
const spawnScore = (...args: string[]) =>
  spawnSync(process.execPath, [...nodeArgs('src/cli/score.ts'), ...args], { encoding: 'utf8' })
const score = (...args: string[]) => {
  let stdout = ''
  let stderr = ''
  const status = main(args, {
    out: (text) => {
      stdout += text
    },
    err: (text) => {
      stderr += text + '\n'
    }
  })
  return { status, stdout, stderr }
}
const dir = mkdtempSync(join(tmpdir(), 'sipas-score-'))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

t.test(
  'prints every index of the whole sample and of each unit, in percent, unrounded, as the core computes them',
  async (t) => {
    const run = spawnScore(FIXTURE)
    t.equal(run.status, 0, run.stderr)
    const out = JSON.parse(run.stdout)
    const { batch, design } = readResponsesCsv(readFileSync(FIXTURE, 'utf8'), STANDARD_INSTRUMENT)
    const domains = [{ id: 'all', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
    const [all, ...units] = computeIndices(batch, design, STANDARD_INSTRUMENT, scoringOptions(), domains)
    const overall = all.indices.find((i) => i.code === 'overall')!
    t.equal(out.all.overall.estimate, overall.estimate! * 100, 'to the last digit')
    t.equal(out.all.overall.se, overall.se! * 100)
    t.same(out.all.overall.ci, [overall.ci!.lower * 100, overall.ci!.upper * 100])
    t.equal(Object.keys(out.all.criteria).length, 22)
    t.same(Object.keys(out.all.factors), ['F1', 'F2', 'F3', 'F4', 'F5'])
    t.equal(out.units.length, units.length)
    const u01 = units.find((u) => u.domain === 'U01')!.indices.find((i) => i.code === 'F3.2')!
    t.equal(out.units.find((u: { unit: string }) => u.unit === 'U01').criteria['F3.2'].estimate, u01.estimate! * 100)
    t.match(out.design, { clustered: true, fpc: true, strata: 3 })
  }
)

t.test('an options file selects the methods and the instrument', async (t) => {
  const instrument = file('instrument.json', JSON.stringify({ ...STANDARD_INSTRUMENT, code: 'VARIANT', version: 2 }))
  const options = file(
    'options.json',
    JSON.stringify({ instrument: 'instrument.json', interval: 'beta', overallMethod: 'pooled' })
  )
  t.ok(instrument)
  const run = score(FIXTURE, '--options', options)
  t.equal(run.status, 0, run.stderr)
  const out = JSON.parse(run.stdout)
  t.same(out.instrument, { code: 'VARIANT', version: 2 })
  t.equal(out.all.overall.ciMethod, 'beta')
  t.equal(out.options.overallMethod, 'pooled')
})

t.test('bad input: a message naming the row and column, exit code 2', async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    ['value.csv', 'unit,F1.1\nA,5\nA,7\n', /row 3, column F1\.1: "7" is not an answer code/],
    ['column.csv', 'unit,F9.9\nA,5\n', /row 1, column F9\.9: not a design column/],
    ['nounit.csv', 'F1.1\n5\n', /row 1, column unit/],
    ['weight.csv', 'unit,weight,F1.1\nA,-1,5\n', /row 2, column weight/],
    ['fpc.csv', 'unit,stratum,fpc,F1.1\nA,S1,10,5\nB,S1,11,4\n', /row 3, column fpc: differs/],
    ['ragged.csv', 'unit,F1.1\nA,5,3\n', /row 2/],
    ['empty.csv', '', /empty/]
  ]
  for (const [name, text, message] of cases) {
    const run = score(file(name, text))
    t.equal(run.status, 2, name)
    t.match(run.stderr, message, name)
  }
  const options = file('bad-options.json', JSON.stringify({ interval: 'normal' }))
  const bad = score(FIXTURE, '--options', options)
  t.equal(bad.status, 2)
  t.match(bad.stderr, /interval/)
  const failed = spawnScore(file('bad-process.csv', 'unit,F1.1\nA,9\n'))
  t.equal(failed.status, 2, 'the process exits with 2')
  t.match(failed.stderr, /row 2, column F1\.1/)
  t.equal(score().status, 2, 'usage')
  t.match(score().stderr, /usage: npm run score/)
})

t.test('--kernels prints what the scoring compiles for the instrument under the options', async (t) => {
  const columns = answerColumns(STANDARD_INSTRUMENT)
  const printed = (options: object) =>
    printKernels(
      indexPlan(
        indexSpecs(STANDARD_INSTRUMENT, scoringOptions(options), columns),
        columns,
        slotCount(STANDARD_INSTRUMENT)
      )
    )
  const standard = score('--kernels')
  t.equal(standard.status, 0, standard.stderr)
  t.equal(standard.stdout, printed({}))
  t.match(standard.stdout, /^\/\/ pass one: each row's code/)
  const pooled = score('--kernels', '--options', file('pooled.json', JSON.stringify({ factorMethod: 'pooled' })))
  t.equal(pooled.stdout, printed({ factorMethod: 'pooled' }))
  t.not(pooled.stdout, standard.stdout, 'the options change the kernels')
  t.equal(score('--kernels', FIXTURE).status, 2, 'kernels or a CSV, not both')
})
