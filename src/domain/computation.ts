import type { Db } from '../db/client.js'
import { campaignUnitIds, findCampaign, unitsByIds } from '../db/queries/campaigns.js'
import { getInstrumentById } from '../db/queries/instruments.js'
import {
  countResponses,
  failInterruptedJobs,
  getComputation,
  loadResponses,
  saveComputation,
  updateJob
} from '../db/queries/results.js'
import { campaignProgress } from './sample.js'
import { getUnit } from '../db/queries/units.js'
import { Problem } from '../problems.js'
import { answerColumns, LonelyPsuError, type Instrument, type ScoringOptions } from '../scoring/index.js'
import type { SampleDesign } from '../schemas/sample.js'
import { getCampaign } from './campaigns.js'
import { campaignResults } from './results.js'
import type { CampaignResults } from '../schemas/results.js'

/**
 * A campaign's results from its stored responses: read them (reporting the share read), weight them by the
 * design, compute every index with the scoring core. `onProgress` gets 0–1.
 */
export async function computeCampaign(db: Db, campaignId: string, onProgress: (share: number) => void = () => {}) {
  const campaign = await findCampaign(db, campaignId)
  const instrument = (await getInstrumentById(db, campaign.instrumentId))!.definition as Instrument
  const sampleDesign = campaign.sampled ? (campaign.sampleDesign as SampleDesign | null) : null
  if (campaign.sampled && !sampleDesign)
    throw new Problem('sample-design-missing', 'The campaign is sampled but has no sample design yet.')
  const total = await countResponses(db, campaign.id)
  // Reading is most of the work (the server's, mostly): the other queries run meanwhile. The computation
  // itself is the last tenth.
  const [{ batch, design }, province, units, progress, c] = await Promise.all([
    loadResponses(
      db,
      campaign.id,
      answerColumns(instrument),
      sampleDesign,
      (read) => onProgress(total === 0 ? 0.9 : (0.9 * read) / total),
      total
    ),
    getUnit(db, campaign.provinceId),
    campaignUnitIds(db, campaign.id).then((ids) => unitsByIds(db, ids)),
    sampleDesign ? campaignProgress(db, campaign.id, sampleDesign) : null,
    getCampaign(db, campaign.id)
  ])
  let document
  try {
    document = campaignResults({
      batch,
      design,
      instrument,
      options: campaign.scoring as ScoringOptions,
      province: { id: province!.id, code: province!.code, name: province!.name, level: province!.level },
      units: units.map((u) => ({ id: u.id, code: u.code ?? u.agencyCode, name: u.name, level: u.level })),
      responseRate: (unitId) =>
        progress === null
          ? null
          : unitId === null
            ? progress.total.responseRate
            : (progress.units.find((u) => u.unitId === unitId)?.responseRate ?? null),
      parRule: campaign.parRule as never,
      targets: c.targets
    })
  } catch (error) {
    if (error instanceof LonelyPsuError)
      throw new Problem('lonely-psu', `${error.message}.`, undefined, undefined, { stratum: error.stratum })
    throw error
  }
  onProgress(1)
  return {
    responses: batch.size,
    results: {
      campaign: { id: c.id, name: c.name, year: c.year, provinceId: c.provinceId, instrument: c.instrument },
      ...document
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
export async function runComputationJob(db: Db, campaignId: string, jobId: string): Promise<void> {
  let reported = 0
  // Progress writes go one after another, and the job's end after them: a late one must not overwrite it.
  let progressWrites: Promise<unknown> = Promise.resolve()
  await computeCampaign(db, campaignId, (share) => {
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
