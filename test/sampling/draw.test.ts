import t from 'tap'
import fc from 'fast-check'
import {
  allocate,
  compareCodePoints,
  drawSample,
  inclusionProbabilities,
  stratumSizes,
  streamFor,
  type DrawPlan,
  type FrameRecord,
  type SampleDraw
} from '../../src/sampling/index.js'

const pad = (n: number) => String(n).padStart(3, '0')
// Two communes; sort keys are result dates, out of id order, so systematic and SRSWOR orders differ.
const FRAME: FrameRecord[] = [
  ...Array.from({ length: 12 }, (_, i) => ({
    id: `R${pad(i + 1)}`,
    stratum: 'HN-001',
    sortKey: `2025-01-${String(28 - 2 * i).padStart(2, '0')}`
  })),
  ...Array.from({ length: 8 }, (_, i) => ({
    id: `R${101 + i}`,
    stratum: 'HN-002',
    sortKey: `2025-02-${10 + ((i * 5) % 8)}`
  }))
]
const PLAN: DrawPlan = {
  seed: 'SIPAS-2025-Q1',
  method: 'srswor',
  allocation: [
    { stratum: 'HN-001', sampleSize: 4 },
    { stratum: 'HN-002', sampleSize: 3 }
  ],
  reserveRate: 0.5
}
const idsByStratum = (draw: SampleDraw) =>
  Object.fromEntries(
    draw.strata.map((s) => [s.stratum, draw.units.filter((u) => u.stratum === s.stratum).map((u) => u.id)])
  )
const withoutFrameIndex = (draw: SampleDraw) => draw.units.map(({ frameIndex, ...rest }) => rest)

function shuffled<T>(items: readonly T[], seed: string): T[] {
  const copy = items.slice()
  const stream = streamFor(seed, 'test-shuffle')
  for (let i = copy.length - 1; i > 0; i--) {
    const j = stream.nextBelow(i + 1)
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}

t.test('golden: the first ids drawn for a fixed frame and seed', async (t) => {
  // Main units first, then reserves by rank. Cross-checked against an independent Python implementation of
  // README.md; a change of PRNG, hash, ordering or shuffle changes them.
  t.same(idsByStratum(drawSample(FRAME, PLAN)), {
    'HN-001': ['R006', 'R007', 'R002', 'R009', 'R012', 'R003'],
    'HN-002': ['R106', 'R101', 'R107', 'R108', 'R102']
  })
  t.same(idsByStratum(drawSample(FRAME, { ...PLAN, method: 'systematic' })), {
    'HN-001': ['R011', 'R008', 'R005', 'R002', 'R012', 'R010'],
    'HN-002': ['R103', 'R102', 'R104', 'R101', 'R108']
  })
})

t.test('each slot records stratum, position, role, reserve rank, π_h and N_h/n_h', async (t) => {
  const draw = drawSample(FRAME, PLAN)
  t.same(draw.strata, [
    {
      stratum: 'HN-001',
      populationSize: 12,
      sampleSize: 4,
      reserveSize: 2,
      inclusionProbability: 4 / 12,
      baseWeight: 3
    },
    {
      stratum: 'HN-002',
      populationSize: 8,
      sampleSize: 3,
      reserveSize: 2,
      inclusionProbability: 3 / 8,
      baseWeight: 8 / 3
    }
  ])
  t.same(draw.units[0], {
    stratum: 'HN-001',
    role: 'main',
    position: 1,
    reserveRank: null,
    frameIndex: 5,
    id: 'R006',
    inclusionProbability: 1 / 3,
    baseWeight: 3
  })
  t.same(draw.units[5], {
    stratum: 'HN-001',
    role: 'reserve',
    position: 6,
    reserveRank: 2,
    frameIndex: 2,
    id: 'R003',
    inclusionProbability: 1 / 3,
    baseWeight: 3
  })
  t.equal(draw.generator, 'xoshiro128**/murmur3-x86-32/v1')
  for (const u of draw.units) t.equal(FRAME[u.frameIndex].id, u.id, `frameIndex of ${u.id}`)
})

t.test('reproducible: same frame and seed, in any array order; another seed differs', async (t) => {
  for (const method of ['srswor', 'systematic'] as const) {
    const plan = { ...PLAN, method }
    const reference = drawSample(FRAME, plan)
    t.same(drawSample(FRAME, plan), reference, `${method}: same input, same draw`)
    for (const order of ['a', 'b', 'c']) {
      t.same(
        withoutFrameIndex(drawSample(shuffled(FRAME, order), plan)),
        withoutFrameIndex(reference),
        `${method}: frame shuffled (${order})`
      )
    }
    t.notSame(
      idsByStratum(drawSample(FRAME, { ...plan, seed: 'SIPAS-2025-Q2' })),
      idsByStratum(reference),
      `${method}: another seed`
    )
  }
})

t.test("adding a stratum, or reordering the allocation, leaves the other strata's draws alone", async (t) => {
  const before = idsByStratum(drawSample(FRAME, PLAN))
  const extra = Array.from({ length: 5 }, (_, i) => ({ id: `X${i}`, stratum: 'HN-000' }))
  const after = idsByStratum(
    drawSample([...extra, ...FRAME], {
      ...PLAN,
      allocation: [...PLAN.allocation].reverse().concat({ stratum: 'HN-000', sampleSize: 2 })
    })
  )
  t.same(after['HN-001'], before['HN-001'])
  t.same(after['HN-002'], before['HN-002'])
  t.equal(after['HN-000'].length, 3, 'n = 2 plus ⌈0.5·2⌉ = 1 reserve')
})

t.test('inclusion probabilities sum to n_h per stratum; base weights of the main sample sum to N_h', async (t) => {
  const frame = Array.from({ length: 1000 }, (_, i) => ({ id: `P${i}`, stratum: `U${i % 7}` }))
  const allocation = allocate(stratumSizes(frame), { total: 123, method: 'proportional', min: 5 })
  const pi = inclusionProbabilities(frame, allocation)
  for (const { stratum, sampleSize, populationSize } of allocation) {
    const sum = frame.reduce((s, r, i) => (r.stratum === stratum ? s + pi[i] : s), 0)
    t.ok(Math.abs(sum - sampleSize) < 1e-9, `${stratum}: Σπ = ${sum} = n_h ${sampleSize}`)
    const draw = drawSample(frame, { seed: 'w', method: 'srswor', allocation })
    const weights = draw.units.filter((u) => u.stratum === stratum).reduce((s, u) => s + u.baseWeight, 0)
    t.ok(Math.abs(weights - populationSize) < 1e-9, `${stratum}: Σ N_h/n_h = N_h`)
  }
})

t.test('every unit is drawn with probability n_h/N_h (1600 seeds, both methods)', async (t) => {
  const frame = Array.from({ length: 10 }, (_, i) => ({ id: `U${i}`, stratum: 'A', sortKey: String(9 - i) }))
  const runs = 1600
  for (const method of ['srswor', 'systematic'] as const) {
    const hits = new Array<number>(10).fill(0)
    for (let s = 0; s < runs; s++) {
      for (const u of drawSample(frame, { seed: `mc-${s}`, method, allocation: [{ stratum: 'A', sampleSize: 3 }] })
        .units)
        hits[Number(u.id.slice(1))]++
    }
    // Expected 480 each, binomial sd ≈ 18.3: a 5-sd band.
    t.ok(
      hits.every((h) => Math.abs(h - runs * 0.3) < 92),
      `${method}: ${hits.join(' ')}`
    )
  }
})

t.test('reserves: disjoint from the main sample, ranked 1..r_h, r_h = min(⌈rate·n_h⌉, N_h − n_h)', async (t) => {
  const frame = Array.from({ length: 60 }, (_, i) => ({ id: `P${i}`, stratum: i < 50 ? 'big' : 'small' }))
  for (const method of ['srswor', 'systematic'] as const) {
    const draw = drawSample(frame, {
      seed: 'r',
      method,
      allocation: [
        { stratum: 'big', sampleSize: 21 },
        { stratum: 'small', sampleSize: 8 }
      ],
      reserveRate: 0.1
    })
    t.same(
      draw.strata.map((s) => s.reserveSize),
      [3, 1],
      `${method}: ⌈0.1·21⌉ = 3, ⌈0.1·8⌉ = 1`
    )
    for (const s of draw.strata) {
      const units = draw.units.filter((u) => u.stratum === s.stratum)
      const main = units.filter((u) => u.role === 'main')
      const reserves = units.filter((u) => u.role === 'reserve')
      t.equal(main.length, s.sampleSize)
      t.same(
        reserves.map((u) => u.reserveRank),
        Array.from({ length: s.reserveSize }, (_, i) => i + 1)
      )
      t.same(
        units.map((u) => u.position),
        Array.from({ length: units.length }, (_, i) => i + 1),
        'main first, then reserves'
      )
      const mainIds = new Set(main.map((u) => u.id))
      t.ok(
        reserves.every((u) => !mainIds.has(u.id)),
        `${method} ${s.stratum}: reserves disjoint from main`
      )
    }
  }
  const hundred = Array.from({ length: 120 }, (_, i) => ({ id: `T${i}`, stratum: 'A' }))
  t.equal(
    drawSample(hundred, {
      seed: 'r',
      method: 'srswor',
      allocation: [{ stratum: 'A', sampleSize: 100 }],
      reserveRate: 0.07
    }).strata[0].reserveSize,
    7,
    '0.07·100 is 7.000000000000001 in floats; still 7 reserves'
  )
  const capped = drawSample(frame, {
    seed: 'r',
    method: 'srswor',
    allocation: [
      { stratum: 'big', sampleSize: 48 },
      { stratum: 'small', sampleSize: 10 }
    ],
    reserveRate: 0.5
  })
  t.same(
    capped.strata.map((s) => s.reserveSize),
    [2, 0],
    'never more reserves than units left'
  )
  const first = drawSample(frame, {
    seed: 'r',
    method: 'srswor',
    allocation: [
      { stratum: 'big', sampleSize: 21 },
      { stratum: 'small', sampleSize: 0 }
    ],
    reserveRate: 0.5
  })
  const fewer = drawSample(frame, {
    seed: 'r',
    method: 'srswor',
    allocation: [
      { stratum: 'big', sampleSize: 21 },
      { stratum: 'small', sampleSize: 0 }
    ],
    reserveRate: 0.1
  })
  t.same(
    fewer.units.map((u) => u.id),
    first.units.slice(0, fewer.units.length).map((u) => u.id),
    'SRSWOR reserves continue the same random order'
  )
})

t.test('systematic: picks spaced k = N_h/n_h apart over the sort order, start below k', async (t) => {
  const frame = Array.from({ length: 103 }, (_, i) => ({
    id: `P${pad(i)}`,
    stratum: 'A',
    sortKey: `key-${pad((i * 37) % 103)}`
  }))
  const order = frame
    .slice()
    .sort((a, b) => compareCodePoints(a.sortKey, b.sortKey))
    .map((r) => r.id)
  for (const [n, seed] of [
    [10, 's1'],
    [10, 's2'],
    [25, 's3'],
    [103, 's4'],
    [1, 's5']
  ] as const) {
    const k = 103 / n
    const at = drawSample(frame, {
      seed,
      method: 'systematic',
      allocation: [{ stratum: 'A', sampleSize: n }]
    }).units.map((u) => order.indexOf(u.id))
    t.ok(at[0] < k, `n=${n}: first pick ${at[0]} < k = ${k.toFixed(2)}`)
    const gaps = at.slice(1).map((x, i) => x - at[i])
    t.ok(
      gaps.every((g) => g === Math.floor(k) || g === Math.ceil(k)),
      `n=${n}: gaps ${[...new Set(gaps)].join(', ')} are ⌊k⌋ or ⌈k⌉`
    )
    t.ok(at[at.length - 1] < 103)
  }
  const integral = Array.from({ length: 40 }, (_, i) => ({ id: `Q${pad(i)}`, stratum: 'A' }))
  const picks = drawSample(integral, {
    seed: 'x',
    method: 'systematic',
    allocation: [{ stratum: 'A', sampleSize: 8 }]
  }).units.map((u) => Number(u.id.slice(1)))
  t.same(
    picks.slice(1).map((x, i) => x - picks[i]),
    new Array(7).fill(5),
    'k = 5 exactly, ordered by id without a sort key'
  )
})

t.test('a stratum drawn whole, and one left out', async (t) => {
  const draw = drawSample(FRAME, {
    ...PLAN,
    allocation: [
      { stratum: 'HN-001', sampleSize: 12 },
      { stratum: 'HN-002', sampleSize: 0 }
    ]
  })
  t.same(new Set(draw.units.map((u) => u.id)), new Set(FRAME.slice(0, 12).map((r) => r.id)))
  t.same(draw.strata[1], {
    stratum: 'HN-002',
    populationSize: 8,
    sampleSize: 0,
    reserveSize: 0,
    inclusionProbability: 0,
    baseWeight: null
  })
})

t.test('bad frames and plans throw SamplingError naming the parameter', async (t) => {
  t.throws(() => drawSample([...FRAME, { id: 'R001', stratum: 'HN-002' }], PLAN), {
    code: 'DUPLICATE_ID',
    parameter: 'frame[20].id'
  })
  t.throws(() => drawSample([...FRAME, { id: '', stratum: 'HN-002' }], PLAN), {
    code: 'INVALID_PARAMETER',
    parameter: 'frame[20].id'
  })
  t.throws(() => drawSample(FRAME, { ...PLAN, allocation: [PLAN.allocation[0]] }), {
    code: 'UNALLOCATED_STRATUM',
    message: /HN-002/
  })
  t.throws(
    () => drawSample(FRAME, { ...PLAN, allocation: [PLAN.allocation[0], { stratum: 'HN-002', sampleSize: 9 }] }),
    { code: 'SAMPLE_EXCEEDS_STRATUM', parameter: 'allocation[1].sampleSize' }
  )
  t.throws(
    () => drawSample(FRAME, { ...PLAN, allocation: [...PLAN.allocation, { stratum: 'HN-003', sampleSize: 1 }] }),
    { code: 'SAMPLE_EXCEEDS_STRATUM', parameter: 'allocation[2].sampleSize' }
  )
  t.throws(() => drawSample(FRAME, { ...PLAN, allocation: [...PLAN.allocation, PLAN.allocation[0]] }), {
    code: 'DUPLICATE_STRATUM',
    parameter: 'allocation[2].stratum'
  })
  t.throws(() => drawSample(FRAME, { ...PLAN, reserveRate: -0.1 }), {
    code: 'INVALID_PARAMETER',
    parameter: 'reserveRate'
  })
  t.throws(() => drawSample(FRAME, { ...PLAN, method: 'pps' as 'srswor' }), {
    code: 'INVALID_PARAMETER',
    parameter: 'method'
  })
  t.throws(() => drawSample(FRAME, { ...PLAN, seed: 42 as unknown as string }), {
    code: 'INVALID_PARAMETER',
    parameter: 'seed'
  })
})

const frameCase = fc.record({
  records: fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }),
      stratum: fc.constantFrom('a', 'b', 'c', 'đ'),
      sortKey: fc.option(fc.string({ maxLength: 3 }), { nil: undefined })
    }),
    { minLength: 1, maxLength: 120, selector: (r) => r.id }
  ),
  share: fc.double({ min: 0, max: 1, noNaN: true }),
  reserveRate: fc.double({ min: 0, max: 1, noNaN: true }),
  method: fc.constantFrom<DrawPlan['method']>('srswor', 'systematic'),
  seed: fc.string()
})

t.test('property: drawn ids are in the frame and unique, n_h ≤ N_h, counts as planned, order-free', async (t) => {
  fc.assert(
    fc.property(frameCase, ({ records, share, reserveRate, method, seed }) => {
      const sizes = stratumSizes(records)
      const total = Math.floor(share * records.length)
      const allocation = allocate(sizes, { total, method: 'proportional' })
      const draw = drawSample(records, { seed, method, allocation, reserveRate })
      const ids = draw.units.map((u) => u.id)
      const frameStratum = new Map(records.map((r) => [r.id, r.stratum]))
      const again = drawSample(records.slice().reverse(), { seed, method, allocation, reserveRate })
      return (
        new Set(ids).size === ids.length &&
        draw.units.every((u) => frameStratum.get(u.id) === u.stratum && records[u.frameIndex].id === u.id) &&
        draw.strata.every((s) => {
          const units = draw.units.filter((u) => u.stratum === s.stratum)
          return (
            s.sampleSize <= s.populationSize &&
            units.filter((u) => u.role === 'main').length === s.sampleSize &&
            units.length === s.sampleSize + s.reserveSize &&
            s.sampleSize + s.reserveSize <= s.populationSize
          )
        }) &&
        draw.units.filter((u) => u.role === 'main').length === total &&
        again.units.every((u, i) => u.id === ids[i])
      )
    }),
    { numRuns: 500 }
  )
  t.pass('held for 500 random frames')
})
