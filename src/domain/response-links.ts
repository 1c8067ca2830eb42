/**
 * How a response links to its campaign's frame and sample (issue 16): a response posted with a dossier code
 * is the response of that frame record, and of the sample slot the record was drawn as; one posted with a
 * slot is the response of that slot's dossier. What the record says of the dossier (its unit, field and
 * procedure) is taken from it; a posted value that contradicts it is an error of that field. Pure: the caller
 * reads the links.
 */
import type { DossierLink } from '../db/queries/responses.js'
import type { RecordError, ValidResponse } from './response-records.js'

/** How an accepted response counts: in the official figures (`sample`), in the after-service index, or not yet. */
export type CountsAs = 'sample' | 'after-service' | 'unlinked'

export interface SlotOf {
  campaignId: string
  unitId: string
  status: string
  dossierCode: string
}

/**
 * The response as linked (dossier code, slot, field and procedure filled in from the frame and sample), and
 * how it counts; or the errors, with pointers below `base`. `slot`: the slot it names, if it names one;
 * `link`: what the campaign knows of its dossier, if it has one.
 */
export function linkResponse(
  response: ValidResponse,
  slot: SlotOf | undefined,
  link: DossierLink | undefined,
  base: string
): { response: ValidResponse; countsAs: CountsAs } | { errors: RecordError[] } {
  const errors: RecordError[] = []
  const error = (field: string, detail: string) => errors.push({ pointer: `${base}/${field}`, detail })
  let { slotId, dossierCode, fieldCode, procedureCode } = response
  if (slotId !== null) {
    if (!slot || slot.campaignId !== response.campaignId) error('sampleSlotId', 'no such sample slot in the campaign')
    else if (slot.unitId !== response.unitId) error('sampleSlotId', 'the sample slot belongs to another unit')
    else if (slot.status === 'reserve') error('sampleSlotId', 'the sample slot is an unreleased reserve')
    else if (dossierCode !== null && dossierCode !== slot.dossierCode)
      error('dossierCode', `the sample slot is dossier ${slot.dossierCode}'s`)
    else dossierCode = slot.dossierCode
  } else if (link?.slot) {
    if (link.slot.unitId !== response.unitId)
      error('unit', `dossier ${dossierCode} was drawn for another unit of the campaign`)
    // A reserve not released is not in the sample (yet): its dossier's response counts after service until
    // the reserve is released (then it answers the slot: db/queries/sample.ts).
    else if (link.slot.status !== 'reserve') slotId = link.slot.id
  }
  const record = link?.record
  if (record) {
    if (record.unitId !== response.unitId && !link.slot)
      error('unit', `dossier ${dossierCode} was handled by another unit of the campaign (the frame says so)`)
    if (fieldCode !== null && record.fieldCode !== null && fieldCode !== record.fieldCode)
      error('fieldCode', `dossier ${dossierCode} is of field ${record.fieldCode} in the frame`)
    if (procedureCode !== null && record.procedureCode !== null && procedureCode !== record.procedureCode)
      error('procedureCode', `dossier ${dossierCode} is of procedure ${record.procedureCode} in the frame`)
    fieldCode ??= record.fieldCode
    procedureCode ??= record.procedureCode
  }
  if (errors.length > 0) return { errors }
  const countsAs = slotId !== null ? 'sample' : record ? 'after-service' : 'unlinked'
  // Most responses link to nothing new: they are kept as they are (a batch holds up to 100,000).
  const same =
    slotId === response.slotId &&
    dossierCode === response.dossierCode &&
    fieldCode === response.fieldCode &&
    procedureCode === response.procedureCode
  return { response: same ? response : { ...response, slotId, dossierCode, fieldCode, procedureCode }, countsAs }
}
