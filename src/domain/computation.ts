import type { Db } from '../db/client.js'
import { campaignUnitIds, findCampaign, unitsByIds } from '../db/queries/campaigns.js'
import {
  countResponses,
  failInterruptedJobs,
  getComputation,
  saveComputation,
  updateJob
} from '../db/queries/results.js'
import { frameCells, responseCounts, type ResponseCountRow } from '../db/queries/response-counts.js'
import { campaignProgress } from './sample.js'
import { getUnit } from '../db/queries/units.js'
import { Problem } from '../problems.js'
import { answerColumns, type ParRule, type ScoringOptions } from '../scoring/index.js'
import type { SampleDesign } from '../schemas/sample.js'
import { getCampaign } from './campaigns.js'
import { campaignQuestionnaires } from './instruments.js'
import { computeCampaignDocument, type ComputeSource } from './compute-pool.js'
import type { CampaignResults, ResponseCounts } from '../schemas/results.js'

/**
 * The counts of the document: every stored response once, by how it counts, and what the official figures
 * leave out (a sampled campaign's are its sample's; a campaign without a sample takes every response).
 */
function countsOf(rows: ResponseCountRow[], sampled: boolean): ResponseCounts {
  const counts = ({ posted, sample, afterService, unlinked }: ResponseCountRow) => ({
    posted,
    sample,
    afterService,
    unlinked
  })
  const total = rows.find((r) => r.unitId === null) as ResponseCountRow
  return {
    ...counts(total),
    official: sampled ? total.sample : total.posted,
    excluded: sampled
      ? [
          { reason: 'after-service', responses: total.afterService },
          { reason: 'unlinked', responses: total.unlinked }
        ]
      : [],
    units: rows.flatMap((r) => (r.unitId === null ? [] : [{ unitId: r.unitId, ...counts(r) }]))
  }
}

/**
 * A campaign's results from its stored responses: read them (reporting the share read), weight them by the
 * design, compute every index with the scoring core. `onProgress` gets 0–1.
 */
export async function computeCampaign(
  { db, databaseUrl }: ComputeSource,
  campaignId: string,
  onProgress: (share: number) => void = () => {}
) {
  const campaign = await findCampaign(db, campaignId)
  const sampleDesign = campaign.sampled ? (campaign.sampleDesign as SampleDesign | null) : null
  if (campaign.sampled && !sampleDesign)
    throw new Problem('sample-design-missing', 'The campaign is sampled but has no sample design yet.')
  // What the computation needs besides the rows, asked at once: none depends on another.
  const [questionnaires, c, total, frame, province, units, progress] = await Promise.all([
    campaignQuestionnaires(db, campaign),
    getCampaign(db, campaign.id),
    countResponses(db, campaign.id),
    frameCells(db, campaign.id),
    getUnit(db, campaign.provinceId),
    campaignUnitIds(db, campaign.id).then((ids) => unitsByIds(db, ids)),
    sampleDesign ? campaignProgress(db, campaign.id, sampleDesign) : null
  ])
  // Every questionnaire of the campaign together: how its responses are stored and scored.
  const instrument = questionnaires.union
  // The official figures' calibration is a sampled campaign's option (refused otherwise when it is defined).
  const calibration = sampleDesign ? c.calibration : null
  if (calibration && frame.length === 0)
    throw new Problem(
      'calibration-frame-missing',
      "The official figures are calibrated to the frame's totals, but the campaign's frame holds no records.",
      undefined,
      undefined,
      { figure: 'official' }
    )
  const unitInfos = units.map((u) => ({ id: u.id, code: u.code ?? u.agencyCode, name: u.name, level: u.level }))
  // Reading the rows is most of the work; the computation itself is the last tenth.
  const rows = {
    campaignId: campaign.id,
    columns: answerColumns(instrument),
    sampleDesign,
    total,
    withFrame: frame.length > 0
  }
  const onRead = (read: number) => onProgress(total === 0 ? 0.9 : (0.9 * read) / total)
  // The counts are a scan of their own (a third of a second for a million responses): PostgreSQL makes them
  // while the rows are read and scored.
  const [{ document, responses }, counts] = await Promise.all([
    computeCampaignDocument(
      rows,
      { db, databaseUrl, onRead },
      {
        frameCells: frame,
        instrument,
        options: campaign.scoring as ScoringOptions,
        province: { id: province!.id, code: province!.code, name: province!.name, level: province!.level },
        units: unitInfos,
        responseRates: progress && {
          province: progress.total.responseRate,
          units: Object.fromEntries(progress.units.map((u) => [u.unitId, u.responseRate]))
        },
        parRule: campaign.parRule as ParRule | null,
        targets: c.targets,
        groups: c.groups,
        provinceFigure: c.provinceFigure,
        calibration,
        afterServiceCalibration: c.afterService,
        breakdownMinimum: c.breakdownMinimum,
        sampled: sampleDesign !== null
      }
    ),
    responseCounts(db, campaign.id).then((rows) => countsOf(rows, campaign.sampled))
  ])
  onProgress(1)
  return {
    responses,
    results: {
      campaign: { id: c.id, name: c.name, year: c.year, provinceId: c.provinceId, instrument: c.instrument },
      ...document,
      counts
    }
  }
}

export { countResponses, failInterruptedJobs, saveComputation }

type ComputationRow = Awaited<ReturnType<typeof getComputation>>

/** A stored computation as the contract shows it. */
export const toComputation = (row: ComputationRow) => ({
  id: row.id,
  campaignId: row.campaignId,
  status: row.status as 'running' | 'done' | 'failed',
  progress: row.progress,
  error: row.error,
  createdAt: row.createdAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
  responses: row.responses,
  results: row.results as CampaignResults | null
})

/** One computation of one campaign (not-found when it belongs to another). */
export async function campaignComputation(db: Db, campaignId: string, computationId: string) {
  const row = await getComputation(db, computationId)
  if (row.campaignId !== campaignId) throw new Problem('not-found', 'No such computation in this campaign.')
  return toComputation(row)
}

/**
 * Runs a computation stored as a job (status running) to its end: progress written per tenth, then the results
 * or the failure. Rejects only when the end itself cannot be written.
 */
export async function runComputationJob(source: ComputeSource, campaignId: string, jobId: string): Promise<void> {
  const { db } = source
  let reported = 0
  // Progress writes go one after another, and the job's end after them: a late one must not overwrite it.
  let progressWrites: Promise<unknown> = Promise.resolve()
  await computeCampaign(source, campaignId, (share) => {
    // A progress write per tenth is plenty for a poller.
    if (share - reported >= 0.1 || share === 1) {
      reported = share
      progressWrites = progressWrites.then(() => updateJob(db, jobId, { progress: share })).catch(() => {})
    }
  }).then(
    async ({ responses, results }) => {
      await progressWrites
      await updateJob(db, jobId, { status: 'done', progress: 1, responses, results })
    },
    async (error: Error) => {
      await progressWrites
      await updateJob(db, jobId, { status: 'failed', error: error.message.slice(0, 500) })
    }
  )
}
