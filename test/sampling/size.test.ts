import t from 'tap'
import {
  cochranSampleSize,
  inflateForResponse,
  roundUp,
  sampleSizePlan,
  SamplingError,
  yamaneSampleSize,
  zForConfidence
} from '../../src/sampling/index.js'

t.test('Yamane n = N/(1 + N·e²), rounded up (worked by hand)', async (t) => {
  t.equal(yamaneSampleSize(10_000, 0.05), 385, '10000/26 = 384.62 → 385')
  t.equal(yamaneSampleSize(1_000, 0.05), 286, '1000/3.5 = 285.71 → 286')
  t.equal(yamaneSampleSize(500, 0.05), 223, '500/2.25 = 222.22 → 223')
  t.equal(yamaneSampleSize(400, 0.05), 200, '400/2 = 200 exactly, not rounded up to 201')
  t.equal(yamaneSampleSize(1_000, 0.1), 91, '1000/11 = 90.91 → 91')
  t.equal(yamaneSampleSize(1, 0.05), 1)
})

t.test('z for a confidence level', async (t) => {
  t.ok(Math.abs(zForConfidence(0.95) - 1.959963984540054) < 1e-12)
  t.ok(Math.abs(zForConfidence(0.9) - 1.6448536269514722) < 1e-12)
  t.ok(Math.abs(zForConfidence(0.99) - 2.5758293035489004) < 1e-12)
})

t.test('Cochran n₀ = z²p(1 − p)/e², n = n₀/(1 + (n₀ − 1)/N) (worked by hand)', async (t) => {
  // n₀ = 1.959964² · 0.25 / 0.0025 = 384.146
  t.equal(cochranSampleSize(null, { marginOfError: 0.05 }), 385, 'no fpc: 384.15 → 385')
  t.equal(cochranSampleSize(10_000, { marginOfError: 0.05 }), 370, '384.146/(1 + 383.146/10000) = 369.97 → 370')
  t.equal(cochranSampleSize(1_000, { marginOfError: 0.05 }), 278, '384.146/1.383146 = 277.73 → 278')
  t.equal(
    cochranSampleSize(null, { marginOfError: 0.05, confidence: 0.99 }),
    664,
    '2.575829² · 0.25/0.0025 = 663.49 → 664'
  )
  t.equal(cochranSampleSize(null, { marginOfError: 0.05, p: 0.2 }), 246, '3.841459 · 0.16/0.0025 = 245.85 → 246')
  t.equal(cochranSampleSize(50, { marginOfError: 0.05 }), 45, '384.146/(1 + 383.146/50) = 44.33 → 45')
})

t.test('inflation for response and rounding', async (t) => {
  t.equal(inflateForResponse(385, 0.7), 550)
  t.equal(inflateForResponse(100, 0.6), 167, '166.67 → 167')
  t.equal(inflateForResponse(114, 0.57), 200, 'float gives 200.00000000000003; still 200')
  t.equal(inflateForResponse(0, 0.5), 0)
  t.equal(roundUp(2.0000000001), 2)
  t.equal(roundUp(2.000001), 3)
})

t.test("a unit's plan: formula, minimum, inflation, cap at N", async (t) => {
  t.same(
    sampleSizePlan({ method: 'yamane', populationSize: 300, marginOfError: 0.05, minimum: 90, responseRate: 0.8 }),
    { formula: 172, completes: 172, toDraw: 215, census: false },
    '300/1.75 = 171.4 → 172; 172/0.8 = 215'
  )
  t.same(
    sampleSizePlan({ method: 'yamane', populationSize: 60, marginOfError: 0.05, minimum: 90, responseRate: 0.8 }),
    { formula: 53, completes: 90, toDraw: 60, census: true },
    'commune minimum 90 → 113 to draw, but only 60 people'
  )
  t.same(sampleSizePlan({ method: 'cochran', populationSize: 10_000, marginOfError: 0.05 }), {
    formula: 370,
    completes: 370,
    toDraw: 370,
    census: false
  })
})

t.test('bad parameters throw SamplingError naming them', async (t) => {
  const cases: Array<[() => unknown, string]> = [
    [() => yamaneSampleSize(1000, 0), 'marginOfError'],
    [() => yamaneSampleSize(1000, 0.6), 'marginOfError'],
    [() => yamaneSampleSize(1000, Number.NaN), 'marginOfError'],
    [() => yamaneSampleSize(0, 0.05), 'populationSize'],
    [() => yamaneSampleSize(10.5, 0.05), 'populationSize'],
    [() => cochranSampleSize(null, { marginOfError: 0.05, confidence: 1 }), 'confidence'],
    [() => cochranSampleSize(null, { marginOfError: 0.05, p: 0 }), 'p'],
    [() => inflateForResponse(10, 0), 'responseRate'],
    [() => inflateForResponse(10, 1.2), 'responseRate'],
    [() => sampleSizePlan({ method: 'yamane', populationSize: 100, marginOfError: 0.05, minimum: -1 }), 'minimum']
  ]
  for (const [call, parameter] of cases) {
    const error = t.throws(call) as SamplingError
    t.type(error, SamplingError)
    t.equal(error.code, 'INVALID_PARAMETER')
    t.equal(error.parameter, parameter)
    t.match(error.message, parameter)
  }
})
