import t from 'tap'
import { questionnaireMismatches, unionOfQuestionnaires, type Instrument } from '../../src/scoring/instrument.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

const main = STANDARD_INSTRUMENT
const variant = (changes: Partial<Instrument>): Instrument => ({ ...main, code: 'VARIANT', ...changes })
const without = (code: string) => main.items.filter((item) => item.code !== code)

t.test('a group questionnaire may word items its own way and ask items of its own', async (t) => {
  const reworded = variant({
    name: 'Bộ công cụ cấp sở',
    scale: { ...main.scale, levels: main.scale.levels.map((l) => ({ ...l, label: `${l.label} (sở)` })) },
    factors: [...main.factors].reverse(),
    items: [
      ...without('P.ONLINE').map((item) => ({ ...item, text: `${item.text}?` })),
      { kind: 'profile', code: 'Q.LEVEL', text: 'Cấp giải quyết', options: [{ value: 1, label: 'Sở' }] }
    ]
  })
  t.same(questionnaireMismatches(main, reworded), [])
})

t.test('what a group questionnaire must share, each difference named', async (t) => {
  const cases: Array<[string, Instrument, RegExp]> = [
    ['scale', variant({ scale: { ...main.scale, satisfied: [5] } }), /^its scale \(1,2,3,4,5 satisfied 5 /],
    ['no answer', variant({ scale: { ...main.scale, noAnswer: 9 } }), /no answer 9\) is not .*no answer 0$/],
    ['factors', variant({ factors: main.factors.slice(0, 4) }), /^its factors \(F1,F2,F3,F4\) are not F1,F2,F3,F4,F5$/],
    ['criteria', variant({ items: without('F5.4') }), /^its criterion items \(.*\) are not .*F5\.4$/],
    [
      'a criterion in another factor',
      variant({
        items: main.items.map((item) =>
          item.code === 'F1.1' && item.kind === 'criterion' ? { ...item, factor: 'F2' } : item
        )
      }),
      /^F1\.1 is answered as criterion F2, not as criterion F1$/
    ],
    [
      'picks',
      variant({
        items: main.items.map((item) => (item.kind === 'expectation' ? { ...item, maxPicks: item.maxPicks + 1 } : item))
      }),
      /^E\.IMPROVE is answered as expectation .* picks 4, not as expectation .* picks 3$/
    ],
    [
      'positive answers',
      variant({
        items: main.items.map((item) =>
          item.code === 'P.ONTIME' && item.kind === 'perception' ? { ...item, positive: [2] } : item
        )
      }),
      /^P\.ONTIME is answered as perception 1,2 positive 2, not as perception 1,2 positive 1$/
    ]
  ]
  for (const [what, other, problem] of cases) {
    const found = questionnaireMismatches(main, other)
    t.equal(found.length, 1, `${what}: one problem`)
    t.match(found[0], problem, what)
  }
  const overall = main.items.find((item) => item.kind === 'satisfaction' && item.factor === undefined)!
  t.match(questionnaireMismatches(main, variant({ items: without(overall.code) })), [/^its satisfaction items/])
})

t.test("the union: the campaign's items first, then each other's new ones in the order given", async (t) => {
  t.equal(unionOfQuestionnaires(main, [variant({})]), main, 'nothing new: the campaign questionnaire itself')
  const a = variant({
    items: [
      ...main.items,
      {
        kind: 'perception',
        code: 'P.A',
        text: 'A',
        options: [
          { value: 1, label: 'Có' },
          { value: 2, label: 'Không' }
        ],
        positive: [1]
      }
    ]
  })
  const b = variant({
    items: [
      ...without('P.ONLINE'),
      { kind: 'profile', code: 'Q.B', text: 'B', options: [{ value: 1, label: 'x' }] },
      ...a.items.slice(-1)
    ]
  })
  const union = unionOfQuestionnaires(main, [a, b])
  t.same(
    union.items.map((item) => item.code),
    [...main.items.map((item) => item.code), 'P.A', 'Q.B'],
    'each code once, where first met'
  )
  t.equal(union.code, main.code, "named as the campaign's")
})
