import t from 'tap'
import fc from 'fast-check'
import { allocate, SamplingError, type AllocationOptions, type StratumSpec } from '../../src/sampling/index.js'

const strata = (...sizes: number[]): StratumSpec[] =>
  sizes.map((populationSize, h) => ({ stratum: `S${h + 1}`, populationSize }))
const sizesOf = (specs: StratumSpec[], options: AllocationOptions) => allocate(specs, options).map((a) => a.sampleSize)

t.test('proportional, worked by hand', async (t) => {
  t.same(sizesOf(strata(500, 300, 200), { total: 100, method: 'proportional' }), [50, 30, 20])
  // Quotas 1.667, 3.333, 5: floors 1 + 3 + 5 = 9; the one unit left goes to the largest remainder, .667.
  const result = allocate(strata(10, 20, 30), { total: 10, method: 'proportional' })
  t.same(
    result.map((a) => a.sampleSize),
    [2, 3, 5]
  )
  t.ok(Math.abs(result[0].quota - 10 / 6) < 1e-12, 'the quota before rounding is reported')
})

t.test('minimums and maximums are applied, then the rest re-shared', async (t) => {
  // 100 ∝ (1000, 100, 50) = 86.96, 8.70, 4.35: the two small strata go to 10, the big one takes 80.
  t.same(sizesOf(strata(1000, 100, 50), { total: 100, method: 'proportional', min: 10 }), [80, 10, 10])
  // 300 ∝ (1000, 100, 100) = 250, 25, 25: the big one is capped at 150, the others share 150.
  t.same(sizesOf(strata(1000, 100, 100), { total: 300, method: 'proportional', max: 150 }), [150, 75, 75])
  // A stratum smaller than the minimum is taken whole: (3, 5) lower bounds, 20 − 3 to the other.
  t.same(sizesOf(strata(3, 100), { total: 20, method: 'proportional', min: 5 }), [3, 17])
  // Per-stratum bounds override the common ones.
  const specs = strata(1000, 1000)
  specs[1].min = 70
  t.same(sizesOf(specs, { total: 100, method: 'proportional', min: 10 }), [30, 70])
})

t.test('equal, with a small stratum and ties', async (t) => {
  t.same(
    sizesOf(strata(2, 100, 100), { total: 30, method: 'equal' }),
    [2, 14, 14],
    'the 2-person stratum is taken whole; 28 shared'
  )
  // 10/4 = 2.5 each: the two units left go, on a tie, to the keys first in code-point order (a, b), not input order.
  const specs = ['d', 'c', 'b', 'a'].map((stratum) => ({ stratum, populationSize: 100 }))
  t.same(
    allocate(specs, { total: 10, method: 'equal' }).map((a) => [a.stratum, a.sampleSize]),
    [
      ['d', 2],
      ['c', 2],
      ['b', 3],
      ['a', 3]
    ]
  )
})

t.test('Neyman ∝ N_h·S_h, worked by hand', async (t) => {
  const specs = [
    { stratum: 'A', populationSize: 100, sd: 4 },
    { stratum: 'B', populationSize: 200, sd: 1 }
  ]
  t.same(sizesOf(specs, { total: 60, method: 'neyman' }), [40, 20], 'weights 400, 200')
  t.same(
    sizesOf(strata(100, 200), { total: 60, method: 'neyman' }),
    [20, 40],
    'default S_h = √(p(1 − p)) for all: proportional'
  )
  // p matters only through the default S_h: a given S_h against the default √(0.1·0.9) = 0.3.
  const mixed = [
    { stratum: 'A', populationSize: 100, sd: 0.6 },
    { stratum: 'B', populationSize: 100 }
  ]
  t.same(sizesOf(mixed, { total: 90, method: 'neyman', p: 0.1 }), [60, 30], 'weights 60, 30')
})

t.test('infeasible or bad requests throw SamplingError naming the parameter', async (t) => {
  t.throws(() => allocate(strata(100, 100, 100), { total: 20, method: 'proportional', min: 10 }), {
    code: 'INFEASIBLE_ALLOCATION',
    parameter: 'min',
    message: /minimums add up to 30, more than the total 20/
  })
  t.throws(() => allocate(strata(10, 10), { total: 21, method: 'equal' }), {
    code: 'INFEASIBLE_ALLOCATION',
    parameter: 'total'
  })
  t.throws(() => allocate(strata(100, 100), { total: 100, method: 'equal', max: 40 }), {
    code: 'INFEASIBLE_ALLOCATION',
    parameter: 'total'
  })
  t.throws(() => allocate(strata(100), { total: 10, method: 'equal', min: 5, max: 4 }), {
    code: 'INVALID_PARAMETER',
    parameter: 'strata[0].min'
  })
  t.throws(() => allocate([{ stratum: 'A', populationSize: 10, sd: 0 }], { total: 5, method: 'neyman' }), {
    code: 'INVALID_PARAMETER',
    parameter: 'strata[0].sd'
  })
  t.throws(() => allocate([...strata(10), ...strata(10)], { total: 5, method: 'equal' }), {
    code: 'DUPLICATE_STRATUM',
    parameter: 'strata[1].stratum'
  })
  t.throws(() => allocate(strata(10), { total: 2.5, method: 'equal' }), {
    code: 'INVALID_PARAMETER',
    parameter: 'total'
  })
  t.throws(() => allocate(strata(-1), { total: 0, method: 'equal' }), {
    code: 'INVALID_PARAMETER',
    parameter: 'strata[0].populationSize'
  })
  t.throws(() => allocate(strata(10), { total: 5, method: 'optimal' as 'equal' }), {
    code: 'INVALID_PARAMETER',
    parameter: 'method'
  })
  t.type(
    t.throws(() => allocate(strata(10), { total: 5, method: 'equal', p: 1 })),
    SamplingError
  )
})

const allocationCase = fc.record({
  specs: fc.uniqueArray(
    fc.record({
      stratum: fc.string({ minLength: 1, maxLength: 4 }),
      populationSize: fc.integer({ min: 0, max: 2000 }),
      sd: fc.option(fc.double({ min: 0.01, max: 10, noNaN: true }), { nil: undefined })
    }),
    { minLength: 1, maxLength: 30, selector: (s) => s.stratum }
  ),
  method: fc.constantFrom<AllocationOptions['method']>('proportional', 'equal', 'neyman'),
  min: fc.integer({ min: 0, max: 20 }),
  extraMax: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
  share: fc.double({ min: 0, max: 1, noNaN: true })
})

t.test('property: Σ n_h = total, bounds hold, n_h within one of its quota — or the request is refused', async (t) => {
  fc.assert(
    fc.property(allocationCase, ({ specs, method, min, extraMax, share }) => {
      const max = extraMax === undefined ? undefined : min + extraMax
      const total = Math.floor(share * specs.reduce((s, x) => s + x.populationSize, 0))
      const lo = specs.map((s) => Math.min(min, s.populationSize))
      const hi = specs.map((s) => Math.min(max ?? Infinity, s.populationSize))
      const feasible = lo.reduce((a, b) => a + b, 0) <= total && total <= hi.reduce((a, b) => a + b, 0)
      let result
      try {
        result = allocate(specs, { total, method, min, max })
      } catch (error) {
        return !feasible && error instanceof SamplingError && error.code === 'INFEASIBLE_ALLOCATION'
      }
      return (
        feasible &&
        result.reduce((s, a) => s + a.sampleSize, 0) === total &&
        result.every(
          (a, h) =>
            Number.isInteger(a.sampleSize) &&
            a.sampleSize >= lo[h] &&
            a.sampleSize <= hi[h] &&
            a.sampleSize <= a.populationSize &&
            Math.abs(a.sampleSize - a.quota) < 1
        )
      )
    }),
    { numRuns: 2000 }
  )
  t.pass('held for 2000 random cases')
})

t.test('property: with no bounds in play, proportional quotas are exactly total·N_h/N', async (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 20 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (sizes, share) => {
        const population = sizes.reduce((a, b) => a + b, 0)
        const total = Math.floor(share * population)
        return allocate(strata(...sizes), { total, method: 'proportional' }).every(
          (a) => Math.abs(a.quota - (total * a.populationSize) / population) < 1e-9 * Math.max(1, total)
        )
      }
    ),
    { numRuns: 1000 }
  )
  t.pass('held for 1000 random cases')
})
