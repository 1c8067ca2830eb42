import Type from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACCESS } from '../plugins/auth.js'
import { IdParams, Uuid } from '../schemas/common.js'
import { WebhookSecret } from '../schemas/webhooks.js'
import { listWebhooks, revokeWebhook, subscribe, webhookDeliveries } from '../domain/webhooks.js'

const Webhook = Type.Object(
  {
    id: Uuid,
    url: Type.String({ format: 'uri' }),
    provinceId: Type.Union([Uuid, Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
  },
  { $id: 'Webhook' }
)

const webhooks: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.database
  const admin = { config: { access: ACCESS.admin } }
  const tags = ['webhooks']

  app.post(
    '/v1/webhooks',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Subscribe a URL to publications (of one province, or all)',
        description: [
          'Each publication sends `POST <url>` with the `publication.created` event (see the `webhooks` section of this document), signed by the Standard Webhooks convention: headers `webhook-id` (the delivery id, the same on every retry), `webhook-timestamp` and `webhook-signature`. Verify it with any Standard Webhooks library and the secret.',
          'A delivery that does not get a 2xx within 10 s is retried after WEBHOOK_RETRY_BASE_MS (30 s), then twice as long each time, up to WEBHOOK_MAX_ATTEMPTS (10).'
        ].join('\n\n'),
        body: Type.Object(
          {
            url: Type.String({
              format: 'uri',
              pattern: '^https?://',
              examples: ['https://congthongtin.phutho.gov.vn/hooks/sipas']
            }),
            provinceId: Type.Optional(Uuid),
            secret: Type.Optional(WebhookSecret)
          },
          { additionalProperties: false }
        ),
        response: {
          201: Type.Intersect([
            Webhook,
            Type.Object({ secret: Type.String({ description: 'The `whsec_` signing secret, shown this once' }) })
          ])
        }
      }
    },
    async (request, reply) => {
      const created = await app.audited(
        request,
        'webhook.create',
        (tx) => subscribe(tx, app.sealer, request.body),
        (hook) => ({ entity: 'webhook', entityId: hook.id, provinceId: hook.provinceId, after: { url: hook.url } })
      )
      return reply.code(201).send(created)
    }
  )

  app.get(
    '/v1/webhooks',
    {
      ...admin,
      schema: { tags, summary: 'Subscribers', response: { 200: Type.Array(Webhook) } }
    },
    async () => listWebhooks(db)
  )

  app.delete(
    '/v1/webhooks/:id',
    {
      ...admin,
      schema: { tags, summary: 'Unsubscribe', params: IdParams, response: { 200: Webhook } }
    },
    async (request) =>
      app.audited(
        request,
        'webhook.revoke',
        (tx) => revokeWebhook(tx, request.params.id),
        (hook) => ({
          entity: 'webhook',
          entityId: hook.id,
          provinceId: hook.provinceId,
          before: { url: hook.url },
          after: null
        })
      )
  )

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      ...admin,
      schema: {
        tags,
        summary: 'Deliveries to a subscriber: status, attempts, last error',
        params: IdParams,
        response: {
          200: Type.Array(
            Type.Object({
              id: Uuid,
              event: Type.String(),
              status: Type.String(),
              attempts: Type.Integer(),
              lastError: Type.Union([Type.String(), Type.Null()]),
              deliveredAt: Type.Union([Type.String(), Type.Null()])
            })
          )
        }
      }
    },
    async (request) => webhookDeliveries(db, request.params.id)
  )
}
export default webhooks
