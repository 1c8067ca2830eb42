import { allocate, sampleSizePlan, type StratumSpec } from '../sampling/index.js'
import type { SampleDesign, SampleDesignRequest } from '../schemas/sample.js'

export interface FrameStratum {
  stratum: string
  unitId: string
  channel: string | null
  populationSize: number
}

/**
 * Sample sizes per stratum from the frame's counts: the size formula (per unit or for the province, with
 * finite-population correction, the minimum per unit and inflation for non-response), then an allocation
 * across strata, then the administrator's overrides (capped at N_h).
 */
export function computeSampleDesign(
  strata: FrameStratum[],
  request: SampleDesignRequest,
  campaign: { marginOfError: number; confidenceLevel: number }
): SampleDesign {
  const plan = (populationSize: number) =>
    sampleSizePlan({
      populationSize,
      minimum: request.minimumPerUnit,
      responseRate: request.expectedResponseRate,
      ...(request.formula === 'yamane'
        ? { method: 'yamane' as const, marginOfError: campaign.marginOfError }
        : { method: 'cochran' as const, marginOfError: campaign.marginOfError, confidence: campaign.confidenceLevel })
    }).toDraw
  const spec = (s: FrameStratum): StratumSpec => ({ stratum: s.stratum, populationSize: s.populationSize })
  const byUnit = new Map<string, FrameStratum[]>()
  for (const s of strata) byUnit.set(s.unitId, [...(byUnit.get(s.unitId) ?? []), s])
  const groups = request.target === 'province' ? [strata] : [...byUnit.values()]
  const sizes = new Map<string, number>()
  for (const group of groups) {
    const populationSize = group.reduce((sum, s) => sum + s.populationSize, 0)
    for (const a of allocate(group.map(spec), { total: plan(populationSize), method: request.allocation }))
      sizes.set(a.stratum, a.sampleSize)
  }
  const rows = strata.map((s) => {
    const sampleSize = Math.min(request.overrides?.[s.stratum] ?? sizes.get(s.stratum) ?? 0, s.populationSize)
    return { ...s, sampleSize, inclusionProbability: s.populationSize > 0 ? sampleSize / s.populationSize : 0 }
  })
  return {
    request,
    marginOfError: campaign.marginOfError,
    confidenceLevel: campaign.confidenceLevel,
    populationSize: rows.reduce((sum, s) => sum + s.populationSize, 0),
    sampleSize: rows.reduce((sum, s) => sum + s.sampleSize, 0),
    strata: rows
  }
}
