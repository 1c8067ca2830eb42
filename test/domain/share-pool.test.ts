import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { computeDocument, configureComputePool } from '../../src/domain/compute-pool.js'
import { scoreOnThreads, sharesScoredByHelpers } from '../../src/domain/share-pool.js'
import { resultsDocument, resultsDocumentOnThreads } from '../../src/domain/results-document.js'
import { campaignDomains } from '../../src/domain/results.js'
import { Problem } from '../../src/problems.js'
import { scoreBatch } from '../../src/scoring/compute.js'
import { LonelyPsuError } from '../../src/scoring/variance.js'
import { province } from '../helpers/document-input.js'

// A campaign's official figures scored on several threads at once: every figure and tally the one-thread one,
// bit for bit, the shares run by helper threads; a problem on a helper is the caller's problem.

t.test('on two and three threads, the figures and tallies of one thread, bit for bit', async (t) => {
  const input = province(12_000, 30)
  const { batch, design, instrument, options } = input
  const domains = campaignDomains(batch, input.province, input.units, input.groups)
  const one = scoreBatch(batch, design, instrument, options, domains)
  for (const threads of [2, 3]) {
    const before = sharesScoredByHelpers()
    const split = await scoreOnThreads(batch, design, instrument, options, domains, threads, 1000)
    // Each of three steps: every share but this thread's.
    t.equal(sharesScoredByHelpers() - before, 3 * (threads - 1), `${threads} threads: helpers scored their shares`)
    t.strictSame(split.results, one.results, `${threads} threads: every figure`)
    t.strictSame([split.tallies.count, split.tallies.sumW], [one.tallies.count, one.tallies.sumW], 'the tallies')
  }
  const before = sharesScoredByHelpers()
  await scoreOnThreads(batch, design, instrument, options, domains, 4, 7000)
  t.equal(sharesScoredByHelpers(), before, 'fewer rows than two shares of the least: one thread')
})

t.test('a stratum of one PSU on a helper is the caller’s lonely-psu problem', async (t) => {
  const input = province(6000, 12, { lonely: true })
  const { batch, design, instrument, options } = input
  const domains = campaignDomains(batch, input.province, input.units, input.groups)
  // Every share: the stratum is in the province's figures and its own unit's, whichever thread has them.
  await t.rejects(scoreOnThreads(batch, design, instrument, options, domains, 3, 1000), LonelyPsuError)
  const error = await resultsDocumentOnThreads(input, 3, 1000).catch((e: unknown) => e)
  t.ok(error instanceof Problem, 'a Problem, as on one thread')
  t.match(error, { slug: 'lonely-psu', extensions: { stratum: 'lonely' } })
})

t.test('a compute thread scores with helpers of its own, at its priority, and makes the same document', async (t) => {
  configureComputePool({ threads: 2, offThreadFrom: 0, rowsPerShare: 1000 })
  const alone = resultsDocument(province(8000, 20))
  const shared = await computeDocument(province(8000, 20))
  t.strictSame(shared, alone, 'the document of one thread')
  if (process.platform !== 'linux') return
  // /proc/…/stat: the 19th field is the nice value; the name before it, in parentheses, may hold spaces.
  const niceOf = (path: string) => {
    const stat = readFileSync(path, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
  }
  const loop = niceOf('/proc/thread-self/stat')
  const niced = readdirSync('/proc/self/task').filter((tid) => niceOf(`/proc/self/task/${tid}/stat`) === loop + 10)
  t.ok(niced.length >= 2, `the compute thread and its helper at nice ${loop + 10} (${niced.length} threads)`)
  configureComputePool({ threads: 1, offThreadFrom: 20_000 })
})
