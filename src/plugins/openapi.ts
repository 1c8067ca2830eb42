import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { ProblemSchema } from '../schemas/problem.js'
import { NAMED_SCHEMAS } from '../schemas/results.js'
import { PublicationCreatedEvent, WEBHOOKS_DOCUMENT } from '../schemas/webhooks.js'
import { contractDocument } from './openapi-contract.js'

export const API_INFO = {
  title: 'SIPAS service API',
  version: '0.1.0',
  description: [
    "Measure, compute and publish SIPAS (Chỉ số hài lòng về sự phục vụ hành chính), Vietnam's index of",
    "citizens' and organisations' satisfaction with the service of state administrative agencies,",
    'following QĐ 2640/QĐ-BNV (2017) and QĐ 1001/QĐ-BNV (2023).',
    '',
    'Every error is `application/problem+json` (RFC 9457). Its `type` is stable and documented at',
    '`/problems/{slug}`; invalid input lists each offending field in `errors` by JSON pointer.'
  ].join('\n'),
  license: { name: 'MIT', identifier: 'MIT' }
}

/** OpenAPI 3.1 generated from the route schemas, served at /openapi.json, browsable at /docs. */
export default fp(
  async function openapi(app) {
    app.addSchema(ProblemSchema)
    app.addSchema(PublicationCreatedEvent)
    for (const [name, schema] of Object.entries(NAMED_SCHEMAS)) app.addSchema({ ...schema, $id: name })
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: API_INFO,
        webhooks: WEBHOOKS_DOCUMENT,
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description:
                "An API key: the system administrator's (ADMIN_API_KEY), or a key created for a province administrator, a surveyor or a client system. Each operation lists the roles it accepts."
            }
          }
        },
        tags: [
          { name: 'health', description: 'Liveness and readiness probes' },
          { name: 'units', description: 'Administrative units and agencies: the tree campaigns measure' },
          {
            name: 'instruments',
            description: 'Questionnaires: factors, criteria and items, versioned and immutable once used'
          },
          { name: 'campaigns', description: 'Measurement campaigns and their lifecycle' },
          { name: 'sampling', description: 'Sampling frame, sample design, the draw, replacements and progress' },
          {
            name: 'clients',
            description:
              'API keys of client systems (one-stop-shop software, kiosks, tablets), scoped to units and campaigns'
          },
          { name: 'responses', description: 'Ingestion of completed questionnaires: validated, idempotent, durable' },
          { name: 'results', description: "Computing and publishing a campaign's indices" },
          { name: 'public', description: 'Published results for portals: no key, CORS, ETags, cacheable' },
          { name: 'webhooks', description: 'Signed notifications to subscribers when a campaign is published' },
          { name: 'audit', description: 'Who changed what, when and from where' },
          { name: 'problems', description: 'The catalogue of error types' }
        ]
      },
      transformObject: contractDocument,
      // TypeBox schemas carry their own $id: components are named after it.
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`)
      }
    })
    // Its own Content-Security-Policy for its pages, which the strict default would break.
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'openapi' }
)
