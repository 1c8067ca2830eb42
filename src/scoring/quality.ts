import { MISSING, type Design, type ResponseBatch } from './batch.js'

export type QualityCode = 'straight-lining' | 'outside-window' | 'below-minimum-sample' | 'lonely-psu'

export interface QualityFlag {
  code: QualityCode
  /** The unit or stratum concerned. */
  subject: string
  count: number
  detail: string
}

/**
 * Data-quality flags of a batch: respondents who gave the same level to every criterion (at least
 * `minAnswered` of them), responses collected outside the campaign window, units with fewer responses than
 * their minimum, strata whose sample holds a single PSU (no variance can be estimated there).
 */
export function qualityFlags(
  batch: ResponseBatch,
  design: Design,
  opts: {
    criteria: readonly string[]
    minAnswered?: number
    collectedAt?: Float64Array
    window?: { start: number; end: number }
    minimumPerUnit?: number
  }
): QualityFlag[] {
  const columns = Int32Array.from(opts.criteria.map((c) => batch.columns.indexOf(c)).filter((c) => c >= 0))
  const minAnswered = opts.minAnswered ?? Math.max(2, columns.length)
  const K = batch.columns.length
  const straight = new Float64Array(batch.units.length)
  const outside = new Float64Array(batch.units.length)
  const rows = new Float64Array(batch.units.length)
  // Typed arrays and indexed loops: a million rows of twenty criteria each.
  const { answers, unit } = batch
  for (let r = 0; r < batch.size; r++) {
    const u = unit[r]
    rows[u]++
    let level = -1
    let answered = 0
    let same = true
    for (let i = 0, at = r * K; i < columns.length; i++) {
      const a = answers[at + columns[i]]
      if (a === MISSING || a === 0) continue
      answered++
      if (level === -1) level = a
      else if (a !== level) {
        // Two levels: not straight-lined, whatever follows.
        same = false
        break
      }
    }
    if (same && answered >= minAnswered) straight[u]++
    if (opts.collectedAt && opts.window) {
      const at = opts.collectedAt[r]
      if (at < opts.window.start || at > opts.window.end) outside[u]++
    }
  }
  const flags: QualityFlag[] = []
  batch.units.forEach((unit, u) => {
    if (straight[u] > 0)
      flags.push({
        code: 'straight-lining',
        subject: unit,
        count: straight[u],
        detail: `${straight[u]} of ${rows[u]} respondents gave one level to every criterion`
      })
    if (outside[u] > 0)
      flags.push({
        code: 'outside-window',
        subject: unit,
        count: outside[u],
        detail: `${outside[u]} responses collected outside the campaign window`
      })
    if (opts.minimumPerUnit !== undefined && rows[u] < opts.minimumPerUnit)
      flags.push({
        code: 'below-minimum-sample',
        subject: unit,
        count: rows[u],
        detail: `${rows[u]} responses, below the minimum of ${opts.minimumPerUnit}`
      })
  })
  design.strata.forEach((stratum, h) => {
    if (design.psuCount[h] === 1)
      flags.push({
        code: 'lonely-psu',
        subject: stratum,
        count: 1,
        detail: 'a single PSU: its variance needs the lonely-PSU rule "adjust" or "average"'
      })
  })
  return flags
}
