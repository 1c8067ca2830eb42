import t from 'tap'
import { readResponsesCsv } from '../../src/cli/responses-csv.js'
import { computeIndices, scoreBatch } from '../../src/scoring/compute.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { runShare, scoreInShares } from '../../src/scoring/shares.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import { LonelyPsuError } from '../../src/scoring/variance.js'
import { readFixture } from './r-fixtures.js'

// A batch scored in shares (as threads do, here one share after the other) gives every figure of the one-thread
// computation bit for bit, and the same tallies, on the R fixtures (every design: strata with fpc, clusters,
// row weights, lonely PSUs) under several choices of method.
const DESIGNS = ['srs', 'stratified_fpc', 'clustered', 'weighted', 'clustered_fpc', 'lonely']
const METHODS = [
  {},
  { factorMethod: 'pooled', overallMethod: 'pooled', noAnswer: 'not-satisfied', meanScore: true },
  { factorMethod: 'overall-item', overallMethod: 'overall-item', interval: 'beta' },
  { interval: 'wilson', level: 0.9, lonelyPsu: 'average' }
] as const

/** Shares run one after the other on this thread, in reverse (the order threads finish in is not fixed). */
const oneByOne = (shares: number) => {
  const pending: Array<() => void> = []
  return {
    elsewhere: (...[job, step, share]: Parameters<Parameters<typeof scoreInShares>[6]>) => {
      pending.push(() => runShare(job, step, share, shares))
      return Promise.resolve().then(() =>
        pending
          .splice(0)
          .reverse()
          .forEach((run) => run())
      )
    }
  }
}

for (const name of DESIGNS) {
  t.test(name, async (t) => {
    const { batch, design } = readResponsesCsv(readFixture(`${name}.csv`), STANDARD_INSTRUMENT)
    const domains = [
      { id: 'all', units: batch.units },
      ...batch.units.map((u) => ({ id: u, units: [u] })),
      { id: 'first two', units: batch.units.slice(0, 2) }
    ]
    for (const methods of METHODS) {
      const options = scoringOptions({ lonelyPsu: 'adjust', ...methods })
      const whole = scoreBatch(batch, design, STANDARD_INSTRUMENT, options, domains)
      for (const shares of [2, 3, 7]) {
        const what = `${shares} shares, ${JSON.stringify(methods)}`
        const split = await scoreInShares(
          batch,
          design,
          STANDARD_INSTRUMENT,
          options,
          domains,
          shares,
          oneByOne(shares).elsewhere
        )
        t.strictSame(split.results, whole.results, `${what}: every figure bit for bit`)
        t.same(
          [split.tallies.count, split.tallies.sumW, split.tallies.sumW2, split.tallies.cellWeight],
          [whole.tallies.count, whole.tallies.sumW, whole.tallies.sumW2, whole.tallies.cellWeight],
          `${what}: the same tallies`
        )
      }
    }
  })
}

t.test('a stratum of one PSU fails as it does on one thread', async (t) => {
  const { batch, design } = readResponsesCsv(readFixture('lonely.csv'), STANDARD_INSTRUMENT)
  const options = scoringOptions({ lonelyPsu: 'fail' })
  const domains = [{ id: 'all', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
  t.throws(() => computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains), LonelyPsuError)
  await t.rejects(
    scoreInShares(batch, design, STANDARD_INSTRUMENT, options, domains, 2, oneByOne(2).elsewhere),
    LonelyPsuError
  )
})
