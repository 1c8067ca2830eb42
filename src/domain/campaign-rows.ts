import type { Db } from '../db/client.js'
import { procedureNames } from '../db/queries/frame.js'
import { loadAfterService, loadResponses, noAfterService } from '../db/queries/results.js'
import type { SampleDesign } from '../schemas/sample.js'
import { procedureCodes, type DocumentInput } from './results-document.js'

/** Which rows a computation reads. */
export interface RowRequest {
  campaignId: string
  columns: string[]
  sampleDesign: SampleDesign | null
  /** The campaign's stored responses: sizes the arrays once. */
  total: number
  /** The campaign's frame holds records: each sampled row is read with its record, and after-service rows too. */
  withFrame: boolean
}

/** What a computation's document is made from that is read row by row, on whichever thread makes it. */
export type CampaignRows = Pick<DocumentInput, 'batch' | 'design' | 'frame' | 'afterService' | 'procedureNames'>

/** The rows of a computation, and the names of the procedures they cite; `onRead` gets the rows read so far. */
export async function readCampaignRows(
  db: Db,
  { campaignId, columns, sampleDesign, total, withFrame }: RowRequest,
  onRead: (read: number) => void
): Promise<CampaignRows> {
  const [{ batch, design, frame }, afterService] = await Promise.all([
    loadResponses(db, campaignId, columns, sampleDesign, onRead, total, sampleDesign !== null && withFrame),
    // Without a frame there is nothing to link a response to: no scan of the campaign's responses for it.
    withFrame ? loadAfterService(db, campaignId, columns) : noAfterService(columns)
  ])
  const names = frame ? await procedureNames(db, campaignId, procedureCodes(frame)) : new Map<string, string>()
  return { batch, design, frame, afterService, procedureNames: Object.fromEntries(names) }
}
