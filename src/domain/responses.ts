import DataLoader from 'dataloader'
import { Compile } from 'typebox/compile'
import type { Db } from '../db/client.js'
import { campaignUnitIds, findCampaign } from '../db/queries/campaigns.js'
import { scopeResolver } from '../db/queries/frame.js'
import { responseQueue } from '../db/queries/response-queue.js'
import { dossierKey, dossierLinks, slotsById, storeResponses, type DossierLink } from '../db/queries/responses.js'
import { withTransaction } from '../db/transaction.js'
import { Problem } from '../problems.js'
import { describeSchemaErrors } from '../schema-errors.js'
import { PromiseCache } from '../promise-cache.js'
import { ResponseInput } from '../schemas/responses.js'
import { answerColumns } from '../scoring/index.js'
import { statusesAllowing } from './campaign-lifecycle.js'
import { campaignQuestionnaires } from './instruments.js'
import {
  answerBatch,
  atomicRefusal,
  firstOfEachKey,
  type KeptRecord,
  type RecordResult,
  type StoreOutcome
} from './response-batch.js'
import { linkResponse } from './response-links.js'
import { validateResponse, type CampaignContext, type RecordError, type ValidResponse } from './response-records.js'

const checkInput = Compile(ResponseInput)
const COLLECTING: readonly string[] = statusesAllowing('collect-responses')

/** Schema errors of one record, one per field and fact (a missing or extra property named by its own pointer). */
function schemaErrors(value: unknown, base: string): RecordError[] {
  return describeSchemaErrors(checkInput.Errors(value), value).map((e) => ({ ...e, pointer: `${base}${e.pointer}` }))
}

/** A record of a batch that could not be read at all (an NDJSON line that is not JSON): rejected with `detail`. */
export class UnreadableRecord {
  constructor(readonly detail: string) {}
}

/** A record that passed validation, before it is linked to its dossier. */
interface ValidRecord {
  index: number
  response: ValidResponse
}

/** Everything validation needs of a campaign, read once. */
async function campaignContext(db: Db, campaignId: string): Promise<CampaignContext> {
  const campaign = await findCampaign(db, campaignId)
  const questionnaires = await campaignQuestionnaires(db, campaign)
  const units = await campaignUnitIds(db, campaignId)
  const byCode = await scopeResolver(db, units)
  const scope = new Set(units)
  return {
    id: campaign.id,
    status: campaign.status,
    collectionStart: campaign.collectionStart,
    collectionEnd: campaign.collectionEnd,
    channels: campaign.channels,
    questionnaireOf: questionnaires.ofUnit,
    columns: answerColumns(questionnaires.union),
    measuredUnit: (unit) => (scope.has(unit) ? unit : byCode(unit))
  }
}

/**
 * The caller's check of a record's campaign and (once known) unit against the key's scope; it throws to
 * refuse the whole request. `at` is the record's pointer.
 */
export type Authorise = (campaignId: string, unitId: string | undefined, at: string) => void

/** Response intake over one database: validation against each campaign, then storage, one or many at once. */
export function responseIntake(db: Db) {
  // Single posts arriving together are written together (one statement, one commit).
  const singles = responseQueue(db, COLLECTING)
  // The questionnaire and scope of a campaign no longer change once it collects: read them once. That it
  // still collects is checked again by the INSERT itself (storeResponses).
  const contexts = new PromiseCache<CampaignContext>()
  const contextOf = async (campaignId: string): Promise<CampaignContext> => {
    const loaded = await contexts.get(campaignId, () => campaignContext(db, campaignId))
    // Not collecting yet (or any more): read it afresh next time, it may have moved on.
    if (!COLLECTING.includes(loaded.status)) contexts.delete(campaignId)
    return loaded
  }

  // Dossiers are looked up as responses are written (response-queue.ts): those asked for while a lookup runs
  // (single posts arriving together) go together in the next one, a statement per campaign. Nothing is kept:
  // a frame uploaded later changes them.
  let lookup: Promise<unknown> | null = null
  const dossiers = new DataLoader<string, DossierLink | undefined>(
    (keys) => {
      const current = readDossierLinks(keys).finally(() => {
        if (lookup === current) lookup = null
      })
      lookup = current
      return current
    },
    { cache: false, batchScheduleFn: (dispatch) => (lookup ? lookup.then(dispatch, dispatch) : setImmediate(dispatch)) }
  )
  async function readDossierLinks(keys: readonly string[]): Promise<Array<DossierLink | undefined>> {
    const byCampaign = new Map<string, string[]>()
    for (const key of keys) {
      const [campaignId, code] = key.split('\u0000')
      const codes = byCampaign.get(campaignId)
      if (codes) codes.push(code)
      else byCampaign.set(campaignId, [code])
    }
    const found = new Map<string, DossierLink>()
    for (const [campaignId, codes] of byCampaign)
      for (const [code, link] of await dossierLinks(db, campaignId, codes))
        found.set(dossierKey(campaignId, code), link)
    return keys.map((key) => found.get(key))
  }

  /**
   * Links valid records to their dossiers' frame records and sample slots (response-links.ts): the records
   * kept, each with how it counts; the others are answered rejected in `results`.
   */
  async function linkToFrame(valid: ValidRecord[], results: RecordResult[], single: boolean): Promise<KeptRecord[]> {
    const slots = await slotsById(
      db,
      valid.flatMap((v) => (v.response.slotId ? [v.response.slotId] : []))
    )
    const withCode = valid.filter((v) => v.response.dossierCode !== null && v.response.slotId === null)
    const keys = withCode.map((v) => dossierKey(v.response.campaignId, v.response.dossierCode as string))
    // A batch is one lookup already; single posts share theirs.
    const found = single ? await Promise.all(keys.map((key) => dossiers.load(key))) : await readDossierLinks(keys)
    const links = new Map(withCode.map((v, i) => [v.index, found[i]]))
    return valid.flatMap(({ index, response }) => {
      const linked = linkResponse(
        response,
        response.slotId === null ? undefined : slots.get(response.slotId),
        links.get(index),
        single ? '' : `/${index}`
      )
      if ('errors' in linked) {
        results[index] = { index, externalId: response.externalId, status: 'rejected', errors: linked.errors }
        return []
      }
      return [{ index, response: linked.response, countsAs: linked.countsAs }]
    })
  }

  /** Validation of a whole batch: schema, campaign, questionnaire, scope, sample slots, frame records. */
  async function validate(records: unknown[], single: boolean, authorise: Authorise) {
    const valid: ValidRecord[] = []
    const results: RecordResult[] = []
    const wellFormed = records.map((r) => checkInput.Check(r))
    const campaignIds = [
      ...new Set(records.flatMap((r, i) => (wellFormed[i] ? [(r as ResponseInput).campaignId] : [])))
    ]
    const contextById = new Map<string, CampaignContext>()
    for (const id of campaignIds) {
      try {
        contextById.set(id, await contextOf(id))
      } catch (error) {
        if (!(error instanceof Problem && error.slug === 'not-found')) throw error
      }
    }
    records.forEach((record, index) => {
      const base = single ? '' : `/${index}`
      const externalId =
        typeof (record as { externalId?: unknown })?.externalId === 'string' ? (record as ResponseInput).externalId : ''
      if (!wellFormed[index]) {
        const errors =
          record instanceof UnreadableRecord ? [{ pointer: base, detail: record.detail }] : schemaErrors(record, base)
        results[index] = { index, externalId, status: 'rejected', errors }
        return
      }
      const input = record as ResponseInput
      const context = contextById.get(input.campaignId)
      authorise(input.campaignId, undefined, base)
      if (!context) {
        results[index] = {
          index,
          externalId,
          status: 'rejected',
          errors: [{ pointer: `${base}/campaignId`, detail: 'no such campaign' }]
        }
        return
      }
      const outcome = validateResponse(input, context, base)
      if ('errors' in outcome) {
        results[index] = { index, externalId, status: 'rejected', errors: outcome.errors }
        return
      }
      authorise(input.campaignId, outcome.response.unitId, base)
      valid.push({ index, response: outcome.response })
    })
    const kept = await linkToFrame(valid, results, single)
    return { kept, results }
  }

  /**
   * Stores the valid records of a batch and completes `results`. A record repeating an external id already
   * in the batch is answered like a replay of that first one; `atomic`: all or nothing.
   */
  async function storeBatch(clientId: string, kept: KeptRecord[], results: RecordResult[], atomic: boolean) {
    const unique = firstOfEachKey(kept)
    const write = async (target: Db) => {
      const outcomes = await storeResponses(
        target,
        COLLECTING,
        unique.map(() => clientId),
        unique.map((k) => k.response)
      )
      answerBatch(kept, unique, outcomes, results)
      const refusal = atomic ? atomicRefusal(results) : null
      if (refusal) throw refusal
    }
    // One INSERT is atomic by itself; marking sample slots, or all-or-nothing, needs a transaction around it.
    if (atomic || unique.some((k) => k.response.slotId !== null)) await withTransaction(db, write)
    else await write(db)
  }

  /** Stores one valid response, grouped with others posted meanwhile; resolves once committed. */
  const storeOne = (clientId: string, kept: KeptRecord): Promise<StoreOutcome> => singles.store(clientId, kept.response)

  return { validate, storeBatch, storeOne }
}
