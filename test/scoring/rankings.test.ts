import t from 'tap'
import {
  againstTarget,
  changesAgainstPrevious,
  difference,
  parPoints,
  rankEveryIndex,
  rankUnits,
  yearOverYear,
  type Figure
} from '../../src/scoring/rankings.js'
import type { DomainResult, IndexResult } from '../../src/scoring/compute.js'
import { normalDraws } from '../../src/scoring/normal-draws.js'
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

t.test('rank sets correct for multiplicity where pairwise tests do not', async (t) => {
  // A − B = 0.029, z = 2.05: a lone test says A is above B (and C), but with two close rivals the family's
  // critical value is about 2.2, so A's rank set keeps 2 and 3. Far-off units drop out in the first step.
  const figures: Figure[] = [
    { id: 'A', estimate: 0.9, se: 0.01, df: 100 },
    { id: 'B', estimate: 0.871, se: 0.01, df: 100 },
    { id: 'C', estimate: 0.871, se: 0.01, df: 100 },
    ...[0.7, 0.72, 0.74].map((estimate, i) => ({ id: `far${i}`, estimate, se: 0.01, df: 100 }))
  ]
  const a = rankUnits(figures).find((r) => r.id === 'A')!
  t.ok(difference(figures[0], figures[1]).ci!.lower > 0, 'the pairwise interval excludes 0')
  t.same(a.rankInterval, [1, 3])
  t.same(a.rankSet, { lower: 1, upper: 3, level: 0.95, method: 'marginal', draws: 1000 })
  t.same(a.significantlyBelow, ['far2', 'far1', 'far0'], 'in rank order')
  t.same(a.significantlyAbove, [])
})

t.test('rank sets: simultaneous contain marginal; the same figures give the same sets in any order', async (t) => {
  const normal = normalDraws(7)
  const figures: Figure[] = Array.from({ length: 15 }, (_, k) => ({
    id: `u${k}`,
    estimate: 0.8 + 0.004 * k + 0.01 * normal(),
    se: 0.006 + 0.001 * (k % 4),
    df: 50
  }))
  const marginal = rankUnits(figures)
  const simultaneous = rankUnits(figures, 0.95, undefined, { method: 'simultaneous' })
  for (const m of marginal) {
    const s = simultaneous.find((r) => r.id === m.id)!
    t.ok(
      s.rankSet.lower <= m.rankSet.lower && m.rankSet.upper <= s.rankSet.upper,
      `${m.id}: ${m.rankInterval} ⊆ ${s.rankInterval}`
    )
    t.ok(m.rankSet.lower <= m.rank && m.rank <= m.rankSet.upper, `${m.id}: the estimated rank is in its set`)
  }
  t.ok(
    marginal.some(
      (m, i) => m.rankSet.upper - m.rankSet.lower < simultaneous[i].rankSet.upper - simultaneous[i].rankSet.lower
    ),
    'some simultaneous set is wider'
  )
  t.ok(simultaneous.every((s) => s.rankSet.method === 'simultaneous'))
  t.same(rankUnits([...figures].reverse()), marginal, 'order of the input does not matter')
  t.same(rankUnits(figures), marginal, 'a second call draws the same numbers')
  t.notSame(
    rankUnits(figures, 0.5).map((r) => r.rankInterval),
    marginal.map((r) => r.rankInterval),
    'the level is used'
  )
})

t.test('rank sets: units of one design use their covariance; a unit without an SE narrows nothing', async (t) => {
  // B − A = 0.02: SE 0.0141 if independent (z = 1.4), 0.0045 with a correlation of 0.9 (z = 4.5).
  const figures: Figure[] = [
    { id: 'A', estimate: 0.88, se: 0.01, df: 100 },
    { id: 'B', estimate: 0.9, se: 0.01, df: 100 }
  ]
  t.same(
    rankUnits(figures).map((r) => r.rankInterval),
    [
      [1, 2],
      [1, 2]
    ]
  )
  const together = rankUnits(figures, 0.95, (a, b) => (a === b ? 0.0001 : 0.00009))
  t.same(
    together.map((r) => [r.id, r.rankInterval, r.significantlyBelow]),
    [
      ['B', [1, 1], ['A']],
      ['A', [2, 2], []]
    ]
  )
  const withUnknown = rankUnits([
    ...figures,
    { id: 'far', estimate: 0.5, se: 0.01, df: 100 },
    { id: 'X', estimate: 0.95, se: null, df: null }
  ])
  t.same(withUnknown.find((r) => r.id === 'X')!.rankInterval, [1, 4], 'no SE: any rank')
  t.same(withUnknown.find((r) => r.id === 'far')!.rankInterval, [3, 4], 'X, unknown, is not counted above far')
  t.same(withUnknown.find((r) => r.id === 'B')!.rankInterval, [1, 3])
})

t.test('change against the previous publication: places and the figure’s change with its significance', async (t) => {
  const changes = changesAgainstPrevious(
    [
      { id: 'A', rank: 31, estimate: 0.8, se: 0.005, df: 80 },
      { id: 'B', rank: 2, estimate: 0.93, se: 0.005, df: 80 },
      { id: 'new', rank: 5, estimate: 0.9, se: 0.005, df: 80 },
      { id: 'C', rank: 7, estimate: 0.88, se: null, df: null }
    ],
    [
      { id: 'A', rank: 3, estimate: 0.83, se: 0.006, df: 60 },
      { id: 'B', rank: 4, estimate: 0.925, se: 0.006, df: 60 },
      { id: 'C', rank: 9, estimate: 0.85, se: 0.01, df: 60 },
      { id: 'gone', rank: 1, estimate: 0.95, se: 0.006, df: 60 }
    ]
  )
  const a = changes.find((c) => c.id === 'A')!
  t.equal(a.places, -28, 'fell 28 places')
  t.ok(Math.abs(a.change!.estimate + 0.03) < 1e-12)
  t.ok(Math.abs(a.change!.se! - Math.hypot(0.005, 0.006)) < 1e-12)
  t.equal(a.significant, true, 'a fall of 3 points with SE 0.78 is significant')
  const b = changes.find((c) => c.id === 'B')!
  t.equal(b.places, 2, 'rose 2 places')
  t.equal(b.significant, false, 'half a point is not')
  t.same(
    changes.find((c) => c.id === 'new'),
    {
      id: 'new',
      rank: 5,
      previousRank: null,
      places: null,
      change: null,
      significant: null
    }
  )
  t.equal(changes.find((c) => c.id === 'C')!.significant, null, 'no SE: cannot judge')
  t.equal(changes.length, 4, 'a unit gone since is not listed')
})

t.test('ranks of every index: one ranking per factor and criterion as well as overall', async (t) => {
  const index = (code: string, kind: IndexResult['kind'], estimate: number | null): IndexResult => ({
    code,
    kind,
    n: 100,
    estimate,
    se: estimate === null ? null : 0.01,
    df: estimate === null ? null : 40,
    ci: null
  })
  const unit = (domain: string, overall: number, f1: number | null, e1: number): DomainResult => ({
    domain,
    rows: 100,
    indices: [index('SIPAS', 'overall', overall), index('F1', 'factor', f1), index('E1', 'expectation', e1)]
  })
  const results = [unit('A', 0.9, 0.7, 0.3), unit('B', 0.8, 0.95, 0.4), unit('C', 0.85, null, 0.5)]
  const ranks = rankEveryIndex(results)
  t.same(Object.keys(ranks), ['SIPAS', 'F1'], 'expectations are not ranked by default')
  t.same(
    ranks.SIPAS.map((r) => [r.id, r.rank]),
    [
      ['A', 1],
      ['C', 2],
      ['B', 3]
    ]
  )
  t.same(
    ranks.F1.map((r) => [r.id, r.rank, r.rankInterval]),
    [
      ['B', 1, [1, 1]],
      ['A', 2, [2, 2]]
    ],
    'a unit without the figure is left out'
  )
  t.same(
    ranks.SIPAS,
    rankUnits([
      { id: 'A', estimate: 0.9, se: 0.01, df: 40 },
      { id: 'B', estimate: 0.8, se: 0.01, df: 40 },
      { id: 'C', estimate: 0.85, se: 0.01, df: 40 }
    ]),
    'the same as rankUnits over the figures'
  )
  t.same(Object.keys(rankEveryIndex(results, 0.95, { kinds: ['expectation'] })), ['E1'])
  const points = rankEveryIndex([...results, unit('D', 0.9, 0.7, 0.1)], 0.95, { setsUpTo: 2 })
  t.same(
    points.SIPAS.map((r) => [r.id, r.rank, r.rankInterval]),
    [
      ['A', 1, null],
      ['D', 1, null],
      ['C', 3, null],
      ['B', 4, null]
    ],
    'beyond setsUpTo units, point ranks (ties shared) without sets'
  )
  t.same(
    points.F1.map((r) => r.rank),
    [1, 2, 2],
    'a ranking of more units than setsUpTo only'
  )
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
      { unit: 'B', stratum: 'S1', answers: [3, 3, 3] },
      { unit: 'C', stratum: 'S1', answers: [1, 5, 5] }
    ]
  )
  const day = 86_400_000
  const flags = qualityFlags(batch, design, {
    criteria: ['F1.1', 'F1.2', 'F1.3'],
    collectedAt: Float64Array.from([10, 11, 40, 12, 45].map((d) => d * day)),
    window: { start: 10 * day, end: 30 * day },
    minimumPerUnit: 3
  })
  const find = (code: string, subject: string) => flags.find((f) => f.code === code && f.subject === subject)
  t.equal(find('straight-lining', 'A')?.count, 1)
  t.equal(find('straight-lining', 'B')?.count, 1, 'two answered of three is not enough by default')
  t.equal(find('outside-window', 'B')?.count, 1)
  t.notOk(find('outside-window', 'A'))
  t.equal(find('outside-window', 'C')?.count, 1, 'a row of two levels is still checked against the window')
  t.notOk(find('straight-lining', 'C'))
  t.equal(find('below-minimum-sample', 'A')?.count, 2)
  t.equal(find('lonely-psu', 'S2')?.count, 1)
  t.notOk(find('lonely-psu', 'S1'))
})
