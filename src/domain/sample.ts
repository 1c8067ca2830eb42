import type { Db } from '../db/client.js'
import { findCampaign, type CampaignRow } from '../db/queries/campaigns.js'
import {
  fieldOutcomes,
  findSlot,
  frameForDraw,
  frameStrata,
  listSlots,
  recordOutcome,
  replaceSlot,
  saveDesign,
  storeDraw,
  type NewSlot
} from '../db/queries/sample.js'
import { withTransaction } from '../db/transaction.js'
import { Problem } from '../problems.js'
import { drawSample, SamplingError, summariseProgress, type FieldStatus } from '../sampling/index.js'
import type { SampleDesign, SampleDesignRequest } from '../schemas/sample.js'
import { campaignAllows } from './campaigns.js'
import type { FrameRecord } from './frame-records.js'
import type { Sealer } from './personal-data.js'
import { computeSampleDesign } from './sample-design.js'

export { findSlot, recordOutcome, replaceSlot }

/** The campaign and its stored design (conflict while it has none). */
export async function designOf(db: Db, campaignId: string): Promise<{ campaign: CampaignRow; design: SampleDesign }> {
  const campaign = await findCampaign(db, campaignId)
  if (!campaign.sampleDesign)
    throw new Problem('sample-design-missing', 'The campaign has no sample design yet: POST one to /sample-design.')
  return { campaign, design: campaign.sampleDesign as SampleDesign }
}

/**
 * The sample size of every stratum of the frame, for the campaign's margin of error and confidence level, not
 * yet stored. Refused once the sample is drawn, or when `overrides` name strata the frame lacks.
 */
export async function designSample(db: Db, campaignId: string, request: SampleDesignRequest) {
  const campaign = await findCampaign(db, campaignId)
  if (!campaign.sampled) throw new Problem('campaign-not-sampled', 'The campaign is not sampled.')
  if (!(await campaignAllows(db, campaign, 'design-sample')))
    throw new Problem('sample-already-drawn', 'The sample is drawn: its design no longer changes.')
  const strata = await frameStrata(db, campaign.id, request.stratifyBy)
  if (strata.length === 0) throw new Problem('frame-empty', 'The frame is empty: upload it first.')
  const unknown = Object.keys(request.overrides ?? {}).filter((key) => !strata.some((s) => s.stratum === key))
  if (unknown.length > 0)
    throw new Problem(
      'unknown-stratum',
      'Overrides name strata the frame does not have.',
      unknown.map((key) => ({ in: 'body' as const, pointer: `/overrides/${key}`, detail: 'no such stratum' }))
    )
  try {
    return { campaign, design: computeSampleDesign(strata, request, campaign) }
  } catch (error) {
    if (!(error instanceof SamplingError)) throw error
    throw new Problem('sample-design-invalid', error.message, [
      { in: 'body', pointer: `/${error.parameter}`, detail: error.message }
    ])
  }
}

export { saveDesign }

/** The campaign and its design, refused unless its status allows the draw. */
export async function drawableDesignOf(db: Db, campaignId: string) {
  const { campaign, design } = await designOf(db, campaignId)
  if (!(await campaignAllows(db, campaign, 'draw-sample')))
    throw new Problem(
      'campaign-not-sampling',
      `The campaign is ${campaign.status}: the sample is drawn in the sampling status.`,
      undefined,
      undefined,
      { campaignStatus: campaign.status }
    )
  return { campaign, design }
}

/**
 * Draws the sample from the stored frame and design and stores every slot with its inclusion probability,
 * in one transaction: a campaign has one draw, recorded with its seed and generator.
 */
export async function drawAndStore(db: Db, campaignId: string, design: SampleDesign, seed: string) {
  const frame = await frameForDraw(db, campaignId)
  const draw = drawSample(
    frame.map((r) => ({ id: r.id, stratum: r.stratum, sortKey: r.completedAt.toISOString() })),
    {
      seed,
      method: design.request.drawMethod,
      allocation: design.strata.map((s) => ({ stratum: s.stratum, sampleSize: s.sampleSize })),
      reserveRate: design.request.reserveRate
    }
  )
  const slots = draw.units.map((u): NewSlot => {
    const record = frame[u.frameIndex]
    return {
      campaignId,
      recordId: record.recordId,
      dossierCode: record.id,
      unitId: record.unitId,
      stratum: u.stratum,
      role: u.role,
      reserveRank: u.reserveRank,
      inclusionProbability: u.inclusionProbability,
      baseWeight: u.baseWeight,
      status: u.role === 'main' ? 'pending' : 'reserve'
    }
  })
  await withTransaction(db, (tx) => storeDraw(tx, campaignId, slots, seed))
  const main = slots.filter((s) => s.role === 'main').length
  return { seed: draw.seed, method: draw.method, generator: draw.generator, main, reserves: slots.length - main }
}

/**
 * The campaign's slots; with `contacts`, each with its record's contact details opened (absent ones null).
 * `within`: only the slots of these units (a surveyor's), decided before any contact detail is opened.
 */
export async function sampleSlots(
  db: Db,
  sealer: Sealer,
  campaignId: string,
  filter: { role?: string; unitId?: string; status?: string; contacts: boolean; within?: Set<string> }
) {
  await findCampaign(db, campaignId)
  const rows = await listSlots(db, campaignId, filter)
  if (!filter.contacts) return rows.map((r) => r.slot)
  const none: FrameRecord['contact'] = { name: null, phone: null, email: null }
  return rows.map(({ slot, recordId, sealedContact }) => ({
    ...slot,
    contact: recordId && sealedContact ? sealer.open<FrameRecord['contact']>(recordId, sealedContact) : none
  }))
}

/** Drawn, contacted, responded, refused, replaced and the response rate (AAPOR RR1), per stratum and per unit. */
export async function campaignProgress(db: Db, campaignId: string, design: SampleDesign) {
  const outcomes = await fieldOutcomes(db, campaignId)
  const strata = summariseProgress(
    design.strata,
    outcomes.map((s) => ({ stratum: s.stratum, status: s.status as FieldStatus, replaced: s.replaced }))
  )
  const unitOf = new Map(design.strata.map((s) => [s.stratum, s.unitId]))
  const rows = strata.map((s) => ({ ...s, unitId: unitOf.get(s.stratum) as string }))
  const rate = (group: typeof rows) => {
    const drawn = group.reduce((sum, s) => sum + s.drawn, 0)
    const responded = group.reduce((sum, s) => sum + s.responded, 0)
    const eligible = drawn - group.reduce((sum, s) => sum + s.ineligible, 0)
    return { drawn, responded, responseRate: eligible > 0 ? responded / eligible : null }
  }
  const unitIds = [...new Set(rows.map((r) => r.unitId))]
  return {
    strata: rows,
    units: unitIds.map((unitId) => ({ unitId, ...rate(rows.filter((r) => r.unitId === unitId)) })),
    total: rate(rows)
  }
}
