import type { Db } from '../db/client.js'
import { campaignUnitIds, getCampaign, findCampaign, unitsByIds } from '../db/queries/campaigns.js'
import { getInstrumentById } from '../db/queries/instruments.js'
import { countResponses, loadResponses } from '../db/queries/results.js'
import { campaignProgress } from '../db/queries/sample.js'
import { getUnit } from '../db/queries/units.js'
import { Problem } from '../problems.js'
import { answerColumns, type Instrument } from '../scoring/instrument.js'
import type { ScoringOptions } from '../scoring/methods.js'
import { LonelyPsuError } from '../scoring/variance.js'
import type { SampleDesign } from '../schemas/sample.js'
import { campaignResults } from './results.js'

/**
 * A campaign's results from its stored responses: read them (reporting the share read), weight them by the
 * design, compute every index with the scoring core. `onProgress` gets 0–1.
 */
export async function computeCampaign(db: Db, campaignId: string, onProgress: (share: number) => void = () => {}) {
  const campaign = await findCampaign(db, campaignId)
  const instrument = (await getInstrumentById(db, campaign.instrumentId))!.definition as Instrument
  const sampleDesign = campaign.sampled ? (campaign.sampleDesign as SampleDesign | null) : null
  if (campaign.sampled && !sampleDesign) throw new Problem('conflict', 'The campaign is sampled but has no sample yet.')
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
      parRule: campaign.parRule as never
    })
  } catch (error) {
    if (error instanceof LonelyPsuError) throw new Problem('conflict', `${error.message}.`)
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
