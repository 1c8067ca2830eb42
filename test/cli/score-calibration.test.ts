import { readFileSync } from 'node:fs'
import t from 'tap'
import { main } from '../../src/cli/score.js'
import { repoPath } from '../helpers/paths.js'

// `npm run score` with a calibration options file reproduces R's postStratify / calibrate figures
// (test/fixtures/r-survey/make-calibration-fixtures.R writes the options files beside the data).
const fixture = (name: string) => repoPath(`test/fixtures/r-survey/${name}`)

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

interface Figure {
  estimate: number
  se: number
}
interface Expected {
  csv: string
  calibration: { options: string }
  results: Array<{ domain: { unit: string } | null; index: string; estimate: number; se: number }>
}

for (const [design, method] of [
  ['cal_clustered', 'raking'],
  ['cal_stratified_fpc', 'linear'],
  ['cal_srs', 'raking']
]) {
  t.test(`npm run score with ${method} calibration reproduces R on ${design}`, async (t) => {
    const expected = JSON.parse(readFileSync(fixture(`${design}.${method}.expected.json`), 'utf8')) as Expected
    const run = score(fixture(expected.csv), '--options', fixture(expected.calibration.options))
    t.equal(run.status, 0, run.stderr)
    const out = JSON.parse(run.stdout)
    let worst = 0
    for (const e of expected.results) {
      const domain = e.domain ? out.units.find((u: { unit: string }) => u.unit === e.domain!.unit) : out.all
      const got: Figure =
        e.index === 'overall'
          ? domain.overall
          : /^F\d$/.test(e.index)
            ? domain.factors[e.index]
            : domain.criteria[e.index]
      for (const [a, b] of [
        [got.estimate, e.estimate * 100],
        [got.se, e.se * 100]
      ])
        worst = Math.max(worst, Math.abs(a - b) / b)
    }
    t.ok(worst <= 1e-9, `every estimate and SE of every domain within 1e-9 relative of R (worst ${worst})`)
  })
}

t.test('a calibration margin naming a column the responses lack is an error naming it', async (t) => {
  const run = score(fixture('cal_srs.csv'), '--options', fixture('cal_srs.linear.options.json'))
  t.equal(run.status, 0, run.stderr)
  const bad = score(fixture('srs.csv'), '--options', fixture('cal_srs.linear.options.json'))
  t.equal(bad.status, 2)
  t.match(bad.stderr, /no variable "channel"/)
})
