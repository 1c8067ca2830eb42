import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { computeDocument, configureComputePool } from '../../src/domain/compute-pool.js'
import { breakdownTask, profileRequests } from '../../src/domain/breakdowns.js'
import {
  breakdownsOnThreads,
  rankSetsOnThreads,
  scoreOnThreads,
  sharesDoneByHelpers
} from '../../src/domain/share-pool.js'
import { provinceCategories } from '../../src/domain/share-worker.js'
import { resultsDocument, resultsDocumentOnThreads } from '../../src/domain/results-document.js'
import { campaignDomains } from '../../src/domain/results.js'
import { Problem } from '../../src/problems.js'
import { scoreBatch } from '../../src/scoring/compute.js'
import { rankSets } from '../../src/scoring/rank-sets.js'
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
    const before = sharesDoneByHelpers()
    const split = await scoreOnThreads(batch, design, instrument, options, domains, threads, 1000)
    // Each of three steps: every share but this thread's.
    t.equal(sharesDoneByHelpers() - before, 3 * (threads - 1), `${threads} threads: helpers scored their shares`)
    t.strictSame(split.results, one.results, `${threads} threads: every figure`)
    t.strictSame([split.tallies.count, split.tallies.sumW], [one.tallies.count, one.tallies.sumW], 'the tallies')
  }
  const before = sharesDoneByHelpers()
  await scoreOnThreads(batch, design, instrument, options, domains, 4, 7000)
  t.equal(sharesDoneByHelpers(), before, 'fewer rows than two shares of the least: one thread')
})

t.test('a ranking’s units split across threads: the rank sets of one thread', async (t) => {
  // Estimates of 250 units, close enough for sets of many widths; every tenth without an SE.
  const estimate = Array.from({ length: 250 }, (_, i) => 0.8 - 0.0004 * i + 0.01 * Math.sin(i))
  const variance = estimate.map((_, i) => (i % 10 === 3 ? Number.NaN : (0.004 + 0.00002 * (i % 37)) ** 2))
  const one = rankSets(estimate, (a, b) => (a === b ? variance[a] : 0), 0.95)
  t.ok(new Set(one.lower.map((l, i) => one.upper[i] - l)).size > 20, 'sets of many widths')
  for (const threads of [2, 3]) {
    const before = sharesDoneByHelpers()
    t.strictSame(await rankSetsOnThreads(estimate, variance, 0.95, threads, 80), one, `${threads} threads`)
    t.equal(sharesDoneByHelpers() - before, threads - 1, `${threads} threads: helpers ranked their shares`)
  }
  const before = sharesDoneByHelpers()
  await rankSetsOnThreads(estimate, variance, 0.95, 4, 200)
  t.equal(sharesDoneByHelpers(), before, 'fewer units than two shares of the least: one thread')
})

t.test('a document scored and ranked on threads is the one of one thread', async (t) => {
  const input = province(6000, 40)
  const before = sharesDoneByHelpers()
  const shared = await resultsDocumentOnThreads(input, { threads: 2, rowsPerShare: 1000, unitsPerRankShare: 10 })
  t.equal(
    sharesDoneByHelpers() - before,
    3 + 1 + 1,
    'three scoring steps, the overall ranking and the breakdowns split'
  )
  t.ok((shared.breakdowns ?? []).length >= 8, 'by the profile items and the frame records')
  t.strictSame(shared, resultsDocument(input))
})

t.test('breakdowns spread over threads: each the one of one thread, in order', async (t) => {
  const input = province(6000, 10)
  const within = {
    batch: input.batch,
    design: input.design,
    instrument: input.instrument,
    options: input.options,
    provinceId: input.province.id,
    minimumRespondents: 30
  }
  const tasks = profileRequests(input.batch, input.instrument).map((r) => breakdownTask(within, r.values))
  t.ok(tasks.length >= 5, 'a breakdown per profile item')
  const one = tasks.map(provinceCategories)
  for (const threads of [2, 3, 8]) {
    const before = sharesDoneByHelpers()
    t.strictSame(await breakdownsOnThreads(tasks, threads, 1000), one, `${threads} threads`)
    t.equal(
      sharesDoneByHelpers() - before,
      Math.min(threads, tasks.length) - 1,
      `${threads} threads: helpers made theirs`
    )
  }
  // The second breakdown, a helper's, meets a stratum of one PSU; this thread's first does not.
  const before = sharesDoneByHelpers()
  t.strictSame(await breakdownsOnThreads(tasks, 2), one, 'fewer rows than a share of the least: one thread')
  t.equal(sharesDoneByHelpers(), before)
  const lonely = province(6000, 10, { lonely: true })
  const [onHelper] = profileRequests(lonely.batch, lonely.instrument).map((r) =>
    breakdownTask({ ...within, batch: lonely.batch, design: lonely.design, options: lonely.options }, r.values)
  )
  t.doesNotThrow(() => provinceCategories(tasks[0]))
  t.throws(() => provinceCategories(onHelper), LonelyPsuError)
  await t.rejects(
    breakdownsOnThreads([tasks[0], onHelper], 2, 1000),
    LonelyPsuError,
    'the helper’s lonely PSU is the caller’s'
  )
})

t.test('a stratum of one PSU on a helper is the caller’s lonely-psu problem', async (t) => {
  const input = province(6000, 12, { lonely: true })
  const { batch, design, instrument, options } = input
  const domains = campaignDomains(batch, input.province, input.units, input.groups)
  // Every share: the stratum is in the province's figures and its own unit's, whichever thread has them.
  await t.rejects(scoreOnThreads(batch, design, instrument, options, domains, 3, 1000), LonelyPsuError)
  const error = await resultsDocumentOnThreads(input, { threads: 3, rowsPerShare: 1000 }).catch((e: unknown) => e)
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
