import { randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import Fastify, {
  LogController,
  type FastifyReply,
  type FastifyRequest,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault
} from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DestinationStream } from 'pino'
import { DrizzleQueryError } from 'drizzle-orm'
import type { Config } from './config.js'
import type { Database } from './db/client.js'
import errors, { clientErrors, frameworkErrors } from './plugins/errors.js'
import headers from './plugins/headers.js'
import unicode from './plugins/unicode.js'
import openapi from './plugins/openapi.js'
import database from './plugins/database.js'
import auth from './plugins/auth.js'
import audit from './plugins/audit.js'
import limits from './plugins/limits.js'
import personalData from './plugins/personal-data.js'
import health from './routes/health.js'
import units from './routes/units.js'
import instruments from './routes/instruments.js'
import campaigns from './routes/campaigns.js'
import frame from './routes/frame.js'
import sample from './routes/sample.js'
import clients from './routes/clients.js'
import responses from './routes/responses.js'
import results from './routes/results.js'
import publicResults from './routes/public.js'
import history from './routes/history.js'
import webhooks from './routes/webhooks.js'
import webhookDispatcher from './plugins/webhooks.js'
import { cachedSerializers, sharedValidators } from './plugins/schema-compilers.js'
import problems from './routes/problems.js'
import auditLog from './routes/audit.js'
import { configureComputePool } from './domain/compute-pool.js'

export interface AppOptions {
  config: Config
  /** An already opened database; by default the app opens one from `config`. */
  database?: Database
  /** Where logs go (tests capture them); stdout by default. */
  logStream?: DestinationStream
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

const REQUEST_ID = /^[\w.:@-]{1,128}$/

/** Keeps a caller's X-Request-Id when it is a sane token, so logs can be joined across systems. */
function requestId(request: { headers: IncomingHttpHeaders }): string {
  const given = request.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}

/** One log line per request, on completion; the query string and headers are left out (keys, contacts). */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10
      },
      'request'
    )
  }
}

/** Builds the whole application from a config object; no module-level state, so tests build many. */
export async function buildApp({ config, database: opened, logStream }: AppOptions): Promise<App> {
  configureComputePool({ threads: config.computeThreads, offThreadFrom: config.computeOffThreadFrom })
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      // Only these fields of an error are logged: driver errors carry row values (personal data) in `detail`,
      // and drizzle's wrapper the statement's parameters in its message and stack, so its cause is logged.
      serializers: {
        err: (error: Error) => {
          const err: Error & { code?: string } =
            error instanceof DrizzleQueryError && error.cause instanceof Error ? error.cause : error
          return { type: err.name, message: err.message, code: err.code, stack: err.stack ?? '' }
        }
      }
    },
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    http: {
      // Node would refuse a request without Host with a bare 400; the errors plugin refuses it as a problem.
      requireHostHeader: false,
      // Node applies these only when the server is created, and checks them every 30 s by default: check often
      // enough to cut a slow client near its deadline.
      ...(config.requestTimeoutMs > 0
        ? {
            requestTimeout: config.requestTimeoutMs,
            headersTimeout: Math.min(60_000, config.requestTimeoutMs),
            connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(config.requestTimeoutMs / 4)))
          }
        : {})
    } as object,
    genReqId: requestId,
    frameworkErrors,
    clientErrorHandler: clientErrors,
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
    return503OnClosing: true,
    // Starting the embedded database compiles PGlite's WebAssembly: on a busy machine that takes longer than
    // avvio's default 10 s per plugin.
    pluginTimeout: 60_000,
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    schemaController: { compilersFactory: { buildValidator: sharedValidators, buildSerializer: cachedSerializers } }
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  await app.register(errors)
  await app.register(headers)
  await app.register(unicode)
  await app.register(openapi)
  await app.register(database, { config, database: opened })
  await app.register(auth, { config })
  await app.register(audit)
  await app.register(limits, { config })
  await app.register(personalData, { config })
  await app.register(webhookDispatcher, { config })
  await app.register(health)
  await app.register(problems)
  await app.register(units)
  await app.register(instruments)
  await app.register(campaigns)
  await app.register(frame)
  await app.register(sample)
  await app.register(clients)
  await app.register(responses)
  await app.register(results, { config })
  await app.register(publicResults)
  await app.register(history)
  await app.register(webhooks)
  await app.register(auditLog)
  return app
}
