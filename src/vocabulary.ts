/**
 * The words the contracts (src/schemas) and the rules (src/domain) share. Neutral ground: it imports nothing,
 * so both can read it without the contracts depending on the domain.
 */

/** The campaign lifecycle's statuses, in order (the transitions are in domain/campaign-lifecycle.ts). */
export const CAMPAIGN_STATUSES = ['draft', 'sampling', 'collecting', 'closed', 'published'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

/** How a citizen or business reached the one-stop shop for the transaction a frame record describes. */
export const FRAME_CHANNELS = ['in-person', 'online', 'post', 'phone'] as const
export type FrameChannel = (typeof FRAME_CHANNELS)[number]

/** Who the transaction was for. */
export const SUBJECT_TYPES = ['citizen', 'business', 'agency', 'other-organisation'] as const
export type SubjectType = (typeof SUBJECT_TYPES)[number]
