import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACCESS, assertUnit } from '../plugins/auth.js'
import { campaignFacts } from '../plugins/audit.js'
import { IdParams } from '../schemas/common.js'
import {
  Campaign,
  CampaignEvent,
  CampaignInput,
  CampaignPatch,
  CampaignQuery,
  TransitionInput
} from '../schemas/campaigns.js'
import {
  campaignEventsOf,
  createCampaign,
  getCampaign,
  listCampaigns,
  transitionCampaign,
  updateCampaign
} from '../domain/campaigns.js'

const campaigns: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const managers = { config: { access: ACCESS.managers } }
  const scoped = { config: { access: ACCESS.managers, campaignScoped: true } }
  const tags = ['campaigns']
  const facts = (campaign: Campaign, before: { status: string } | null = null) =>
    campaignFacts(campaign, { status: campaign.status }, before)

  app.post(
    '/v1/campaigns',
    {
      ...managers,
      schema: {
        tags,
        summary: 'Define a measurement campaign (draft)',
        body: CampaignInput,
        response: { 201: Campaign }
      }
    },
    async (request, reply) => {
      assertUnit(request, request.body.provinceId, { in: 'body', pointer: '/provinceId' })
      return reply.code(201).send(
        await app.audited(
          request,
          'campaign.create',
          (tx) => createCampaign(tx, request.body),
          (c) => facts(c)
        )
      )
    }
  )

  app.get(
    '/v1/campaigns',
    {
      ...managers,
      schema: {
        tags,
        summary: 'List campaigns by year, province and status',
        description: "A province administrator sees its own province's campaigns.",
        querystring: CampaignQuery,
        response: { 200: Type.Array(Campaign) }
      }
    },
    async (request) => listCampaigns(db, { ...request.query, within: request.client?.units })
  )

  app.get(
    '/v1/campaigns/:id',
    {
      ...scoped,
      schema: { tags, summary: 'One campaign', params: IdParams, response: { 200: Campaign } }
    },
    async (request) => getCampaign(db, request.params.id)
  )

  app.patch(
    '/v1/campaigns/:id',
    {
      ...scoped,
      schema: {
        tags,
        summary: 'Change a draft campaign, or its weighting until it is published',
        description:
          'Only a draft can change (409 otherwise), apart from how its results are weighted (`calibration`, `afterService` alone in the body), which changes until they are published: a margin that cannot be calibrated is mended without a new campaign. The result is checked as a whole.',
        params: IdParams,
        body: CampaignPatch,
        response: { 200: Campaign }
      }
    },
    async (request) => {
      if (request.body.provinceId !== undefined)
        assertUnit(request, request.body.provinceId, { in: 'body', pointer: '/provinceId' })
      return app.audited(
        request,
        'campaign.update',
        (tx) => updateCampaign(tx, request.params.id, request.body),
        (c) => facts(c)
      )
    }
  )

  app.post(
    '/v1/campaigns/:id/transitions',
    {
      ...scoped,
      schema: {
        tags,
        summary: 'Move the campaign along draft → sampling → collecting → closed → published',
        description:
          'A sampled campaign collects only after its sample is drawn; a campaign without a sample goes from draft to collecting. The only way back is sampling → draft before the draw. A refused transition is a 409 that says why. Each transition is recorded with who and when; the questionnaire version is locked when the campaign leaves draft.',
        params: IdParams,
        body: TransitionInput,
        response: { 200: Campaign }
      }
    },
    async (request) => {
      const before = await getCampaign(db, request.params.id)
      return app.audited(
        request,
        'campaign.transition',
        (tx) => transitionCampaign(tx, request.params.id, request.body.to, request.actor as string, request.body.note),
        (c) => facts(c, { status: before.status })
      )
    }
  )

  app.get(
    '/v1/campaigns/:id/events',
    {
      ...scoped,
      schema: {
        tags,
        summary: "The campaign's lifecycle history",
        params: IdParams,
        response: { 200: Type.Array(CampaignEvent) }
      }
    },
    async (request) => campaignEventsOf(db, request.params.id)
  )
}
export default campaigns
