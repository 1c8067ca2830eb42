import t from 'tap'
import { summariseProgress, type FieldOutcome, type FieldStatus } from '../../src/sampling/index.js'

const outcomes = (
  stratum: string,
  statuses: Partial<Record<FieldStatus, number>>,
  replaced: FieldStatus[] = []
): FieldOutcome[] => [
  ...Object.entries(statuses).flatMap(([status, count]) =>
    Array.from({ length: count }, () => ({ stratum, status: status as FieldStatus }))
  ),
  ...replaced.map((status) => ({ stratum, status, replaced: true }))
]

t.test('counts, RR1 and the non-response-adjusted weight (worked by hand)', async (t) => {
  // Commune A: 10 main units + 2 reserves released for the 2 refusals. 6 responded, 2 refused (replaced),
  // 1 unreachable, 1 ineligible, 1 contacted with an appointment, 1 not yet attempted.
  const a = outcomes('A', { responded: 6, unreachable: 1, ineligible: 1, contacted: 1, pending: 1 }, [
    'refused',
    'refused'
  ])
  const [progress] = summariseProgress([{ stratum: 'A', populationSize: 1200 }], a)
  t.same(
    progress,
    {
      stratum: 'A',
      populationSize: 1200,
      drawn: 12,
      contacted: 9,
      responded: 6,
      refused: 2,
      unreachable: 1,
      ineligible: 1,
      pending: 1,
      replaced: 2,
      responseRate: 6 / 11,
      adjustedWeight: 200
    },
    'RR1 = 6/(12 − 1); weight 1200/6'
  )
})

t.test("respondents' adjusted weights add up to N_h; empty strata give null, not a division by zero", async (t) => {
  const strata = [
    { stratum: 'A', populationSize: 700 },
    { stratum: 'B', populationSize: 50 },
    { stratum: 'C', populationSize: 30 },
    { stratum: 'D', populationSize: 10 }
  ]
  const result = summariseProgress(strata, [
    ...outcomes('A', { responded: 3, refused: 4 }),
    ...outcomes('B', { refused: 2, unreachable: 1 }),
    ...outcomes('C', { ineligible: 2 })
  ])
  t.equal(result[0].adjustedWeight! * result[0].responded, 700)
  t.equal(result[0].responseRate, 3 / 7)
  t.same([result[1].responseRate, result[1].adjustedWeight], [0, null], 'B: nobody responded')
  t.same([result[2].responseRate, result[2].adjustedWeight], [null, null], 'C: nobody eligible')
  t.same([result[3].drawn, result[3].responseRate], [0, null], 'D: nothing issued yet')
  t.same(
    result.map((r) => r.stratum),
    ['A', 'B', 'C', 'D'],
    'in the order given'
  )
})

t.test('bad input throws SamplingError naming it', async (t) => {
  const strata = [{ stratum: 'A', populationSize: 10 }]
  t.throws(() => summariseProgress(strata, [{ stratum: 'Z', status: 'responded' }]), {
    code: 'UNKNOWN_STRATUM',
    parameter: 'outcomes[0].stratum'
  })
  t.throws(() => summariseProgress(strata, [{ stratum: 'A', status: 'done' as FieldStatus }]), {
    code: 'INVALID_PARAMETER',
    parameter: 'outcomes[0].status'
  })
  t.throws(() => summariseProgress(strata, [{ stratum: 'A', status: 'responded', replaced: true }]), {
    code: 'INVALID_PARAMETER',
    parameter: 'outcomes[0].replaced'
  })
  t.throws(() => summariseProgress([...strata, ...strata], []), {
    code: 'DUPLICATE_STRATUM',
    parameter: 'strata[1].stratum'
  })
  t.throws(() => summariseProgress([{ stratum: 'A', populationSize: -1 }], []), {
    code: 'INVALID_PARAMETER',
    parameter: 'strata[0].populationSize'
  })
})
