import t from 'tap'
import {
  STANDARD_INSTRUMENT,
  answerColumns,
  indexPlan,
  indexSpecs,
  kernelSources,
  printKernels,
  scoringOptions,
  slotCount
} from '../../src/scoring/index.js'
import { repoPath } from '../helpers/paths.js'

// What the standard questionnaire compiles, under the default methods: a change to any kernel shows here as
// a diff to review. Its entries are named after the compiled test that `npm test` runs, and only rewritten on
// purpose: TAP_SNAPSHOT=1 npm test -- .test-build/test/scoring/kernels.test.js
t.snapshotFile = repoPath('tap-snapshots/test/scoring/kernels.test.cjs')
const columns = answerColumns(STANDARD_INSTRUMENT)
const planOf = (options: object) =>
  indexPlan(indexSpecs(STANDARD_INSTRUMENT, scoringOptions(options), columns), columns, slotCount(STANDARD_INSTRUMENT))

const fromSource = import.meta.url.endsWith('.ts') && 'the snapshot is keyed by the compiled test (npm test)'

t.test('the kernels of the standard questionnaire under the default methods', { skip: fromSource }, async (t) => {
  t.matchSnapshot(printKernels(planOf({})), 'every kernel, as compiled')
})

t.test('every kernel source compiles, and only integers and reals of the plan are written in', async (t) => {
  const sources = kernelSources(planOf({ factorMethod: 'pooled', overallMethod: 'pooled', meanScore: true }))
  t.equal(sources.length, 11, 'scan, two counts, two roll-ups, two domain totals, four pass-two variants')
  for (const { name, params, body } of sources) {
    t.doesNotThrow(() => new Function(...params, String(body)), name)
    // Identifiers, operators and numbers; no quotes, so no text from an instrument or a request.
    t.notMatch(String(body), /['"`\\]/, name)
  }
  const simple = planOf({ factorMethod: 'overall-item', overallMethod: 'overall-item' })
  t.equal(kernelSources(simple).length, 7, 'no pass two when every index reads one question')
})
