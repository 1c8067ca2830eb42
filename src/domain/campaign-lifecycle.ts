import { CAMPAIGN_STATUSES, type CampaignStatus } from '../vocabulary.js'

/** What the rules look at besides the two statuses. */
export interface CampaignFacts {
  sampled: boolean
  scopeSize: number
  sampleDrawn: boolean
  /** An approved publication exists (what alone makes results public). */
  approvedPublication: boolean
}

/** Why a transition is refused: `reason` a stable code a client can branch on, `detail` the words for a person. */
export interface TransitionRefusal {
  reason:
    | 'not-a-transition'
    | 'not-sampled'
    | 'sampled'
    | 'no-units-in-scope'
    | 'sample-not-drawn'
    | 'sample-drawn'
    | 'not-approved'
  detail: string
}

type Rule = (facts: CampaignFacts) => TransitionRefusal | null

/**
 * draft → sampling → collecting → closed → published. A campaign without a drawn sample (kiosks, open web
 * forms) goes from draft straight to collecting; a sampled one collects only once its sample is drawn. The
 * only way back is sampling → draft, before the draw. A campaign is published by approving a publication of its
 * results, never before one is approved.
 */
const NO_UNITS: TransitionRefusal = { reason: 'no-units-in-scope', detail: 'the campaign has no units in scope' }

const RULES: Partial<Record<CampaignStatus, Partial<Record<CampaignStatus, Rule>>>> = {
  draft: {
    sampling: (f) =>
      !f.sampled
        ? { reason: 'not-sampled', detail: 'the campaign is not sampled: go to collecting' }
        : f.scopeSize === 0
          ? NO_UNITS
          : null,
    collecting: (f) =>
      f.sampled
        ? {
            reason: 'sampled',
            detail: 'a sampled campaign collects only after its sample is drawn (go to sampling first)'
          }
        : f.scopeSize === 0
          ? NO_UNITS
          : null
  },
  sampling: {
    collecting: (f) => (f.sampleDrawn ? null : { reason: 'sample-not-drawn', detail: 'no sample has been drawn yet' }),
    draft: (f) =>
      f.sampleDrawn ? { reason: 'sample-drawn', detail: 'the sample is drawn: the design can no longer change' } : null
  },
  collecting: { closed: () => null },
  closed: {
    published: (f) =>
      f.approvedPublication
        ? null
        : { reason: 'not-approved', detail: 'no publication of its results is approved: approve a draft publication' }
  }
}

/** Null when `from → to` is allowed, otherwise why not. */
export function transitionRefusal(
  from: CampaignStatus,
  to: CampaignStatus,
  facts: CampaignFacts
): TransitionRefusal | null {
  const rule = RULES[from]?.[to]
  if (!rule) {
    const allowed = Object.keys(RULES[from] ?? {})
    return {
      reason: 'not-a-transition',
      detail: `${from} → ${to} is not a transition of the lifecycle${allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : `: ${from} is final`}`
    }
  }
  return rule(facts)
}

/** What can be done to a campaign or to what it holds, besides moving it along the lifecycle. */
export type CampaignOperation =
  | 'edit'
  | 'change-weighting'
  | 'change-frame'
  | 'delete-frame'
  | 'design-sample'
  | 'draw-sample'
  | 'collect-responses'
  | 'publish'
  | 'serve-publicly'

/** `always` in that status; `before-draw` in that status while no sample is drawn. */
type Allowance = 'always' | 'before-draw'

/**
 * Which operation each status allows: the one place every check reads. The frame and the sample design change
 * until the sample is drawn; the frame, which holds personal data, goes again once the campaign is closed. A
 * campaign without a sample takes its frame while it collects or once closed too: the frame of the period's
 * dossiers often comes after the ratings given at the counter, and links them (issue 16). How the figures are
 * weighted (calibration, the after-service index) is a choice about results, not about collection: it changes
 * until they are published.
 */
const OPERATIONS: Record<CampaignStatus, Partial<Record<CampaignOperation, Allowance>>> = {
  draft: {
    edit: 'always',
    'change-weighting': 'always',
    'change-frame': 'before-draw',
    'delete-frame': 'before-draw',
    'design-sample': 'before-draw'
  },
  sampling: {
    'change-weighting': 'always',
    'change-frame': 'before-draw',
    'delete-frame': 'before-draw',
    'design-sample': 'before-draw',
    'draw-sample': 'always'
  },
  collecting: {
    'change-weighting': 'always',
    'change-frame': 'before-draw',
    'delete-frame': 'before-draw',
    'collect-responses': 'always'
  },
  closed: { 'change-weighting': 'always', 'change-frame': 'before-draw', 'delete-frame': 'always', publish: 'always' },
  published: { 'delete-frame': 'always', publish: 'always', 'serve-publicly': 'always' }
}

/**
 * Whether `status` allows `operation`. `sampleDrawn` is asked only when the answer depends on it (it costs a
 * query).
 */
export async function operationAllowed(
  operation: CampaignOperation,
  status: CampaignStatus,
  sampleDrawn: () => Promise<boolean>
): Promise<boolean> {
  const allowance = OPERATIONS[status][operation]
  return allowance === 'always' || (allowance === 'before-draw' && !(await sampleDrawn()))
}

/** The statuses that allow `operation` whatever the sample (for guards written in SQL). */
export const statusesAllowing = (operation: CampaignOperation): CampaignStatus[] =>
  CAMPAIGN_STATUSES.filter((status) => OPERATIONS[status][operation] === 'always')
