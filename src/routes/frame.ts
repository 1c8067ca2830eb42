import Type from 'typebox'
import { parse } from 'csv-parse'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACCESS } from '../plugins/auth.js'
import { campaignFacts } from '../plugins/audit.js'
import { acceptStreamBodies, CSV, NDJSON, nonEmptyLines, type StreamBody } from '../plugins/content-types.js'
import { Problem, type FieldError } from '../problems.js'
import { IdParams } from '../schemas/common.js'
import {
  FrameRecordInput,
  FrameSummary,
  FrameUploadReport,
  OUR_EXAMPLE,
  PORTAL_EXAMPLE,
  PortalFrameRecord
} from '../schemas/frame.js'
import { campaignFrame, deletableFrameOf, deleteFrame, readFrameUpload, storeFrameUpload } from '../domain/frame.js'

/** The records of an upload, one at a time, whatever the body's format. */
async function* recordsOf(body: unknown): AsyncGenerator<Record<string, unknown>> {
  if (Array.isArray(body)) {
    yield* body
    return
  }
  const stream = body as StreamBody & { headersType?: string }
  // A stream that failed before reading starts emits nothing more.
  if (stream.failure) throw stream.failure
  if (stream.headersType === NDJSON) {
    for await (const line of nonEmptyLines(stream)) {
      let value: unknown
      try {
        value = JSON.parse(line.text)
      } catch {
        throw new Problem('malformed-body', `NDJSON line ${line.number} is not JSON: ${line.text.slice(0, 80)}`)
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Problem('malformed-body', 'Each NDJSON line must be one JSON object.')
      yield value as Record<string, unknown>
    }
    return
  }
  const parser = parse({ columns: true, bom: true, trim: true, skip_empty_lines: true })
  stream.on('error', (error) => parser.destroy(error))
  try {
    yield* stream.pipe(parser)
  } catch (error) {
    if (error instanceof Problem) throw error
    throw new Problem('malformed-body', `The CSV could not be parsed: ${(error as Error).message}`)
  }
}

const frame: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const tags = ['sampling']
  acceptStreamBodies(app, app.initialConfig.bodyLimit as number)
  app.addSchema(FrameRecordInput)
  app.addSchema(PortalFrameRecord)
  // Tells recordsOf which text format a stream holds.
  app.addHook('preValidation', async (request) => {
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
    if (type === NDJSON || type === CSV) (request.body as { headersType?: string }).headersType = type
  })

  app.post(
    '/v1/campaigns/:id/frame',
    {
      config: { access: ACCESS.managers, campaignScoped: true },
      schema: {
        tags,
        summary: 'Upload the sampling frame: people who completed a procedure in the reference period',
        description: [
          'Records in our shape (`FrameRecordInput`) or in the shape one-stop-shop software exchanges with the National Public Service Portal (`PortalFrameRecord`: MaHoSo, MaTTHC, KenhThucHien, LoaiDoiTuong, NgayTra as yyyyMMddHHmmss in Vietnam time, TrangThaiHoSo, DonViXuLy, …), as a JSON array, NDJSON or CSV (header = field names), streamed: 100,000+ rows per request.',
          "Only finished dossiers completed in the campaign's reference period, handled by a unit in its scope (or below one), enter the frame; the report counts what was left out and why. A malformed record rejects the whole upload (422, errors by row); nothing is stored then.",
          'Contact details (name, phone, e-mail) are personal data: sealed with AES-256-GCM, never logged, readable only by administrators and by the surveyors of their units, deleted with the frame.'
        ].join('\n\n'),
        params: IdParams,
        body: {
          content: {
            'application/json': {
              schema: Type.Array(Type.Object({}, { additionalProperties: true }), {
                description: 'FrameRecordInput or PortalFrameRecord objects',
                examples: [[OUR_EXAMPLE, PORTAL_EXAMPLE]]
              })
            },
            [NDJSON]: {
              schema: { description: 'One record per line', examples: [JSON.stringify(PORTAL_EXAMPLE) + '\n'] }
            },
            [CSV]: {
              schema: {
                description: 'A header row with the field names of either shape',
                examples: [
                  'dossierCode,unitCode,channel,subjectType,completedAt,phone\nH48.22-251015-0001,08500,in-person,citizen,2025-10-15T09:30:00+07:00,0912345678\n'
                ]
              }
            }
          }
        },
        response: { 201: FrameUploadReport }
      }
    },
    async (request, reply) => {
      const part: FieldError['in'] = Array.isArray(request.body) ? 'body' : 'file'
      const upload = await readFrameUpload(db, request.params.id, recordsOf(request.body), part)
      const report = await app.audited(
        request,
        'frame.upload',
        (tx) => storeFrameUpload(tx, app.sealer, upload),
        (r) => campaignFacts(upload.campaign, { frameRecords: r.accepted })
      )
      return reply.code(201).send(report)
    }
  )

  app.get(
    '/v1/campaigns/:id/frame',
    {
      config: { access: ACCESS.managers, campaignScoped: true },
      schema: {
        tags,
        summary: 'What the frame holds, by unit and channel (no personal data)',
        params: IdParams,
        response: { 200: FrameSummary }
      }
    },
    async (request) => campaignFrame(db, request.params.id)
  )

  app.delete(
    '/v1/campaigns/:id/frame',
    {
      config: { access: ACCESS.managers, campaignScoped: true },
      schema: {
        tags,
        summary: 'Delete the frame and every contact detail in it',
        description:
          'Allowed before the sample is drawn (to upload again) and once the campaign is closed or published (personal data is kept no longer than the campaign needs it). The drawn sample keeps its design and weights.',
        params: IdParams,
        response: { 200: Type.Object({ deleted: Type.Integer() }) }
      }
    },
    async (request) => {
      const campaign = await deletableFrameOf(db, request.params.id)
      return {
        deleted: await app.audited(
          request,
          'frame.delete',
          (tx) => deleteFrame(tx, campaign.id),
          (deleted) => campaignFacts(campaign, { frameRecords: 0 }, { frameRecords: deleted })
        )
      }
    }
  )
}
export default frame
