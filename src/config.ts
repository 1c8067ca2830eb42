import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'

/** The service's configuration; every field comes from one environment variable (see `ENV`). */
export const Config = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  databasePoolSize: Type.Integer({ minimum: 1, default: 10, description: 'Connections to PostgreSQL held at most' }),
  databaseConnectTimeoutMs: Type.Integer({
    minimum: 1,
    default: 5000,
    description: 'How long a request waits for a PostgreSQL connection before its 503'
  }),
  dataDir: Type.String({ minLength: 1, default: './data' }),
  migrateOnStart: Type.Boolean({ default: true }),
  logLevel: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  bodyLimit: Type.Integer({ minimum: 1024, default: 32 * 1024 * 1024 }),
  adminApiKey: Type.Optional(Type.String({ minLength: 32 })),
  personalDataKey: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  shutdownTimeoutMs: Type.Integer({ minimum: 0, default: 10_000 }),
  webhookRetryBaseMs: Type.Integer({
    minimum: 1,
    default: 30_000,
    description: 'First retry delay of a failed webhook delivery; doubled at each attempt'
  }),
  webhookMaxAttempts: Type.Integer({ minimum: 1, maximum: 30, default: 10 }),
  computeJobThreshold: Type.Integer({
    minimum: 0,
    default: 200_000,
    description: 'Campaigns with more responses are computed as background jobs'
  }),
  computeThreads: Type.Integer({
    minimum: 0,
    default: 0,
    description:
      'Threads that score one large computation, and computations made off the event loop at once; 0: one per core'
  }),
  computeOffThreadFrom: Type.Integer({
    minimum: 0,
    default: 20_000,
    description:
      'Computations of this many responses or more run on those threads (and any of 100 units or more: their rank sets grow as the square of the units); smaller ones on the event loop'
  }),
  rateLimitPerMinute: Type.Integer({
    minimum: 0,
    default: 120_000,
    description: 'Requests per minute per API key (anonymous: per address); 0 turns the limit off'
  }),
  maxEventLoopDelayMs: Type.Integer({
    minimum: 0,
    default: 1000,
    description: 'Above this event-loop delay requests are shed with 503; 0 turns shedding off'
  }),
  shedAboveInFlight: Type.Integer({
    minimum: 0,
    default: 16,
    description:
      'Requests are shed only while more than this many are in flight and the event loop lags: a lone client never is'
  }),
  requestTimeoutMs: Type.Integer({
    minimum: 0,
    default: 120_000,
    description: 'Time a client has to send a whole request'
  })
})
export type Config = Static<typeof Config>

type Field = keyof Config
const ENV: Record<Field, string> = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  databasePoolSize: 'DATABASE_POOL_SIZE',
  databaseConnectTimeoutMs: 'DATABASE_CONNECT_TIMEOUT_MS',
  dataDir: 'DATA_DIR',
  migrateOnStart: 'MIGRATE_ON_START',
  logLevel: 'LOG_LEVEL',
  bodyLimit: 'BODY_LIMIT',
  adminApiKey: 'ADMIN_API_KEY',
  personalDataKey: 'PERSONAL_DATA_KEY',
  shutdownTimeoutMs: 'SHUTDOWN_TIMEOUT_MS',
  webhookRetryBaseMs: 'WEBHOOK_RETRY_BASE_MS',
  webhookMaxAttempts: 'WEBHOOK_MAX_ATTEMPTS',
  computeJobThreshold: 'COMPUTE_JOB_THRESHOLD',
  computeThreads: 'COMPUTE_THREADS',
  computeOffThreadFrom: 'COMPUTE_OFF_THREAD_FROM',
  rateLimitPerMinute: 'RATE_LIMIT_PER_MINUTE',
  maxEventLoopDelayMs: 'MAX_EVENT_LOOP_DELAY_MS',
  shedAboveInFlight: 'SHED_ABOVE_IN_FLIGHT',
  requestTimeoutMs: 'REQUEST_TIMEOUT_MS'
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/** Environment strings are converted to the schema's types strictly: "12abc" is not a port. */
function fromEnvString(field: Field, raw: string): unknown {
  const schema = Config.properties[field] as { type?: string }
  if (schema.type === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw
  if (schema.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw
  return raw
}

/** Builds a validated config from environment variables (unset or empty ones take their default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, unknown> = {}
  for (const field of Object.keys(ENV) as Field[]) {
    const raw = env[ENV[field]]
    if (raw !== undefined && raw !== '') input[field] = fromEnvString(field, raw)
  }
  return parseConfig(input)
}

/** Validates a config object (defaults filled in); errors name the environment variable. */
export function parseConfig(input: Partial<Record<Field, unknown>>): Config {
  const value = Value.Default(Config, structuredClone(input))
  const errors = Value.Errors(Config, value)
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((error) => {
        const field = error.instancePath.split('/')[1] as Field | undefined
        const name = field && ENV[field] ? ENV[field] : error.instancePath
        const shown =
          field === 'adminApiKey' || field === 'databaseUrl' || field === 'personalDataKey'
            ? '(hidden)'
            : JSON.stringify((value as Record<string, unknown>)[field ?? ''])
        return `${name}=${shown}: ${error.message}`
      })
    )
  }
  const config = value as Config
  // On a server the key cannot live beside the data: contacts would be readable by whoever reads a backup.
  if (config.databaseUrl && !config.personalDataKey) {
    throw new ConfigError([
      'PERSONAL_DATA_KEY: required with DATABASE_URL (64 hex characters, the AES-256 key of contact details)'
    ])
  }
  return config
}
