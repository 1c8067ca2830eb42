import type { Design, ResponseBatch } from './batch.js'
import { cellsOf, type Cells } from './cells.js'
import { domainResults, indexResult, planOf, type DomainResult } from './compute.js'
import type { Domain } from './estimate.js'
import { codeRows, emptyCellCodes, type CellCodes } from './groups.js'
import { BETA_FOR_LOGIT, INTERVAL_METHODS } from './intervals.js'
import type { Instrument } from './instrument.js'
import type { ScoringOptions } from './methods.js'
import type { IndexPlan } from './plan.js'
import { cellTallies, countCells, type Tallies } from './tally.js'

/**
 * A batch scored on several threads at once, every figure bit for bit the one-thread figure: the same passes
 * over the same numbers in the same order, each thread doing a share of each step in memory they all read
 * (SharedArrayBuffer), nothing large copied between them.
 *
 *  1. the rows' group codes, a share of the rows each (each row's codes go to its place in cell order);
 *  2. pass one's counts, a share of the cells each (all of a cell's rows are coded by then);
 *  3. everything per domain (totals, pass two over the rows of its cells, figures), a share of the domains
 *     each, balanced by their rows; the figures come back as numbers in shared memory, made objects again
 *     by the thread that asked.
 *
 * The thread that scores the batch makes the cells (one counting sort of the rows) and takes the first share
 * of every step; other threads run the others (`runShare`) between steps.
 */
export interface ShareJob {
  readonly batch: ResponseBatch
  readonly design: Design
  readonly instrument: Instrument
  readonly options: ScoringOptions
  readonly domains: readonly Domain[]
  readonly cells: Cells
  readonly codes: CellCodes
  readonly tallies: Tallies
  /** Each share's domains (indices into `domains`), for step 3. */
  readonly domainShares: readonly Int32Array[]
  /** Step 3's figures, as numbers (see FIGURE). */
  readonly figures: Float64Array
}

export type ShareStep = 'code' | 'count' | 'domains'
const SHARE_STEPS: readonly ShareStep[] = ['code', 'count', 'domains']

/**
 * scoreBatch's figures and tallies (compiled passes, no calibration) in `shares` shares: the first made by
 * this thread, the others by `elsewhere` at the same time, step by step.
 */
export async function scoreInShares(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  domains: readonly Domain[],
  shares: number,
  elsewhere: (job: ShareJob, step: ShareStep, share: number) => Promise<void> | void
): Promise<{ results: DomainResult[]; tallies: Tallies }> {
  const plan = planOf(batch.columns, instrument, options)
  const job = shareJob(batch, design, instrument, options, domains, plan, shares)
  let own: DomainResult[] = []
  for (const step of SHARE_STEPS) {
    const others = Promise.all(Array.from({ length: shares - 1 }, (_, i) => elsewhere(job, step, i + 1)))
    try {
      // This thread's figures stay objects: only the other shares' cross as numbers.
      if (step === 'domains') own = shareResults(job, 0, plan)
      else runShare(job, step, 0, shares, plan)
    } catch (error) {
      // The other shares end before the error is the caller's: none is left running, or failing unheard.
      await others.catch(() => undefined)
      throw error
    }
    await others
  }
  const results = new Array<DomainResult>(domains.length)
  job.domainShares[0].forEach((d, k) => (results[d] = own[k]))
  for (const which of job.domainShares.slice(1))
    for (const d of which) results[d] = unpackFigures(job.figures, plan, domains, d)
  return { results, tallies: job.tallies }
}

/** The shared memory of a batch's scoring in `shares` shares: its rows' cells made, the rest to fill. */
function shareJob(
  batch: ResponseBatch,
  design: Design,
  instrument: Instrument,
  options: ScoringOptions,
  domains: readonly Domain[],
  plan: IndexPlan,
  shares: number
): ShareJob {
  const cells = cellsOf(batch, design, shared)
  return {
    batch: inSharedMemory(batch),
    design,
    instrument,
    options,
    domains,
    cells,
    codes: emptyCellCodes(batch.size, cells, plan.groups, shared),
    tallies: cellTallies(batch.units, cells, plan.groups.classes, shared),
    domainShares: domainShares(domains, batch.units, cells, shares),
    figures: new Float64Array(shared(8 * (1 + FIGURE * plan.specs.length) * domains.length))
  }
}

const shared = (bytes: number) => new SharedArrayBuffer(bytes)

/** The batch with its arrays in shared memory (copied there unless they are). */
export function inSharedMemory(batch: ResponseBatch): ResponseBatch {
  const share = <A extends Uint8Array | Uint32Array | Float64Array>(a: A, make: (b: SharedArrayBuffer) => A): A => {
    if (a.buffer instanceof SharedArrayBuffer) return a
    const copy = make(new SharedArrayBuffer(a.byteLength))
    copy.set(a as never)
    return copy
  }
  const u32 = (a: Uint32Array | null) => a && share(a, (b) => new Uint32Array(b))
  return {
    ...batch,
    answers: share(batch.answers, (b) => new Uint8Array(b)),
    unit: share(batch.unit, (b) => new Uint32Array(b)),
    stratum: u32(batch.stratum),
    psu: u32(batch.psu),
    weight: batch.weight && share(batch.weight, (b) => new Float64Array(b))
  }
}

/** One share of one step, on any thread (`plan`: the job's, made again where not given). */
export function runShare(
  job: ShareJob,
  step: ShareStep,
  share: number,
  shares: number,
  plan = planOf(job.batch.columns, job.instrument, job.options)
): void {
  const { batch, cells, codes, tallies } = job
  if (step === 'code') {
    const [from, to] = shareOf(batch.size, share, shares)
    codeRows(codes, batch, cells, plan.groups, from, to)
  } else if (step === 'count') {
    // Cells cut where the rows before them reach the share's first row: shares of about equal rows.
    const [first, last] = shareOf(batch.size, share, shares).map((row) => cellAtRow(cells, row))
    countCells(tallies, codes, cells, plan.groups, first, last)
  } else packFigures(job.figures, job.domainShares[share], shareResults(job, share, plan))
}

/** The figures of a share's domains (step 3). */
function shareResults(job: ShareJob, share: number, plan: IndexPlan): DomainResult[] {
  const domains = Array.from(job.domainShares[share], (d) => job.domains[d])
  const rows = { units: job.batch.units, cells: job.cells, codes: job.codes }
  return domainResults(job.tallies, rows, job.design, plan, job.options, domains)
}

/** Rows (or anything counted from 0) from … to − 1 of share i of n. */
const shareOf = (size: number, i: number, n: number): [number, number] => [
  Math.floor((i * size) / n),
  Math.floor(((i + 1) * size) / n)
]

/** The first cell whose rows start at `row` or after it (cells.count when none). */
function cellAtRow(cells: Cells, row: number): number {
  let lo = 0
  let hi = cells.count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cells.start[mid] < row) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Domains in `shares` shares of about equal work: a domain costs its rows (pass two) and, whatever its size,
 * about as much again as a few thousand rows (its totals and figures). Largest first, each to the share with
 * the least so far; each share's domains in their order.
 */
function domainShares(
  domains: readonly Domain[],
  units: readonly string[],
  cells: Cells,
  shares: number
): Int32Array[] {
  const unitRows = new Map(units.map((u) => [u, 0]))
  for (let c = 0; c < cells.count; c++) {
    const u = units[cells.unit[c]]
    unitRows.set(u, (unitRows.get(u) as number) + cells.rows[c])
  }
  const cost = domains.map((d) => DOMAIN_ROWS + d.units.reduce((n, u) => n + (unitRows.get(u) ?? 0), 0))
  const load = new Float64Array(shares)
  const share = new Int32Array(domains.length)
  for (const d of [...domains.keys()].sort((a, b) => cost[b] - cost[a] || a - b)) {
    const least = load.indexOf(Math.min(...load))
    share[d] = least
    load[least] += cost[d]
  }
  return Array.from({ length: shares }, (_, s) => Int32Array.from(share.keys()).filter((d) => share[d] === s))
}

/** What a domain's totals and figures cost, as rows of pass two (measured on the province benchmark). */
const DOMAIN_ROWS = 3000

/**
 * A domain's figures as numbers: its rows, then per index FIGURE numbers: which case of indexResult (no
 * estimate, no SE, no interval, all), n, estimate, SE, df, the interval's bounds, its method (its place in
 * INTERVAL_METHODS) and whether it carries the note of a beta interval for a logit one.
 */
const FIGURE = 9
const NO_ESTIMATE = 0
const NO_SE = 1
const NO_INTERVAL = 2
const FULL = 3

/** Each domain's figures into `out` at its place among all the job's domains (`which`). */
function packFigures(out: Float64Array, which: Int32Array, results: readonly DomainResult[]): void {
  results.forEach((result, k) => {
    let at = which[k] * (1 + FIGURE * result.indices.length)
    out[at++] = result.rows
    for (const i of result.indices) {
      out[at] = i.estimate === null ? NO_ESTIMATE : i.se === null ? NO_SE : i.ci === null ? NO_INTERVAL : FULL
      out[at + 1] = i.n
      out[at + 2] = i.estimate ?? 0
      out[at + 3] = i.se ?? 0
      out[at + 4] = i.df ?? 0
      if (i.ci) {
        out[at + 5] = i.ci.lower
        out[at + 6] = i.ci.upper
        out[at + 7] = INTERVAL_METHODS.indexOf(i.ci.method)
        out[at + 8] = i.ci.note === undefined ? 0 : 1
      }
      at += FIGURE
    }
  })
}

/** Domain d's figures as objects again, as domainResults made them. */
function unpackFigures(figures: Float64Array, plan: IndexPlan, domains: readonly Domain[], d: number): DomainResult {
  const { specs } = plan
  let at = d * (1 + FIGURE * specs.length)
  const rows = figures[at++]
  const indices = specs.map((spec) => {
    const f = at
    at += FIGURE
    const [kind, n, estimate, se, df] = [figures[f], figures[f + 1], figures[f + 2], figures[f + 3], figures[f + 4]]
    if (kind === NO_ESTIMATE) return indexResult(spec, n, null, null, null, null)
    if (kind === NO_SE) return indexResult(spec, n, estimate, null, null, null)
    if (kind === NO_INTERVAL) return indexResult(spec, n, estimate, se, df, null)
    const [lower, upper, method] = [figures[f + 5], figures[f + 6], INTERVAL_METHODS[figures[f + 7]]]
    const ci = figures[f + 8] === 1 ? { lower, upper, method, note: BETA_FOR_LOGIT } : { lower, upper, method }
    return indexResult(spec, n, estimate, se, df, ci)
  })
  return { domain: domains[d].id, rows, indices }
}
