import t from 'tap'
import { againstTarget, difference, parPoints, rankUnits, yearOverYear } from '../../src/scoring/rankings.js'
import { qualityFlags } from '../../src/scoring/quality.js'
import { makeBatch } from '../helpers/batch.js'

t.test('ranks: highest first, ties share a rank, compared unrounded', async (t) => {
  const ranked = rankUnits([
    { id: 'A', estimate: 0.9, se: 0.01, df: 100 },
    { id: 'B', estimate: 0.95, se: 0.01, df: 100 },
    { id: 'C', estimate: 0.9, se: 0.01, df: 100 },
    { id: 'D', estimate: 0.90004, se: 0.01, df: 100 }
  ])
  t.same(
    ranked.map((r) => [r.id, r.rank]),
    [
      ['B', 1],
      ['D', 2],
      ['A', 3],
      ['C', 3]
    ]
  )
})

t.test('significant differences and rank intervals', async (t) => {
  // B − A = 0.10 with SE √(0.01² + 0.01²) ≈ 0.0141: significant; D − A = 0.00004: not.
  const ranked = rankUnits([
    { id: 'A', estimate: 0.85, se: 0.01, df: 100 },
    { id: 'B', estimate: 0.95, se: 0.01, df: 100 },
    { id: 'D', estimate: 0.85004, se: 0.01, df: 100 }
  ])
  const a = ranked.find((r) => r.id === 'A')!
  t.same(a.significantlyAbove, ['B'])
  t.same(a.rankInterval, [2, 3])
  t.same(ranked.find((r) => r.id === 'B')!.rankInterval, [1, 1])
})

t.test('year over year: independent campaigns add variances', async (t) => {
  const change = yearOverYear(
    { id: '2025', estimate: 0.8571, se: 0.003, df: 200 },
    { id: '2024', estimate: 0.84, se: 0.004, df: 150 }
  )
  t.ok(Math.abs(change.estimate - 0.0171) < 1e-12)
  t.ok(Math.abs(change.se! - 0.005) < 1e-12)
  t.equal(change.df, 150)
  t.ok(change.ci!.lower > 0, 'the rise is significant')
  t.equal(
    difference({ id: 'a', estimate: 0.5, se: null, df: null }, { id: 'b', estimate: 0.4, se: 0.1, df: 3 }).se,
    null
  )
})

t.test('targets of NQ 76/NQ-CP: met only when the interval clears them', async (t) => {
  t.equal(againstTarget({ estimate: 0.93, ci: { lower: 0.91, upper: 0.95, method: 'logit' } }, 0.9).status, 'met')
  t.equal(
    againstTarget({ estimate: 0.91, ci: { lower: 0.89, upper: 0.93, method: 'logit' } }, 0.9).status,
    'undetermined'
  )
  t.equal(againstTarget({ estimate: 0.85, ci: { lower: 0.83, upper: 0.87, method: 'logit' } }, 0.9).status, 'not-met')
  t.ok(Math.abs(againstTarget({ estimate: 0.85, ci: null }, 0.95).gap + 0.1) < 1e-12)
})

t.test('PAR INDEX points: linear and bands', async (t) => {
  t.ok(Math.abs(parPoints({ kind: 'linear', maxPoints: 38 }, 0.9) - 34.2) < 1e-12)
  const bands = {
    kind: 'bands' as const,
    bands: [
      { min: 0.9, points: 30 },
      { min: 0.95, points: 38 },
      { min: 0.8, points: 20 }
    ]
  }
  t.equal(parPoints(bands, 0.96), 38)
  t.equal(parPoints(bands, 0.95), 38)
  t.equal(parPoints(bands, 0.9499999), 30, 'unrounded: 94.99999% is not 95%')
  t.equal(parPoints(bands, 0.5), 0)
})

t.test('quality flags', async (t) => {
  const { batch, design } = makeBatch(
    ['F1.1', 'F1.2', 'F1.3'],
    [
      { unit: 'A', stratum: 'S1', answers: [5, 5, 5] },
      { unit: 'A', stratum: 'S1', answers: [5, 4, 5] },
      { unit: 'B', stratum: 'S2', answers: [3, 3, null] },
      { unit: 'B', stratum: 'S1', answers: [3, 3, 3] }
    ]
  )
  const day = 86_400_000
  const flags = qualityFlags(batch, design, {
    criteria: ['F1.1', 'F1.2', 'F1.3'],
    collectedAt: Float64Array.from([10, 11, 40, 12].map((d) => d * day)),
    window: { start: 10 * day, end: 30 * day },
    minimumPerUnit: 3
  })
  const find = (code: string, subject: string) => flags.find((f) => f.code === code && f.subject === subject)
  t.equal(find('straight-lining', 'A')?.count, 1)
  t.equal(find('straight-lining', 'B')?.count, 1, 'two answered of three is not enough by default')
  t.equal(find('outside-window', 'B')?.count, 1)
  t.notOk(find('outside-window', 'A'))
  t.equal(find('below-minimum-sample', 'A')?.count, 2)
  t.equal(find('lonely-psu', 'S2')?.count, 1)
  t.notOk(find('lonely-psu', 'S1'))
})
