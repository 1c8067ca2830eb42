import t from 'tap'
import fc from 'fast-check'
import { computeIndices, type DomainResult } from '../../src/scoring/compute.js'
import { domainTotals, indexVariance, pointEstimate } from '../../src/scoring/estimate.js'
import { validateInstrument } from '../../src/scoring/instrument.js'
import { indexSpecs, scoringOptions, slotCount } from '../../src/scoring/methods.js'
import { indexPlan } from '../../src/scoring/plan.js'
import { codedRows, rowScorePlan, rowScores, withRowScores } from '../../src/scoring/rows.js'
import { STANDARD_INSTRUMENT } from '../../src/scoring/standard-instrument.js'
import { mergeTallies, tally } from '../../src/scoring/tally.js'
import { makeBatch, selectRows, type Row } from '../helpers/batch.js'

// Two factors, three criteria: small enough for fast-check to explore, large enough for mixed indices.
const INSTRUMENT = validateInstrument({
  ...STANDARD_INSTRUMENT,
  code: 'PROPS',
  factors: STANDARD_INSTRUMENT.factors.slice(0, 2),
  items: STANDARD_INSTRUMENT.items.filter((i) => ['F1.1', 'F1.2', 'F2.1'].includes(i.code))
})
const COLUMNS = ['F1.1', 'F1.2', 'F2.1']
const OPTIONS = scoringOptions({ lonelyPsu: 'adjust' })

const answer = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 5 }) }, fc.constant(0), fc.constant(null))
const row = (clustered: boolean): fc.Arbitrary<Row> =>
  fc
    .record({
      unit: fc.constantFrom('A', 'B', 'C'),
      stratum: fc.constantFrom('S1', 'S2', 'S3'),
      psu: clustered ? fc.constantFrom('P1', 'P2', 'P3') : fc.constant(undefined),
      weight: fc.double({ min: 0.5, max: 20, noNaN: true }),
      answers: fc.array(answer, { minLength: 3, maxLength: 3 })
    })
    .map((r) => (r.psu === undefined ? { unit: r.unit, stratum: r.stratum, weight: r.weight, answers: r.answers } : r))
const rows = fc.boolean().chain((clustered) => fc.array(row(clustered), { minLength: 6, maxLength: 60 }))
const domainsOf = (units: readonly string[]) => [{ id: 'all', units }, ...units.map((u) => ({ id: u, units: [u] }))]

const closeTo = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined
    ? b === null || b === undefined
    : b !== null && b !== undefined && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))
const sameResults = (x: DomainResult[], y: DomainResult[]) =>
  x.every((d, i) =>
    d.indices.every((r, j) => {
      const s = y[i].indices[j]
      return closeTo(r.estimate, s.estimate) && closeTo(r.se, s.se) && r.df === s.df && r.n === s.n
    })
  )

t.test('merging the partials of two chunks equals computing on their union', async () => {
  fc.assert(
    fc.property(rows, fc.infiniteStream(fc.boolean()), (data, sides) => {
      const { batch, design } = makeBatch(COLUMNS, data)
      const mask = data.map(() => sides.next().value as boolean)
      const parts = [mask.flatMap((m, i) => (m ? [i] : [])), mask.flatMap((m, i) => (m ? [] : [i]))].map((r) =>
        selectRows(batch, r)
      )
      const plan = indexPlan(indexSpecs(INSTRUMENT, OPTIONS, COLUMNS), COLUMNS, slotCount(INSTRUMENT))
      const domains = domainsOf(batch.units)
      const whole = domainTotals(tally(batch, design, plan.groups), design, plan, domains)
      const mergedTallies = mergeTallies(tally(parts[0], design, plan.groups), tally(parts[1], design, plan.groups))
      const merged = domainTotals(mergedTallies, design, plan, domains)
      // Pass one: every point estimate.
      const estimatesAgree = plan.specs.every((_, m) =>
        whole.every((w, d) => closeTo(pointEstimate(plan, w, m), pointEstimate(plan, merged[d], m)))
      )
      // Pass two, chunk by chunk against the merged totals, then added: every variance.
      const passTwo = rowScorePlan(plan, design, merged)
      const full = withRowScores(merged, passTwo, rowScores(codedRows(batch, design, plan.groups), passTwo))
      const [a, b] = parts.map((p) => rowScores(codedRows(p, design, plan.groups), passTwo))
      const added = withRowScores(
        merged,
        passTwo,
        a.map((x, k) => x + b[k])
      )
      const variancesAgree = merged.every((_, d) =>
        Array.from(passTwo.indices).every((m) => {
          const v1 = indexVariance(design, full[d], m, 'adjust')
          const v2 = indexVariance(design, added[d], m, 'adjust')
          return closeTo(v1, v2)
        })
      )
      return estimatesAgree && variancesAgree
    }),
    { numRuns: 150 }
  )
})

t.test('weights of 1 give the unweighted shares and SEs', async () => {
  fc.assert(
    fc.property(rows, (data) => {
      const ones = data.map((r) => ({ ...r, weight: 1 }))
      const weighted = makeBatch(COLUMNS, ones)
      const plain = makeBatch(COLUMNS, ones, { weighted: false })
      const domains = domainsOf(weighted.batch.units)
      return sameResults(
        computeIndices(weighted.batch, weighted.design, INSTRUMENT, OPTIONS, domains),
        computeIndices(plain.batch, plain.design, INSTRUMENT, OPTIONS, domains)
      )
    }),
    { numRuns: 150 }
  )
})

t.test('indices and their intervals stay within [0, 100%]', async () => {
  fc.assert(
    fc.property(rows, fc.constantFrom('logit', 'beta', 'wilson'), (data, interval) => {
      const { batch, design } = makeBatch(COLUMNS, data)
      const results = computeIndices(batch, design, INSTRUMENT, { ...OPTIONS, interval }, domainsOf(batch.units))
      return results.every((d) =>
        d.indices.every(
          (r) =>
            r.estimate === null ||
            (r.estimate >= 0 &&
              r.estimate <= 1 &&
              r.se! >= 0 &&
              (r.ci === null ||
                (r.ci.lower >= -1e-12 &&
                  r.ci.upper <= 1 + 1e-12 &&
                  r.ci.lower <= r.estimate + 1e-12 &&
                  r.ci.upper >= r.estimate - 1e-12)))
        )
      )
    }),
    { numRuns: 150 }
  )
})

t.test('reordering responses changes nothing', async () => {
  fc.assert(
    fc.property(
      rows.chain((data) =>
        fc.tuple(fc.constant(data), fc.shuffledSubarray(data, { minLength: data.length, maxLength: data.length }))
      ),
      ([data, shuffled]) => {
        const a = makeBatch(COLUMNS, data)
        const b = makeBatch(COLUMNS, shuffled)
        // Same unit, stratum and PSU names in a fixed order, whatever order the rows come in.
        const domains = domainsOf(['A', 'B', 'C'].filter((u) => a.batch.units.includes(u)))
        const ra = computeIndices(a.batch, a.design, INSTRUMENT, OPTIONS, domains)
        const rb = computeIndices(b.batch, b.design, INSTRUMENT, OPTIONS, domains)
        return sameResults(ra, rb)
      }
    ),
    { numRuns: 150 }
  )
})
