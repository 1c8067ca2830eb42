import { createHash } from 'node:crypto'
import cors from '@fastify/cors'
import Type from 'typebox'
import { stringify } from 'csv-stringify/sync'
import { and, desc, eq } from 'drizzle-orm'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Problem } from '../problems.js'
import { Uuid } from '../schemas/common.js'
import { CampaignYear } from '../schemas/campaigns.js'
import { PublicationDocument, PublicationSummary, PublishedUnit, SeriesPoint } from '../schemas/results.js'
import { campaigns, orgUnitLinks, publications } from '../db/schema.js'
import { getPublication } from '../db/queries/results.js'
import type { CampaignResults, UnitResult } from '../domain/results.js'
import { reportHtml } from '../domain/report-html.js'
import { getInstrument } from '../db/queries/instruments.js'
import type { Instrument } from '../scoring/instrument.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's URL always names the same bytes (a publication): cache it for good. */
    immutable?: boolean
  }
}

type Document = CampaignResults & {
  campaign: {
    id: string
    name: string
    year: number
    provinceId: string
    instrument: { code: string; version: number }
  }
  publication: { id: string; version: number; publishedAt: string; replacesId: string | null; note: string | null }
}

const PublicationParams = Type.Object({ id: Uuid })
const Format = Type.Object({ format: Type.Enum(['json', 'csv'], { default: 'json' }) })

/** Published results for portals: no key, CORS, strong ETags, long caching of what never changes. */
const publicResults: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const tags = ['public']
  await app.register(cors, { origin: '*', methods: ['GET', 'HEAD'], exposedHeaders: ['ETag'], maxAge: 86400 })

  // Publications are immutable: each is read from the database once.
  const documents = new Map<string, Promise<Document>>()
  const documentOf = (id: string): Promise<Document> => {
    let doc = documents.get(id)
    if (!doc) {
      doc = getPublication(db, id).then((row) => ({
        ...(row.results as Omit<Document, 'publication'>),
        publication: {
          id: row.id,
          version: row.version,
          publishedAt: row.publishedAt.toISOString(),
          replacesId: row.replacesId,
          note: row.note
        }
      }))
      documents.set(id, doc)
      doc.catch(() => documents.delete(id))
    }
    return doc
  }

  const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
  // A publication's URL always names the same bytes: each body is serialised and hashed once.
  const bodies = new Map<string, { body: string; etag: string }>()
  const cached = (key: string, build: () => string) => {
    let entry = bodies.get(key)
    if (!entry) {
      const body = build()
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
    if (request.headers['if-none-match'] === etag) {
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
    async (request) => {
      const conditions = [eq(campaigns.status, 'published')]
      if (request.query.year !== undefined) conditions.push(eq(campaigns.year, request.query.year))
      if (request.query.provinceId) conditions.push(eq(campaigns.provinceId, request.query.provinceId))
      const found = await db
        .select({
          id: publications.id,
          campaignId: campaigns.id,
          name: campaigns.name,
          year: campaigns.year,
          provinceId: campaigns.provinceId,
          version: publications.version,
          publishedAt: publications.publishedAt
        })
        .from(publications)
        .innerJoin(campaigns, eq(campaigns.id, publications.campaignId))
        .where(and(...conditions))
        .orderBy(desc(campaigns.year), desc(publications.version))
      const latest = new Map<string, (typeof found)[number]>()
      for (const p of found) if (!latest.has(p.campaignId)) latest.set(p.campaignId, p)
      return [...latest.values()].map((p) => ({ ...p, publishedAt: p.publishedAt.toISOString() }))
    }
  )

  app.get(
    '/v1/public/publications/:id',
    {
      config: { immutable: true },
      schema: {
        tags,
        summary: 'A publication: the province and every unit, ranked (JSON, or CSV of the ranking)',
        description:
          'Figures are percentages, unrounded (round for display only), each with n, SE, 95% interval and df. Served with a strong ETag (304 on If-None-Match) and cached as immutable: a published figure never changes; a correction is another publication.',
        params: PublicationParams,
        querystring: Format,
        response: {
          200: {
            content: { 'application/json': { schema: PublicationDocument }, 'text/csv': { schema: Type.String() } }
          }
        }
      }
    },
    async (request, reply) => {
      const doc = await documentOf(request.params.id)
      if (request.query.format !== 'csv') return reply.type('application/json; charset=utf-8').send(JSON.stringify(doc))
      const rows = [doc.province, ...doc.units].map((u) => ({
        unit_id: u.unitId,
        code: u.code,
        name: u.name,
        rank: u.rank,
        responses: u.responses,
        response_rate: u.responseRate,
        overall: u.overall?.estimate,
        ci_lower: u.overall?.ci?.[0],
        ci_upper: u.overall?.ci?.[1],
        ...Object.fromEntries(Object.entries(u.factors).map(([code, f]) => [code, f.estimate])),
        par_points: u.parPoints
      }))
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
      const doc = await documentOf(request.params.id)
      const { unitId } = request.params
      const found: UnitResult | undefined =
        doc.province.unitId === unitId ? doc.province : doc.units.find((u) => u.unitId === unitId)
      if (!found) throw new Problem('not-found', `Unit ${unitId} is not in this publication.`)
      const { body, etag } = cached(`${request.params.id}/${unitId}`, () => {
        const children =
          found === doc.province
            ? {
                units: doc.units.map((u) => ({
                  unitId: u.unitId,
                  code: u.code,
                  name: u.name,
                  rank: u.rank,
                  overall: u.overall
                }))
              }
            : {}
        return JSON.stringify({ campaign: doc.campaign, ...found, ...children })
      })
      // Serialised once and cached with its ETag: fastify sends a JSON string as it is.
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
          "The province's headline figure against the 90%/95% targets, the ranked units with their intervals, bar charts per factor and per unit, and the change against last year's publication for the province. Server-rendered, no script.",
        params: PublicationParams,
        response: { 200: { content: { 'text/html': { schema: Type.String() } } } }
      }
    },
    async (request, reply) => {
      const doc = await documentOf(request.params.id)
      const instrument = await getInstrument(db, doc.campaign.instrument.code, doc.campaign.instrument.version)
      const factorNames = Object.fromEntries(
        ((instrument?.definition as Instrument | undefined)?.factors ?? []).map((f) => [f.code, f.name])
      )
      const [last] = await db
        .select({ id: publications.id })
        .from(publications)
        .innerJoin(campaigns, eq(campaigns.id, publications.campaignId))
        .where(
          and(
            eq(campaigns.provinceId, doc.campaign.provinceId),
            eq(campaigns.year, doc.campaign.year - 1),
            eq(campaigns.status, 'published')
          )
        )
        .orderBy(desc(publications.version))
        .limit(1)
      const previous = new Map<string, { estimate: number; se: number | null }>()
      if (last) {
        const before = await documentOf(last.id)
        for (const u of [before.province, ...before.units])
          if (u.overall?.estimate != null) previous.set(u.unitId, { estimate: u.overall.estimate, se: u.overall.se })
      }
      const html = reportHtml({
        results: doc,
        campaign: doc.campaign,
        publication: doc.publication,
        factorNames,
        previous
      })
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
    async (request) => {
      // The unit and, transitively, the units that were merged into it.
      const lineage = [request.params.unitId]
      for (let i = 0; i < lineage.length; i++) {
        const before = await db
          .select({ id: orgUnitLinks.fromId })
          .from(orgUnitLinks)
          .where(eq(orgUnitLinks.toId, lineage[i]))
        for (const b of before) if (!lineage.includes(b.id)) lineage.push(b.id)
      }
      const published = await db
        .select({ id: publications.id, campaignId: campaigns.id, year: campaigns.year, version: publications.version })
        .from(publications)
        .innerJoin(campaigns, eq(campaigns.id, publications.campaignId))
        .where(eq(campaigns.status, 'published'))
        .orderBy(desc(publications.version))
      const latest = new Map<string, (typeof published)[number]>()
      for (const p of published) if (!latest.has(p.campaignId)) latest.set(p.campaignId, p)
      const series = []
      for (const p of latest.values()) {
        const doc = await documentOf(p.id)
        for (const u of [doc.province, ...doc.units]) {
          if (lineage.includes(u.unitId))
            series.push({
              year: p.year,
              campaignId: p.campaignId,
              publicationId: p.id,
              unitId: u.unitId,
              viaPredecessor: u.unitId !== request.params.unitId,
              overall: u.overall
            })
        }
      }
      return series.sort((a, b) => a.year - b.year)
    }
  )
}
export default publicResults
