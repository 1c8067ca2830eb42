import { MISSING } from './batch.js'
import type { Ratio } from './methods.js'

/**
 * Answer classes: in each column, the answer codes that every ratio reading the column treats alike (the
 * same y and the same x) form one class. Counting classes instead of codes loses nothing any index needs and
 * makes tallies several times smaller: a criterion has three classes (no valid answer, valid but not
 * satisfied, satisfied) where its scale has ten codes. Classes are numbered in the order of their first code.
 */
export interface AnswerClasses {
  readonly columns: readonly string[]
  readonly slots: number
  /** The most classes of any column: the room a column takes per cell in tallies. */
  readonly stride: number
  /** Classes of each column; 0 for a column no ratio reads (it is not tallied). */
  readonly count: Uint8Array
  /** The tallied columns (those with classes), and each column's place among them (−1 if not tallied). */
  readonly tallied: Int32Array
  readonly position: Int32Array
  /** [column × 256 + answer byte] → class. MISSING, and codes past the last slot, share the missing slot's class. */
  readonly ofAnswer: Uint8Array
  /** [column × stride + class] → one slot of that class, where a ratio's y and x tables are read for it. */
  readonly slot: Uint8Array
}

/** The slot of an answer byte: its code, or the last slot for MISSING (and for codes no slot holds). */
export const answerSlot = (answer: number, slots: number): number =>
  answer === MISSING || answer > slots - 2 ? slots - 1 : answer

export function answerClasses(ratios: readonly Ratio[], columns: readonly string[], slots: number): AnswerClasses {
  const K = columns.length
  const readers: Ratio[][] = columns.map(() => [])
  for (const ratio of new Set(ratios)) for (const c of new Set(ratio.columns)) readers[c].push(ratio)
  const count = new Uint8Array(K)
  const classOfSlot = readers.map((rs) => {
    const classes: number[] = []
    const alike = (s: number, t: number) => rs.every((r) => r.y[s] === r.y[t] && r.x[s] === r.x[t])
    return Array.from({ length: slots }, (_, s) => {
      const found = classes.findIndex((first) => alike(first, s))
      if (found >= 0) return found
      classes.push(s)
      return classes.length - 1
    })
  })
  readers.forEach((rs, c) => {
    count[c] = rs.length === 0 ? 0 : Math.max(...classOfSlot[c]) + 1
  })
  const stride = Math.max(1, ...count)
  const ofAnswer = new Uint8Array(K * 256)
  const slot = new Uint8Array(K * stride)
  const position = new Int32Array(K).fill(-1)
  const tallied: number[] = []
  for (let c = 0; c < K; c++) {
    if (count[c] === 0) continue
    position[c] = tallied.length
    tallied.push(c)
    for (let a = 0; a < 256; a++) ofAnswer[c * 256 + a] = classOfSlot[c][answerSlot(a, slots)]
    for (let s = slots - 1; s >= 0; s--) slot[c * stride + classOfSlot[c][s]] = s
  }
  return { columns, slots, stride, count, tallied: Int32Array.from(tallied), position, ofAnswer, slot }
}

/** Whether tallies counted with these classes can be added together. */
export function sameClasses(a: AnswerClasses, b: AnswerClasses): boolean {
  return (
    a === b ||
    (a.slots === b.slots &&
      a.columns.length === b.columns.length &&
      a.columns.every((c, i) => c === b.columns[i]) &&
      a.ofAnswer.every((k, i) => k === b.ofAnswer[i]) &&
      a.count.every((k, i) => k === b.count[i]))
  )
}
