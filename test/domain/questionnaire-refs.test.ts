import t from 'tap'
import { questionnaireRefs } from '../../src/domain/instruments.js'

t.test("each unit's questionnaire, and the groups' own once each in storage order", async (t) => {
  const main = { code: 'SIPAS-2017', version: 1 }
  const refs = questionnaireRefs(main, [
    { units: ['a'], instrument: { code: 'SIPAS-XA', version: 2 } },
    { units: ['b', 'c'] },
    // Named again by another group, as another object: the same questionnaire.
    { units: ['d'], instrument: { code: 'SIPAS-HUYEN', version: 10 } },
    { units: ['e'], instrument: { code: 'SIPAS-XA', version: 2 } },
    { units: ['f'], instrument: { code: 'SIPAS-HUYEN', version: 9 } }
  ])
  t.same(
    refs.others.map((r) => `${r.code} ${r.version}`),
    ['SIPAS-HUYEN 9', 'SIPAS-HUYEN 10', 'SIPAS-XA 2'],
    'by code, then version as a number'
  )
  t.equal(refs.ofUnit('a'), refs.ofUnit('e'), 'one object for one questionnaire, whichever group names it')
  t.equal(refs.ofUnit('e'), refs.others[2], 'the one listed')
  t.equal(refs.ofUnit('b'), main, "a group without its own: the campaign's")
  t.equal(refs.ofUnit('z'), main, "a unit in no group: the campaign's")
  t.equal(refs.ofUnit(undefined), main)
  t.same(questionnaireRefs(main, null).others, [])
})
