import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { BEARER } from '../plugins/auth.js'
import { IdParams } from '../schemas/common.js'
import { Campaign, CampaignEvent, CampaignInput, CampaignPatch, CampaignQuery, TransitionInput } from '../schemas/campaigns.js'
import { campaignEventsOf, createCampaign, getCampaign, listCampaigns, transitionCampaign, updateCampaign } from '../db/queries/campaigns.js'

const campaigns: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const admin = { preHandler: app.requireAdmin }
  const tags = ['campaigns']

  app.post('/v1/campaigns', {
    ...admin,
    schema: { tags, summary: 'Define a measurement campaign (draft)', security: BEARER, body: CampaignInput, response: { 201: Campaign } }
  }, async (request, reply) => reply.code(201).send(await createCampaign(db, request.body)))

  app.get('/v1/campaigns', {
    ...admin,
    schema: { tags, summary: 'List campaigns by year, province and status', security: BEARER, querystring: CampaignQuery, response: { 200: Type.Array(Campaign) } }
  }, async (request) => listCampaigns(db, request.query))

  app.get('/v1/campaigns/:id', {
    ...admin,
    schema: { tags, summary: 'One campaign', security: BEARER, params: IdParams, response: { 200: Campaign } }
  }, async (request) => getCampaign(db, request.params.id))

  app.patch('/v1/campaigns/:id', {
    ...admin,
    schema: { tags, summary: 'Change a draft campaign', description: 'Only a draft can change (409 otherwise); the result is checked as a whole.', security: BEARER, params: IdParams, body: CampaignPatch, response: { 200: Campaign } }
  }, async (request) => updateCampaign(db, request.params.id, request.body))

  app.post('/v1/campaigns/:id/transitions', {
    ...admin,
    schema: {
      tags,
      summary: 'Move the campaign along draft → sampling → collecting → closed → published',
      description: 'A sampled campaign collects only after its sample is drawn; a campaign without a sample goes from draft to collecting. The only way back is sampling → draft before the draw. A refused transition is a 409 that says why. Each transition is recorded with who and when; the questionnaire version is locked when the campaign leaves draft.',
      security: BEARER,
      params: IdParams,
      body: TransitionInput,
      response: { 200: Campaign }
    }
  }, async (request) => transitionCampaign(db, request.params.id, request.body.to, request.actor as string, request.body.note))

  app.get('/v1/campaigns/:id/events', {
    ...admin,
    schema: { tags, summary: 'The campaign\'s lifecycle history', security: BEARER, params: IdParams, response: { 200: Type.Array(CampaignEvent) } }
  }, async (request) => campaignEventsOf(db, request.params.id))
}
export default campaigns
