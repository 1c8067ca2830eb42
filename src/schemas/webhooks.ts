import Type from 'typebox'
import { Uuid } from './common.js'

/** A Standard Webhooks secret: `whsec_` and the base64 of the key bytes (24 to 64 of them). */
export const WebhookSecret = Type.String({
  description:
    'A Standard Webhooks secret: `whsec_` followed by the base64 of 24 to 64 random bytes. Generated when absent.',
  examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']
})

/** The body of every delivery; `data` is the event's. */
export const PublicationCreatedEvent = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'The delivery id, also sent as `webhook-id`' }),
    event: Type.Literal('publication.created'),
    data: Type.Object({
      publicationId: Uuid,
      campaignId: Uuid,
      provinceId: Uuid,
      year: Type.Integer({ examples: [2026] }),
      version: Type.Integer({ minimum: 1, description: 'Publications of a campaign are versioned from 1' }),
      replacesId: Type.Union([Uuid, Type.Null()], { description: 'The publication this version corrects' }),
      decisionNumber: Type.String({
        description: 'The number of the decision that approved it',
        examples: ['1234/QĐ-UBND']
      }),
      decisionDate: Type.String({ format: 'date', description: "The decision's date", examples: ['2026-12-05'] }),
      url: Type.String({ description: 'Its public path', examples: ['/v1/public/publications/{id}'] })
    })
  },
  { $id: 'PublicationCreatedEvent' }
)

const header = (name: string, description: string, example: string) => ({
  name,
  in: 'header' as const,
  required: true,
  description,
  schema: { type: 'string' as const },
  example
})

/**
 * The OpenAPI 3.1 `webhooks` section: what a subscriber receives, signed by the Standard Webhooks convention
 * (https://www.standardwebhooks.com/), so that any of its libraries verifies a delivery.
 */
export const WEBHOOKS_DOCUMENT = {
  'publication.created': {
    post: {
      operationId: 'publicationCreated',
      tags: ['webhooks'],
      // The subscriber gets no API key: the signature is what it checks.
      security: [],
      summary: 'A campaign was published (or a correction of its publication)',
      description:
        'Sent when a publication is approved, and so public (never for a draft), to every active subscriber of the province (or of all provinces). Verify it with a Standard Webhooks library, e.g. `new Webhook(secret).verify(rawBody, headers)` of the `standardwebhooks` npm package: it checks the signature over `<webhook-id>.<webhook-timestamp>.<raw body>` and that the timestamp is within 5 minutes. A delivery keeps its `webhook-id` across retries: use it to ignore one already handled.',
      parameters: [
        header(
          'webhook-id',
          'The delivery id: the same on every retry of this delivery',
          '0b6f0c52-4d59-4f5e-9d1c-3f0a2a1d9e77'
        ),
        header('webhook-timestamp', 'Unix seconds when this attempt was signed', '1781234567'),
        header(
          'webhook-signature',
          '`v1,` and the base64 HMAC-SHA256, keyed by the base64-decoded secret, of `<webhook-id>.<webhook-timestamp>.<raw body>`',
          'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='
        )
      ],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/PublicationCreatedEvent' } } }
      },
      responses: {
        '200': {
          description:
            'Any 2xx within 10 s acknowledges the delivery; anything else is retried with exponential back-off'
        }
      }
    }
  }
}
