import t, { type Test } from 'tap'
import { computeIndices } from '../../src/scoring/compute.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import { validateInstrument } from '../../src/scoring/instrument.js'
import { designVariance, LonelyPsuError } from '../../src/scoring/variance.js'
import { makeBatch } from '../helpers/batch.js'

const near = (t: Test, a: number | null | undefined, b: number, what: string) =>
  t.ok(a != null && Math.abs(a - b) < 1e-12, `${what}: ${a} ≈ ${b}`)
// A two-criterion variant of the standard instrument, for factor arithmetic small enough to do by hand.
const TWO = validateInstrument({
  ...STANDARD_INSTRUMENT,
  code: 'TWO',
  factors: [STANDARD_INSTRUMENT.factors[0]],
  items: STANDARD_INSTRUMENT.items.filter((i) => i.code === 'F1.1' || i.code === 'F1.2')
})
const all = (units: string[]) => [{ id: 'all', units }]
const index = (results: ReturnType<typeof computeIndices>, code: string) =>
  results[0].indices.find((i) => i.code === code)!

t.test('criterion: share satisfied among valid answers, SE by linearisation (worked by hand)', async (t) => {
  // F1.1 answers 5, 4, 2, 0: valid 3 ("no answer" 0 excluded), satisfied 2 → 2/3.
  // z = (sat − R·valid)/X with X = 3: 1/9, 1/9, −2/9, 0; V = n/(n−1)·Σ(z − z̄)² = 4/3 · 6/81 = 8/81.
  const { batch, design } = makeBatch(
    ['F1.1', 'F1.2'],
    [
      { unit: 'A', answers: [5, 5] },
      { unit: 'A', answers: [4, 5] },
      { unit: 'A', answers: [2, 5] },
      { unit: 'A', answers: [0, 1] }
    ]
  )
  const results = computeIndices(batch, design, TWO, scoringOptions(), all(['A']))
  const f11 = index(results, 'F1.1')
  near(t, f11.estimate, 2 / 3, 'estimate')
  near(t, f11.se, Math.sqrt(8 / 81), 'se')
  t.equal(f11.n, 3)
  t.equal(f11.df, 2, 'df = 3 valid rows − 1 stratum')
  // F1.2: 5, 5, 5, 1 → 3/4. The factor F1 is the mean of its criteria: (2/3 + 3/4)/2.
  near(t, index(results, 'F1.2').estimate, 3 / 4, 'F1.2')
  near(t, index(results, 'F1').estimate, 17 / 24, 'F1 = mean of its criteria')
  // Scores of F1: z = ½(z₁ + z₂) with z₂ = (sat − ¾·valid)/4: ¼/4, ¼/4, ¼/4, −¾/4.
  const z = [(1 / 9 + 1 / 16) / 2, (1 / 9 + 1 / 16) / 2, (-2 / 9 + 1 / 16) / 2, (0 - 3 / 16) / 2]
  const mean = z.reduce((a, b) => a + b) / 4
  near(t, index(results, 'F1').se, Math.sqrt((4 / 3) * z.reduce((s, v) => s + (v - mean) ** 2, 0)), 'F1 se')
  near(t, index(results, 'overall').estimate, 17 / 24, 'overall = mean of the one factor')
  const standard = computeIndices(batch, design, STANDARD_INSTRUMENT, scoringOptions(), all(['A']))
  t.equal(index(standard, 'F1').estimate, null, 'a factor with a criterion without valid answers has no estimate')
  t.equal(index(standard, 'overall').estimate, null, 'nor has the overall index then')
})

t.test('"no answer" counted as not satisfied, when the campaign says so', async (t) => {
  const { batch, design } = makeBatch(
    ['F1.1'],
    [5, 4, 2, 0].map((a) => ({ unit: 'A', answers: [a] }))
  )
  const results = computeIndices(
    batch,
    design,
    STANDARD_INSTRUMENT,
    scoringOptions({ noAnswer: 'not-satisfied' }),
    all(['A'])
  )
  near(t, index(results, 'F1.1').estimate, 2 / 4, 'estimate')
  t.equal(index(results, 'F1.1').n, 4)
})

t.test('weights: Σw·sat / Σw·valid', async (t) => {
  const { batch, design } = makeBatch(
    ['F1.1'],
    [
      [5, 1],
      [4, 1],
      [2, 2],
      [0, 2]
    ].map(([a, w]) => ({ unit: 'A', weight: w, answers: [a] }))
  )
  near(
    t,
    index(computeIndices(batch, design, STANDARD_INSTRUMENT, scoringOptions(), all(['A'])), 'F1.1').estimate,
    2 / 4,
    'estimate'
  )
})

t.test('finite population correction scales the variance by 1 − n/N', async (t) => {
  const rows = [5, 4, 2, 5, 1].map((a) => ({ unit: 'A', answers: [a] }))
  const without = makeBatch(['F1.1'], rows)
  const withFpc = makeBatch(['F1.1'], rows, { fpc: { all: 20 } })
  const se0 = index(
    computeIndices(without.batch, without.design, STANDARD_INSTRUMENT, scoringOptions(), all(['A'])),
    'F1.1'
  ).se!
  const se1 = index(
    computeIndices(withFpc.batch, withFpc.design, STANDARD_INSTRUMENT, scoringOptions(), all(['A'])),
    'F1.1'
  ).se!
  near(t, se1 * se1, se0 * se0 * (1 - 5 / 20), 'V·(1 − f)')
})

t.test('mean-score view: (mean level − 1)/4', async (t) => {
  const { batch, design } = makeBatch(
    ['F1.1'],
    [5, 4, 2, 0, null].map((a) => ({ unit: 'A', answers: [a] }))
  )
  const results = computeIndices(batch, design, STANDARD_INSTRUMENT, scoringOptions({ meanScore: true }), all(['A']))
  const mean = index(results, 'F1.1.mean')
  near(t, mean.estimate, ((5 + 4 + 2) / 3 - 1) / 4, 'estimate')
  t.equal(mean.ci?.method, 'wald')
})

t.test('non-probability responses: unweighted shares, flagged, no interval', async (t) => {
  const { batch } = makeBatch(
    ['F1.1'],
    [5, 4, 2].map((a) => ({ unit: 'kiosk', answers: [a] })),
    { weighted: false }
  )
  const design = { probability: false, strata: ['all'], fpc: [null], psuCount: [3], psus: null, psuStratum: null }
  const f11 = index(computeIndices(batch, design, STANDARD_INSTRUMENT, scoringOptions(), all(['kiosk'])), 'F1.1')
  near(t, f11.estimate, 2 / 3, 'estimate')
  t.equal(f11.nonProbability, true)
  t.equal(f11.se, null)
  t.equal(f11.ci, null)
})

t.test('perception and expectation indices', async (t) => {
  const { batch, design } = makeBatch(
    ['P.ONTIME', 'E.IMPROVE.4', 'E.IMPROVE.5'],
    [
      { unit: 'A', answers: [1, 1, 0] },
      { unit: 'A', answers: [2, 1, 1] },
      { unit: 'A', answers: [1, 0, 0] },
      { unit: 'A', answers: [0, null, null] }
    ]
  )
  const results = computeIndices(batch, design, STANDARD_INSTRUMENT, scoringOptions(), all(['A']))
  near(t, index(results, 'P.ONTIME').estimate, 2 / 3, 'positive answer among valid ones')
  near(t, index(results, 'E.IMPROVE.4').estimate, 2 / 3, 'share who picked the option among those who answered')
  near(t, index(results, 'E.IMPROVE.5').estimate, 1 / 3, 'second option')
})

t.test('p̂ = 1: the logit interval is undefined, beta is used and says so', async (t) => {
  const { batch, design } = makeBatch(
    ['F1.1'],
    [5, 4, 5, 4].map((a) => ({ unit: 'A', answers: [a] }))
  )
  const f11 = index(computeIndices(batch, design, STANDARD_INSTRUMENT, scoringOptions(), all(['A'])), 'F1.1')
  t.equal(f11.estimate, 1)
  t.equal(f11.ci?.method, 'beta')
  t.match(f11.ci?.note, /logit interval undefined/)
  t.ok(f11.ci!.lower < 1 && f11.ci!.upper === 1)
})

t.test('lonely PSU rules', async (t) => {
  const strata = [
    { stratum: 'A', psuCount: 3, fpc: null, sumT: 0.3, sumT2: 0.05 },
    { stratum: 'B', psuCount: 1, fpc: null, sumT: 0.2, sumT2: 0.04 }
  ]
  t.throws(() => designVariance(strata, 'fail'), LonelyPsuError)
  near(t, designVariance(strata, 'adjust'), (3 / 2) * (0.05 - 0.09 / 3) + 0.04, 'adjust: the lonely PSU centred at 0')
  near(
    t,
    designVariance(strata, 'average'),
    ((2 * 3) / 2) * (0.05 - 0.09 / 3),
    'average: the other strata scaled by H/H_ok'
  )
})
