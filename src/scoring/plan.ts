import { answerClasses, type AnswerClasses } from './classes.js'
import { columnGroups, type ColumnGroups } from './groups.js'
import type { IndexSpec, Ratio } from './methods.js'

/**
 * The indices of one computation, numbered for the scoring loops: their distinct ratios, each index as
 * (ratio, coefficient) terms and as the columns its score reads, and the answer classes the tallies count.
 */
export interface IndexPlan {
  readonly specs: readonly IndexSpec[]
  readonly ratios: readonly Ratio[]
  /** Index i is Σ termCoef[k] · R(termRatio[k]) for termStart[i] ≤ k < termStart[i + 1]. */
  readonly termStart: Int32Array
  readonly termRatio: Int32Array
  readonly termCoef: Float64Array
  /** The distinct columns index i reads: columnList[columnStart[i]] .. columnList[columnStart[i + 1] − 1]. */
  readonly columnStart: Int32Array
  readonly columnList: Int32Array
  readonly classes: AnswerClasses
  /**
   * The tallied columns in groups for row codes. A group never mixes columns read by different indices that
   * mix questions: the groups of a run of columns read by the same such indices (runReaders[run], e.g. one
   * factor's criteria, read by the factor and the overall index) add up to pass two's codes for that run.
   */
  readonly groups: ColumnGroups
  readonly runReaders: ReadonlyArray<readonly number[]>
}

export const ratiosOf = (specs: readonly IndexSpec[]): Ratio[] => [...new Set(specs.flatMap((s) => s.ratios))]

export function indexPlan(specs: readonly IndexSpec[], columns: readonly string[], slots: number): IndexPlan {
  const ratios = ratiosOf(specs)
  const ratioId = new Map(ratios.map((r, q) => [r, q]))
  const termStart = new Int32Array(specs.length + 1)
  const columnStart = new Int32Array(specs.length + 1)
  const termRatio: number[] = []
  const termCoef: number[] = []
  const columnList: number[] = []
  specs.forEach((spec, i) => {
    spec.ratios.forEach((r, k) => {
      termRatio.push(ratioId.get(r) as number)
      termCoef.push(spec.coefs[k])
    })
    columnList.push(...new Set(spec.ratios.flatMap((r) => r.columns)))
    termStart[i + 1] = termRatio.length
    columnStart[i + 1] = columnList.length
  })
  const classes = answerClasses(ratios, columns, slots)
  // Runs: the columns read by the same mixed indices, in the order the indices read them; then the others.
  const readers = new Map<number, number[]>()
  specs.forEach((spec, i) => {
    if (spec.simple) return
    for (let k = columnStart[i]; k < columnStart[i + 1]; k++)
      readers.set(columnList[k], [...(readers.get(columnList[k]) ?? []), i])
  })
  const runs = new Map<string, { readers: number[]; columns: number[] }>()
  for (const [c, who] of readers) {
    const run = runs.get(who.join()) ?? { readers: who, columns: [] }
    run.columns.push(c)
    runs.set(who.join(), run)
  }
  runs.set('', { readers: [], columns: Array.from(classes.tallied).filter((c) => !readers.has(c)) })
  return {
    specs,
    ratios,
    termStart,
    termRatio: Int32Array.from(termRatio),
    termCoef: Float64Array.from(termCoef),
    columnStart,
    columnList: Int32Array.from(columnList),
    classes,
    groups: columnGroups(
      classes,
      [...runs.values()].map((r) => r.columns)
    ),
    runReaders: [...runs.values()].map((r) => r.readers)
  }
}
