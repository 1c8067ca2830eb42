/**
 * GREG of the official sample (the campaign option `calibration: { method: 'linear', margins: unit; channel;
 * subjectType }`) on a synthetic province where satisfaction varies by submission channel and respondent type:
 * how much it narrows the intervals against the published weighting N_h/r_h, and what it costs, measured in the
 * same run.
 *
 * The province: --units units, each with a frame of 0.5–1.5 × --frame-per-unit completed dossiers split
 * over three channels and three respondent types in proportions that vary by unit; a sample of --per-unit
 * dossiers per unit (strata = units, SRS within each, weights N_h/n_h, fpc N_h), each respondent in its
 * dossier's cell. A criterion is satisfied with probability logistic(1.4 + unit effect + channel effect + type
 * effect + item effect): online +1.2 and post −1.0 against in person, businesses −1.2 and organisations +0.6
 * against citizens. The population's own figures (from those probabilities and the frame's counts) are the
 * truth both estimates are held against.
 *
 * Measured, each the median of --repeat runs after one untimed run, in this process: computeIndices of the
 * province and every unit uncalibrated, then calibrateWeights and computeIndices with the calibration (both
 * from tallies: calibrated-tallies.ts).
 *
 * Usage: npm run bench:build && node .bench-build/bench/greg-intervals.js
 *   [-- --units=1000 --per-unit=100 --frame-per-unit=1000 --repeat=3]
 * Writes bench/results/greg-intervals.json.
 */
import { parseArgs } from 'node:util'
import { designOfBatch, MISSING, type ResponseBatch } from '../src/scoring/batch.js'
import { calibrateWeights, type Margin } from '../src/scoring/calibration.js'
import { computeIndices, type DomainResult } from '../src/scoring/compute.js'
import { scoringOptions } from '../src/scoring/methods.js'
import { STANDARD_INSTRUMENT } from '../src/scoring/standard-instrument.js'
import { COLUMNS, CRITERIA, machine, median, round, timeRuns, uniformDraws, writeResult } from './lib.js'

const { values: args } = parseArgs({
  options: {
    units: { type: 'string', default: '1000' },
    'per-unit': { type: 'string', default: '100' },
    'frame-per-unit': { type: 'string', default: '1000' },
    repeat: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20261206' }
  }
})
const UNITS = Number(args.units)
const PER_UNIT = Number(args['per-unit'])
const FRAME_PER_UNIT = Number(args['frame-per-unit'])
const REPEAT = Number(args.repeat)
const log = (...xs: unknown[]) => console.log(...xs)

const CHANNELS = ['in-person', 'online', 'post']
const SUBJECTS = ['citizen', 'business', 'organisation']
const CHANNEL_EFFECT = [0, 1.2, -1.0]
const SUBJECT_EFFECT = [0, -1.2, 0.6]
const CELLS = CHANNELS.length * SUBJECTS.length
const uniform = uniformDraws(Number(args.seed))
const logistic = (x: number) => 1 / (1 + Math.exp(-x))
const itemEffect = CRITERIA.map(() => 0.6 * (uniform() - 0.5))

// The frame: each unit's count in each channel × type cell, and P(satisfied) of each criterion in each cell.
const frame = new Int32Array(UNITS * CELLS)
const pSat = new Float64Array(UNITS * CELLS * CRITERIA.length)
for (let u = 0; u < UNITS; u++) {
  const size = Math.floor(FRAME_PER_UNIT * (0.5 + uniform()))
  const online = 0.2 + 0.4 * uniform()
  const post = 0.05 + 0.1 * uniform()
  const channelShare = [1 - online - post, online, post]
  const business = 0.05 + 0.25 * uniform()
  const subjectShare = [0.95 - business, business, 0.05]
  const unitEffect = 0.5 * (uniform() + uniform() - 1)
  for (let c = 0; c < CHANNELS.length; c++)
    for (let s = 0; s < SUBJECTS.length; s++) {
      const cell = u * CELLS + c * SUBJECTS.length + s
      frame[cell] = Math.round(size * channelShare[c] * subjectShare[s])
      CRITERIA.forEach((_, k) => {
        pSat[cell * CRITERIA.length + k] = logistic(
          1.4 + unitEffect + CHANNEL_EFFECT[c] + SUBJECT_EFFECT[s] + itemEffect[k]
        )
      })
    }
}
const unitTotal = (u: number) => frame.subarray(u * CELLS, (u + 1) * CELLS).reduce((a, b) => a + b, 0)

// The sample: PER_UNIT dossiers of each unit (SRS, each in its cell), their answers.
const K = COLUMNS.length
const sizes = Array.from({ length: UNITS }, (_, u) => Math.min(PER_UNIT, unitTotal(u)))
const ROWS = sizes.reduce((a, b) => a + b, 0)
const answers = new Uint8Array(ROWS * K).fill(MISSING)
const unit = new Uint32Array(ROWS)
const channel: string[] = new Array(ROWS)
const subjectType: string[] = new Array(ROWS)
let row = 0
for (let u = 0; u < UNITS; u++) {
  const N = unitTotal(u)
  // Without replacement: a partial Fisher–Yates over the unit's dossiers, numbered cell by cell.
  const dossiers = Int32Array.from({ length: N }, (_, i) => i)
  for (let i = 0; i < sizes[u]; i++) {
    const j = i + Math.floor(uniform() * (N - i))
    ;[dossiers[i], dossiers[j]] = [dossiers[j], dossiers[i]]
    let cell = 0
    for (let left = dossiers[i]; left >= frame[u * CELLS + cell]; cell++) left -= frame[u * CELLS + cell]
    const c = Math.floor(cell / SUBJECTS.length)
    const s = cell % SUBJECTS.length
    unit[row] = u
    channel[row] = CHANNELS[c]
    subjectType[row] = SUBJECTS[s]
    // A respondent's answers move together, by a shift whose mean is 0: the cell's probabilities stay the truth.
    const respondent = uniform() - 0.5
    CRITERIA.forEach((_, k) => {
      const pk = pSat[(u * CELLS + cell) * CRITERIA.length + k]
      const p = pk + respondent * Math.min(pk, 1 - pk)
      const noAnswer = uniform() < 0.02
      answers[row * K + k] = noAnswer ? 0 : uniform() < p ? (uniform() < 0.5 ? 4 : 5) : 1 + Math.floor(3 * uniform())
    })
    row++
  }
}
const unitIds = Array.from({ length: UNITS }, (_, u) => `U${u}`)
const population = Array.from({ length: UNITS }, (_, u) => unitTotal(u))
const batch: ResponseBatch = {
  columns: COLUMNS,
  size: ROWS,
  answers,
  unit,
  units: unitIds,
  stratum: unit,
  psu: null,
  weight: Float64Array.from(unit, (u) => population[u] / sizes[u])
}
const design = designOfBatch(batch, unitIds, population)
const options = scoringOptions()
const province = { id: 'province', units: unitIds }
const domains = [province, ...unitIds.map((u) => ({ id: u, units: [u] }))]

// The frame's margins: unit; channel; respondent type.
const margin = (by: string, valueOf: (u: number, c: number, s: number) => string): Margin => {
  const totals = new Map<string, number>()
  for (let u = 0; u < UNITS; u++)
    for (let c = 0; c < CHANNELS.length; c++)
      for (let s = 0; s < SUBJECTS.length; s++) {
        const value = valueOf(u, c, s)
        totals.set(value, (totals.get(value) ?? 0) + frame[u * CELLS + c * SUBJECTS.length + s])
      }
  return { by: [by], totals: [...totals].map(([value, N]) => ({ values: [value], N })) }
}
const margins = [
  margin('unit', (u) => unitIds[u]),
  margin('channel', (_, c) => CHANNELS[c]),
  margin('subjectType', (_, __, s) => SUBJECTS[s])
]

// The truth: each criterion's share satisfied in the population; the overall index is the mean of the factors'
// means of their criteria (the default methods), as the estimates are.
const factors = [...new Set(CRITERIA.map((code) => code.split('.')[0]))]
const truthOfCriterion = CRITERIA.map((_, k) => {
  let satisfied = 0
  let all = 0
  for (let cell = 0; cell < UNITS * CELLS; cell++) {
    satisfied += frame[cell] * pSat[cell * CRITERIA.length + k]
    all += frame[cell]
  }
  return satisfied / all
})
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const truthOverall = mean(factors.map((f) => mean(truthOfCriterion.filter((_, k) => CRITERIA[k].startsWith(`${f}.`)))))

log(
  `greg-intervals: ${ROWS.toLocaleString('en-US')} respondents, ${UNITS} units, frame of ${population
    .reduce((a, b) => a + b, 0)
    .toLocaleString('en-US')}; ${JSON.stringify(machine())}`
)
// Medians of REPEAT runs after one untimed run (the compiled loops warm up on it).
const time = async <T>(f: () => T): Promise<[T, number]> => {
  const runs = await timeRuns(f, REPEAT)
  return [runs.last, runs.median]
}
const [uncalibrated, allMs] = await time(() => computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains))
const [calibration, weightsMs] = await time(() =>
  calibrateWeights(batch, { channel, subjectType }, { method: 'linear', margins })
)
const [greg, gregFiguresMs] = await time(() =>
  computeIndices(batch, design, STANDARD_INSTRUMENT, options, domains, { calibration })
)
const gregAllMs = weightsMs + gregFiguresMs
const [gregProvince, gregUnits] = [greg.slice(0, 1), greg.slice(1)]
log(`uncalibrated: province and ${UNITS} units ${round(allMs)} ms`)
log(
  `GREG: weights ${round(weightsMs)} ms (${calibration.model.totals.length} cells), figures ${round(gregFiguresMs)} ms: ${round(gregAllMs / allMs, 2)}× uncalibrated`
)

const overallOf = (d: DomainResult) => d.indices.find((i) => i.kind === 'overall')!
const seRatio = (greg: DomainResult, plain: DomainResult, code: string) =>
  greg.indices.find((i) => i.code === code)!.se! / plain.indices.find((i) => i.code === code)!.se!
const plainOverall = overallOf(uncalibrated[0])
const gregOverall = overallOf(gregProvince[0])
const ciWidth = (i: typeof plainOverall) => (i.ci ? (i.ci.upper - i.ci.lower) * 100 : null)
const criterionRatios = CRITERIA.map((code) => seRatio(gregProvince[0], uncalibrated[0], code))
// A unit whose every dossier was drawn has SE 0 either way: no ratio.
const unitRatios = gregUnits
  .map((d, i) => overallOf(d).se! / overallOf(uncalibrated[1 + i]).se!)
  .filter(Number.isFinite)
const figures = {
  respondents: ROWS,
  units: UNITS,
  frame: population.reduce((a, b) => a + b, 0),
  cells: calibration.model.totals.length,
  province: {
    truthPercent: round(truthOverall * 100, 3),
    published: {
      estimatePercent: round(plainOverall.estimate! * 100, 3),
      sePercent: round(plainOverall.se! * 100, 4),
      ciWidthPercent: round(ciWidth(plainOverall)!, 3)
    },
    greg: {
      estimatePercent: round(gregOverall.estimate! * 100, 3),
      sePercent: round(gregOverall.se! * 100, 4),
      ciWidthPercent: round(ciWidth(gregOverall)!, 3)
    },
    overallSeRatio: round(gregOverall.se! / plainOverall.se!, 3),
    criteriaSeRatio: { median: round(median(criterionRatios), 3), min: round(Math.min(...criterionRatios), 3) }
  },
  unitsOverallSeRatio: {
    median: round(median(unitRatios), 3),
    min: round(Math.min(...unitRatios), 3),
    max: round(Math.max(...unitRatios), 3)
  },
  timeMs: {
    uncalibratedAll: round(allMs),
    calibrateWeights: round(weightsMs),
    gregFigures: round(gregFiguresMs),
    gregAll: round(gregAllMs)
  },
  ratios: { allGregOverUncalibrated: round(gregAllMs / allMs, 2) },
  targets: { calibratedAtMost2xUncalibrated: gregAllMs <= 2 * allMs }
}
log(JSON.stringify(figures, null, 2))
const path = writeResult(
  'greg-intervals',
  figures,
  { target: 'calibrated ≤ 2× uncalibrated, every index of every unit with SEs (issue 16)' },
  [
    'SE ratios: GREG / N_h/r_h, same sample (below 1: GREG narrows the interval by that factor)',
    `times: medians of ${REPEAT} runs each after one untimed run, in one process`
  ]
)
log(`wrote ${path}`)
