import { readdirSync, readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import t from 'tap'
import { FRAME_PARTS } from '../../src/db/queries/answer-copy.js'
import { noAfterService } from '../../src/db/queries/results.js'
import { computeDocument, configureComputePool } from '../../src/domain/compute-pool.js'
import { resultsDocument, type DocumentInput } from '../../src/domain/results-document.js'
import { NATIONAL_TARGETS } from '../../src/domain/results.js'
import { Problem } from '../../src/problems.js'
import { designOfBatch, MISSING, type ResponseBatch } from '../../src/scoring/batch.js'
import { answerColumns } from '../../src/scoring/instrument.js'
import { scoringOptions } from '../../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'

const COLUMNS = answerColumns(STANDARD_INSTRUMENT)

/**
 * A sampled province's document input: `units` units, each a stratum of its own, `rows` respondents whose
 * answers lean on their unit, every third one with a frame record; `lonely` puts one respondent in a stratum
 * of its own (a lonely PSU, which the "fail" rule refuses).
 */
function province(rows: number, units: number, { lonely = false } = {}): DocumentInput {
  let state = 12345
  const uniform = () => (state = (state * 48271) % 2147483647) / 2147483647
  const ids = Array.from({ length: units }, (_, u) => `unit-${u}`)
  const unit = Uint32Array.from({ length: rows }, () => Math.floor(uniform() * units))
  if (lonely) unit[0] = units
  const strata = [...ids, ...(lonely ? ['lonely'] : [])]
  const answers = new Uint8Array(rows * COLUMNS.length)
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < COLUMNS.length; c++) {
      const x = uniform()
      answers[r * COLUMNS.length + c] = x < 0.02 ? MISSING : x < 0.5 + (unit[r] % 7) / 20 ? 4 + (x < 0.3 ? 1 : 0) : 2
    }
  const batch: ResponseBatch = {
    columns: COLUMNS,
    size: rows,
    answers,
    unit,
    units: strata,
    stratum: unit.slice(),
    psu: null,
    weight: Float64Array.from(unit, (u) => 3 + (u % 5))
  }
  const frame = {
    names: FRAME_PARTS,
    ofRow: Uint32Array.from(unit, (u, r) => (r % 3 === 0 ? 1 + (u % 2) : 0)),
    parts: [
      ['', '', '', ''],
      ['in-person', 'citizen', 'HT', '1.001193'],
      ['online', 'business', 'CT', '2.000815']
    ]
  }
  return {
    batch,
    design: designOfBatch(
      batch,
      strata,
      strata.map(() => null)
    ),
    frame,
    afterService: noAfterService(COLUMNS),
    frameCells: [],
    counts: { posted: rows, sample: rows, afterService: 0, unlinked: 0, official: rows, excluded: [], units: [] },
    instrument: STANDARD_INSTRUMENT,
    options: scoringOptions({ lonelyPsu: 'fail' }),
    province: { id: 'province', code: '25', name: 'Tỉnh', level: 'province' },
    units: strata.map((id) => ({ id, code: id, name: id, level: 'commune' })),
    responseRates: null,
    parRule: null,
    targets: NATIONAL_TARGETS,
    groups: [{ code: 'half', name: 'Nửa', units: ids.slice(0, Math.floor(units / 2)) }],
    provinceFigure: 'pooled',
    calibration: null,
    afterServiceCalibration: { method: 'poststratify', margins: [['unit']] },
    breakdownMinimum: 30,
    procedureNames: { '1.001193': 'Đăng ký khai sinh' },
    sampled: true
  }
}

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
