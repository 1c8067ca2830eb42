import t from 'tap'
import { respondentWeight, stratifiedWeights } from '../../src/sampling/index.js'

t.test('N_h / r_h: a respondent stands for the stratum population over its respondents', async (t) => {
  t.equal(respondentWeight(1200, 6), 200)
  t.equal(respondentWeight(7, 3), 7 / 3)
  t.equal(respondentWeight(500, 0), null, 'no respondent, no weight')
})

t.test('weights by respondent, respondents and fpc by stratum (worked by hand)', async (t) => {
  // Stratum 0: N = 100, 2 respondents → 50 each; stratum 1: N = 30, 3 respondents → 10 each; stratum 2 empty.
  const w = stratifiedWeights(
    [{ populationSize: 100 }, { populationSize: 30 }, { populationSize: 40 }],
    Uint8Array.from([1, 0, 1, 1, 0])
  )
  t.same(w.respondents, [2, 3, 0])
  t.same([...w.weight], [10, 50, 10, 10, 50])
  t.same(w.fpc, [100, 30, 40])
  t.equal(
    w.weight.reduce((sum, x) => sum + x, 0),
    130,
    'the weights of the strata with respondents add up to their population'
  )
})

t.test('no respondents: no weights, the fpc still known', async (t) => {
  const w = stratifiedWeights([{ populationSize: 12 }], new Uint8Array(0))
  t.equal(w.weight.length, 0)
  t.same(w.respondents, [0])
  t.same(w.fpc, [12])
})
