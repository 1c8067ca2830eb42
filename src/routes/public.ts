import { createHash } from 'node:crypto'
import cors from '@fastify/cors'
import fresh from 'fresh'
import Type from 'typebox'
import { stringify } from 'csv-stringify/sync'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Uuid } from '../schemas/common.js'
import { CampaignYear } from '../schemas/campaigns.js'
import { publicationWorkbook, rankingRows } from '../domain/publication-tables.js'
import { publicReader } from '../domain/publications.js'
import { PublicationDocument, PublicationSummary, PublishedUnit, SeriesPoint } from '../schemas/results.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's URL always names the same bytes (a publication): cache it for good. */
    immutable?: boolean
  }
}

const PublicationParams = Type.Object({ id: Uuid })
const Format = Type.Object({
  format: Type.Enum(['json', 'csv', 'xlsx'], {
    default: 'json',
    description: 'json: the document; csv: the ranking; xlsx: a workbook (ranking, every figure, about)'
  })
})
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Published results for portals: no key, CORS, strong ETags, long caching of what never changes. */
const publicResults: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const tags = ['public']
  await app.register(cors, { origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: ['ETag'], maxAge: 86400 })

  const reader = publicReader(db)

  const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
  // A publication's URL always names the same bytes: each body is serialised and hashed once.
  const bodies = new Map<string, { body: string; etag: string }>()
  const cached = async (key: string, build: () => Promise<string>) => {
    let entry = bodies.get(key)
    if (!entry) {
      const body = await build()
      entry = { body, etag: etagOf(body) }
      if (bodies.size > 50_000) bodies.clear()
      bodies.set(key, entry)
    }
    return entry
  }

  // Strong validators: the body's hash.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload
    const etag = (reply.getHeader('etag') as string | undefined) ?? etagOf(payload)
    reply.header('etag', etag)
    reply.header(
      'cache-control',
      request.routeOptions.config.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=60'
    )
    // RFC 9110 §13.1.2: If-None-Match compares weakly (W/"…" matches), may list tags, and `*` matches any.
    if (fresh(request.headers, { etag })) {
      reply.code(304)
      return ''
    }
    return payload
  })

  app.get(
    '/v1/public/publications',
    {
      schema: {
        tags,
        summary: 'Published campaigns (latest version of each), by year and province',
        querystring: Type.Object({ year: Type.Optional(CampaignYear), provinceId: Type.Optional(Uuid) }),
        response: {
          200: Type.Array(PublicationSummary)
        }
      }
    },
    async (request) => reader.latestPublications(request.query)
  )

  app.get(
    '/v1/public/publications/:id',
    {
      config: { immutable: true },
      schema: {
        tags,
        summary: 'A publication: the province and every unit, ranked (JSON; CSV of the ranking; an Excel workbook)',
        description:
          'Figures are percentages, unrounded (round for display only), each with its valid answers, SE, 95% interval and df; each unit with its respondents (the sample size). Served with a strong ETag (304 on If-None-Match) and cached as immutable: a published figure never changes; a correction is another publication.',
        params: PublicationParams,
        querystring: Format,
        response: {
          200: {
            content: {
              'application/json': { schema: PublicationDocument },
              'text/csv': { schema: Type.String() },
              [XLSX]: {
                schema: Type.String({
                  format: 'binary',
                  description:
                    'Sheets: Xếp hạng (the ranking, as the CSV), Chỉ số chi tiết (every figure of every unit with its valid answers, SE, interval, df, rank and change against last year, one per line), Thông tin (campaign, version, approving decision, weighting)'
                })
              }
            }
          }
        }
      }
    },
    async (request, reply) => {
      const doc = await reader.documentOf(request.params.id)
      const { format } = request.query
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(doc))
      if (format === 'xlsx')
        return (
          reply
            .type(XLSX)
            .header(
              'content-disposition',
              `attachment; filename="sipas-${doc.campaign.year}-v${doc.publication.version}.xlsx"`
            )
            // Bytes: the schema's binary string is how OpenAPI names them.
            .send((await publicationWorkbook(doc)) as unknown as string)
        )
      const rows = rankingRows(doc)
      return reply.type('text/csv; charset=utf-8').send(stringify(rows, { header: true }))
    }
  )

  app.get(
    '/v1/public/publications/:id/units/:unitId',
    {
      config: { immutable: true },
      schema: {
        tags,
        summary:
          "One unit's published result: overall, factors, criteria, perception, expectations, rank, targets, PAR points",
        description: "For the province, `units` lists its units' overall figures, ranked.",
        params: Type.Object({ id: Uuid, unitId: Uuid }),
        response: { 200: PublishedUnit }
      }
    },
    async (request, reply) => {
      const { id, unitId } = request.params
      const { body, etag } = await cached(`${id}/${unitId}`, async () =>
        JSON.stringify(await reader.unitResult(id, unitId))
      )
      return reply
        .header('etag', etag)
        .type('application/json; charset=utf-8')
        .send(body as unknown as PublishedUnit)
    }
  )

  app.get(
    '/v1/public/publications/:id/report',
    {
      config: { immutable: true },
      schema: {
        tags,
        summary: 'The printable report of a publication (HTML, in Vietnamese)',
        description:
          "The province's headline figure against the campaign's targets (the national 90%/95% by default), the ranked units with their intervals, bar charts per factor and per unit, and the change against last year's publication for the province. Server-rendered, no script.",
        params: PublicationParams,
        response: { 200: { content: { 'text/html': { schema: Type.String() } } } }
      }
    },
    async (request, reply) => {
      const html = await reader.report(request.params.id)
      return reply.type('text/html; charset=utf-8').send(html)
    }
  )

  app.get(
    '/v1/public/units/:unitId/series',
    {
      schema: {
        tags,
        summary: "A unit's overall index year by year, following the units merged into it",
        params: Type.Object({ unitId: Uuid }),
        response: {
          200: Type.Array(SeriesPoint)
        }
      }
    },
    async (request) => reader.unitSeries(request.params.unitId)
  )
}
export default publicResults
