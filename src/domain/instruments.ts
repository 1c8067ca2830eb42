import type { Db } from '../db/client.js'
import {
  createInstrumentVersion,
  getInstrument,
  getInstrumentById,
  listInstruments,
  toSummary
} from '../db/queries/instruments.js'
import { Problem } from '../problems.js'
import type { PeerGroup } from '../schemas/campaigns.js'
import { InstrumentError, unionOfQuestionnaires, validateInstrument, type Instrument } from '../scoring/index.js'

export { ensureStandardInstrument } from '../db/queries/instruments.js'
export { listInstruments, toSummary }

/** One version of an instrument, with its definition. */
export async function instrumentVersion(db: Db, code: string, version: number) {
  const row = await getInstrument(db, code, version)
  if (!row) throw new Problem('not-found', `No instrument ${code} version ${version}.`)
  return { ...toSummary(row), definition: row.definition as Instrument }
}

/** Checks a draft as a whole and stores it as the next version of its code. */
export async function createInstrument(db: Db, draft: Omit<Instrument, 'version'>) {
  try {
    validateInstrument({ ...draft, version: 1 })
  } catch (error) {
    if (!(error instanceof InstrumentError)) throw error
    throw new Problem(
      'instrument-invalid',
      'The instrument definition is not consistent.',
      error.problems.map((p) => ({ in: 'body' as const, ...p }))
    )
  }
  return createInstrumentVersion(db, draft)
}

/** A campaign's questionnaires: the one each unit answers, and all of them together. */
export interface CampaignQuestionnaires {
  /** The campaign's own questionnaire, named in its results. */
  main: Instrument
  /** A unit's: its peer group's own, else the campaign's (also for no unit). */
  ofUnit: (unitId: string | undefined) => Instrument
  /** The items of all of them (the campaign's first): how the responses are stored and scored. */
  union: Instrument
}

/** The questionnaires of a stored campaign (checked when it was defined: every one exists). */
export async function campaignQuestionnaires(
  db: Db,
  campaign: { instrumentId: string; peerGroups: unknown }
): Promise<CampaignQuestionnaires> {
  const main = (await getInstrumentById(db, campaign.instrumentId))!.definition as Instrument
  const groups = ((campaign.peerGroups as PeerGroup[] | null) ?? []).filter((g) => g.instrument)
  const own = await Promise.all(
    groups.map(
      async (g) => (await getInstrument(db, g.instrument!.code, g.instrument!.version))!.definition as Instrument
    )
  )
  const ofUnitId = new Map(groups.flatMap((g, i) => g.units.map((id) => [id, own[i]] as const)))
  // The stored columns follow the union: in an order regrouping cannot change (units keep their questionnaires
  // once the campaign collects, so the set of questionnaires stays; campaigns.ts).
  const distinct = new Map(own.map((i) => [`${i.code}\u0000${String(i.version).padStart(9, '0')}`, i]))
  const sorted = [...distinct.keys()].sort().map((key) => distinct.get(key) as Instrument)
  return {
    main,
    ofUnit: (unitId) => (unitId === undefined ? undefined : ofUnitId.get(unitId)) ?? main,
    union: unionOfQuestionnaires(main, sorted)
  }
}
