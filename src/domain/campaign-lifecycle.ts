import type { CampaignStatus } from '../vocabulary.js'

/** What the rules look at besides the two statuses. */
export interface CampaignFacts {
  sampled: boolean
  scopeSize: number
  sampleDrawn: boolean
}

type Rule = (facts: CampaignFacts) => string | null

/**
 * draft → sampling → collecting → closed → published. A campaign without a drawn sample (kiosks, open web
 * forms) goes from draft straight to collecting; a sampled one collects only once its sample is drawn. The
 * only way back is sampling → draft, before the draw.
 */
const RULES: Partial<Record<CampaignStatus, Partial<Record<CampaignStatus, Rule>>>> = {
  draft: {
    sampling: (f) =>
      !f.sampled
        ? 'the campaign is not sampled: go to collecting'
        : f.scopeSize === 0
          ? 'the campaign has no units in scope'
          : null,
    collecting: (f) =>
      f.sampled
        ? 'a sampled campaign collects only after its sample is drawn (go to sampling first)'
        : f.scopeSize === 0
          ? 'the campaign has no units in scope'
          : null
  },
  sampling: {
    collecting: (f) => (f.sampleDrawn ? null : 'no sample has been drawn yet'),
    draft: (f) => (f.sampleDrawn ? 'the sample is drawn: the design can no longer change' : null)
  },
  collecting: { closed: () => null },
  closed: { published: () => null }
}

/** Null when `from → to` is allowed, otherwise why not. */
export function transitionRefusal(from: CampaignStatus, to: CampaignStatus, facts: CampaignFacts): string | null {
  const rule = RULES[from]?.[to]
  if (!rule) {
    const allowed = Object.keys(RULES[from] ?? {})
    return `${from} → ${to} is not a transition of the lifecycle${allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : `: ${from} is final`}`
  }
  return rule(facts)
}
