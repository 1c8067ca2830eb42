import { readdirSync, readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import t from 'tap'
import { computeDocument, configureComputePool, UNITS_OFF_THREAD } from '../../src/domain/compute-pool.js'
import { resultsDocument } from '../../src/domain/results-document.js'
import { Problem } from '../../src/problems.js'
import { COLUMNS, province } from '../helpers/document-input.js'

t.test('a document made on a compute thread is the one made on the event loop, bit for bit', async (t) => {
  configureComputePool({ threads: 1, offThreadFrom: 0 })
  const inThread = resultsDocument(province(3000, 12))
  const input = province(3000, 12)
  const pooled = await computeDocument(input)
  t.equal(input.batch.answers.byteLength, 0, "the answers moved to the thread (not copied): the caller's are gone")
  t.same(pooled, inThread)
  t.ok(
    pooled.breakdowns?.some(
      (b) => b.variable === 'frame.procedure' && b.categories.some((c) => c.label === 'Đăng ký khai sinh')
    ),
    'the frame records crossed with the rows'
  )
  configureComputePool({ threads: 1, offThreadFrom: 1_000_000 })
  const small = province(3000, 12)
  await computeDocument(small)
  t.equal(small.batch.answers.byteLength, 3000 * COLUMNS.length, 'below the threshold: made on the caller’s thread')
  // Rank sets grow as the units' square: a campaign of many units goes to a thread, however few its rows.
  const manyUnits = province(3000, UNITS_OFF_THREAD)
  await computeDocument(manyUnits)
  t.equal(manyUnits.batch.answers.byteLength, 0, `${UNITS_OFF_THREAD} units: made on a thread`)
  const fewerUnits = province(3000, UNITS_OFF_THREAD - 1)
  await computeDocument(fewerUnits)
  t.equal(fewerUnits.batch.answers.byteLength, 3000 * COLUMNS.length, 'one unit fewer: on the caller’s thread')
})

t.test("a problem on a compute thread is the caller's problem, with its type and members", async (t) => {
  configureComputePool({ threads: 1, offThreadFrom: 0 })
  const error = await computeDocument(province(500, 4, { lonely: true })).catch((e: unknown) => e)
  t.ok(error instanceof Problem, 'a Problem again on this side')
  t.match(error, { slug: 'lonely-psu', extensions: { stratum: 'lonely' } })
})

t.test('while a thread makes a large document, the event loop stays free', async (t) => {
  configureComputePool({ threads: 1, offThreadFrom: 0 })
  // Warm the thread (its first task compiles the scoring passes), then measure the loop during a large one.
  await computeDocument(province(2000, 10))
  const started = performance.now()
  resultsDocument(province(30_000, 40))
  const onLoop = performance.now() - started
  const delay = monitorEventLoopDelay({ resolution: 5 })
  delay.enable()
  const offLoop = performance.now()
  await computeDocument(province(30_000, 40))
  const pooled = performance.now() - offLoop
  delay.disable()
  const longest = delay.max / 1e6
  t.ok(onLoop > 200, `on the event loop the document blocks it ${Math.round(onLoop)} ms`)
  t.ok(
    longest < onLoop / 3,
    `on a thread (${Math.round(pooled)} ms) the loop's longest wait is ${Math.round(longest)} ms, not ${Math.round(onLoop)}`
  )
})

t.test(
  'the compute threads run at a lower scheduling priority than the event loop',
  { skip: process.platform !== 'linux' && "each thread's nice value is read from /proc" },
  async (t) => {
    configureComputePool({ threads: 1, offThreadFrom: 0 })
    await computeDocument(province(500, 4))
    // /proc/…/stat: the 19th field is the nice value; the name before it, in parentheses, may hold spaces.
    const niceOf = (path: string) => {
      const stat = readFileSync(path, 'utf8')
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
    }
    const loop = niceOf('/proc/thread-self/stat')
    const threads = readdirSync('/proc/self/task').map((tid) => niceOf(`/proc/self/task/${tid}/stat`))
    t.ok(
      threads.includes(Math.min(loop + 10, 19)),
      `a thread at nice ${Math.min(loop + 10, 19)} beside the event loop's ${loop} (${threads.join(', ')})`
    )
  }
)
