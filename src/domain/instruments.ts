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

/** An instrument version, as a campaign and its peer groups name it. */
interface QuestionnaireRef {
  code: string
  version: number
}

/**
 * Which questionnaire each unit answers: its peer group's own, else the campaign's (`main`); and the groups'
 * own, each once, in the order the stored columns follow them (code, then version: an order regrouping cannot
 * change, and units keep their questionnaires once the campaign collects, so the set stays; campaigns.ts).
 */
export function questionnaireRefs(
  main: QuestionnaireRef,
  groups: ReadonlyArray<{ units: readonly string[]; instrument?: QuestionnaireRef }> | null | undefined
): { ofUnit: (unitId: string | undefined) => QuestionnaireRef; others: QuestionnaireRef[] } {
  const key = (ref: QuestionnaireRef) => `${ref.code}\u0000${String(ref.version).padStart(9, '0')}`
  const withOwn = (groups ?? []).filter((g) => g.instrument !== undefined)
  // One object per questionnaire, whichever group names it: the caller may look its definition up by it.
  const distinct = new Map(withOwn.map((g) => [key(g.instrument!), g.instrument!]))
  const own = new Map(withOwn.flatMap((g) => g.units.map((id) => [id, distinct.get(key(g.instrument!))!])))
  return {
    ofUnit: (unitId) => (unitId === undefined ? undefined : own.get(unitId)) ?? main,
    others: [...distinct.keys()].sort().map((k) => distinct.get(k)!)
  }
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
  // The campaign's own questionnaire stands for itself: a group's is never it (checked when it was defined).
  const refs = questionnaireRefs(main, campaign.peerGroups as PeerGroup[] | null)
  const others = await Promise.all(
    refs.others.map(async (ref) => (await getInstrument(db, ref.code, ref.version))!.definition as Instrument)
  )
  const definitions = new Map(refs.others.map((ref, i) => [ref, others[i]]))
  return {
    main,
    ofUnit: (unitId) => {
      const ref = refs.ofUnit(unitId)
      return ref === main ? main : (definitions.get(ref) as Instrument)
    },
    union: unionOfQuestionnaires(main, others)
  }
}
