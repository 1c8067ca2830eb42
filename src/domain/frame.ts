import { randomUUID } from 'node:crypto'
import type { Db } from '../db/client.js'
import { campaignUnitIds, findCampaign, type CampaignRow } from '../db/queries/campaigns.js'
import { deleteFrame, frameSummary, insertFrame, scopeResolver, type NewFrameRecord } from '../db/queries/frame.js'
import { Problem, type FieldError } from '../problems.js'
import { campaignAllows } from './campaigns.js'
import { normaliseFrameRecord, vietnamDay, type FrameRecord, type LeftOutReason } from './frame-records.js'
import type { Sealer } from './personal-data.js'

const MAX_REPORTED = 1000

/** An upload read and sorted, not yet stored: what enters the frame and what was left out and why. */
export interface FrameUpload {
  campaign: CampaignRow
  received: number
  entries: Array<{ record: FrameRecord; unitId: string }>
  leftOut: Record<string, number>
  leftOutRows: Array<{ row: number; dossierCode: string; reason: string }>
}

const leave = (upload: FrameUpload, row: number, dossierCode: string, reason: LeftOutReason) => {
  upload.leftOut[reason] = (upload.leftOut[reason] ?? 0) + 1
  if (upload.leftOutRows.length < MAX_REPORTED) upload.leftOutRows.push({ row, dossierCode, reason })
}

/**
 * Reads an upload's records: only finished dossiers completed in the reference period, handled by a unit in
 * scope (or below one), enter. A malformed record rejects the whole upload (errors by row, in `part`).
 */
export async function readFrameUpload(
  db: Db,
  campaignId: string,
  records: AsyncIterable<Record<string, unknown>>,
  part: FieldError['in']
): Promise<FrameUpload> {
  const campaign = await findCampaign(db, campaignId)
  if (!(await campaignAllows(db, campaign, 'change-frame')))
    throw new Problem(
      'frame-locked',
      `The frame can change only before the sample is drawn (the campaign is ${campaign.status}).`,
      undefined,
      undefined,
      { campaignStatus: campaign.status }
    )
  const resolve = await scopeResolver(db, await campaignUnitIds(db, campaign.id))
  const upload: FrameUpload = { campaign, received: 0, entries: [], leftOut: {}, leftOutRows: [] }
  const errors: FieldError[] = []
  let errorCount = 0
  const seen = new Set<string>()
  for await (const raw of records) {
    const row = upload.received++
    const result = normaliseFrameRecord(raw)
    if ('errors' in result) {
      errorCount += result.errors.length
      for (const e of result.errors)
        if (errors.length < MAX_REPORTED) errors.push({ in: part, pointer: `/${row}/${e.field}`, detail: e.detail })
      continue
    }
    const { record } = result
    const day = vietnamDay(record.completedAt)
    const unitId = resolve(record.unitCode)
    if (!record.finished) leave(upload, row, record.dossierCode, 'not-finished')
    else if (day < campaign.periodStart || day > campaign.periodEnd)
      leave(upload, row, record.dossierCode, 'outside-period')
    else if (!unitId) leave(upload, row, record.dossierCode, 'unit-not-in-scope')
    else if (seen.has(record.dossierCode)) leave(upload, row, record.dossierCode, 'duplicate')
    else {
      seen.add(record.dossierCode)
      upload.entries.push({ record, unitId })
    }
  }
  if (errorCount > 0)
    throw new Problem('frame-invalid', `${errorCount} error(s) in the frame; nothing was stored.`, errors)
  return upload
}

/**
 * Stores what an upload lets in, contact details sealed to their record; dossiers already in the frame are
 * left out as duplicates. The upload's report.
 */
export async function storeFrameUpload(db: Db, sealer: Sealer, upload: FrameUpload) {
  const records = upload.entries.map(({ record, unitId }): NewFrameRecord => {
    const id = randomUUID()
    return {
      id,
      unitId,
      dossierCode: record.dossierCode,
      procedureCode: record.procedureCode,
      procedureName: record.procedureName,
      fieldCode: record.fieldCode,
      channel: record.channel,
      subjectType: record.subjectType,
      completedAt: record.completedAt,
      sealedContact: Object.values(record.contact).some((v) => v !== null) ? sealer.seal(id, record.contact) : null
    }
  })
  const { inserted, duplicates } = await insertFrame(db, upload.campaign.id, records)
  for (const dossierCode of duplicates) leave(upload, -1, dossierCode, 'duplicate')
  return { received: upload.received, accepted: inserted, leftOut: upload.leftOut, leftOutRows: upload.leftOutRows }
}

export async function campaignFrame(db: Db, campaignId: string) {
  await findCampaign(db, campaignId)
  return frameSummary(db, campaignId)
}

/** Refuses, before any write, to delete a frame the campaign still needs (a drawn sample in fieldwork). */
export async function deletableFrameOf(db: Db, campaignId: string): Promise<CampaignRow> {
  const campaign = await findCampaign(db, campaignId)
  if (!(await campaignAllows(db, campaign, 'delete-frame')))
    throw new Problem(
      'frame-locked',
      `The sample is drawn and the campaign is ${campaign.status}: the frame is deleted once the campaign is closed.`,
      undefined,
      undefined,
      { campaignStatus: campaign.status }
    )
  return campaign
}

export { deleteFrame }
