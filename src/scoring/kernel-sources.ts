import { rollUpSource } from './pair-rollup.js'
import { rowLayout, squaresSource } from './rows.js'
import { ratiosSource, scoresSource } from './estimate.js'
import { codeScanSource } from './groups.js'
import { kernelText, type KernelSource } from './kernel.js'
import type { IndexPlan } from './plan.js'
import { cellWidth, countSource, weighSource } from './tally.js'

/**
 * Every kernel a plan can compile, in the order the passes run them: pass one's scan and counts (one kernel
 * for cells sharing a weight, one for rows of mixed weights), a calibrated computation's roll-up of its pairs'
 * tallies (the same two kinds), the domain totals, and, when some index mixes questions, pass two for one and
 * two domains at once, without and with row weights.
 */
export function kernelSources(plan: IndexPlan): KernelSource[] {
  const W = cellWidth(plan.classes)
  const sources = [
    codeScanSource(plan.groups, plan.classes.columns.length),
    countSource(plan.groups),
    weighSource(plan.groups),
    rollUpSource(plan, false),
    rollUpSource(plan, true),
    ratiosSource(plan, W),
    scoresSource(plan, W)
  ]
  if (plan.specs.every((s) => s.simple)) return sources
  const layout = rowLayout(plan)
  for (const weighted of [false, true])
    for (const domains of [1, 2] as const) sources.push(squaresSource(layout, domains, weighted))
  return sources
}

/** The kernels of a plan as `new Function` compiles them, one after the other. */
export const printKernels = (plan: IndexPlan): string => kernelSources(plan).map(kernelText).join('\n')
