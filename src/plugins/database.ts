import fp from 'fastify-plugin'
import pRetry from 'p-retry'
import { openDatabase, type Database } from '../db/client.js'
import type { Config } from '../config.js'
import { Problem } from '../problems.js'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
    /** Settles once the database is reachable, fully migrated and set up (never, while migrations are missing). */
    databaseReady: Promise<void>
    /** Whether `databaseReady` has settled: migrated and set up. */
    isDatabaseReady: () => boolean
    /** A step that makes the database ready (seeding what every service needs), run after the migrations. */
    setUpDatabase: (step: () => Promise<void>) => void
  }
}

export interface DatabasePluginOptions {
  config: Config
  /** An already opened database (tests, tools); otherwise one is opened from the config. */
  database?: Database
}

/** Between two attempts to reach the database at start: from one second, doubling, to half a minute. */
const RETRY = { retries: Infinity, minTimeout: 1000, factor: 2, maxTimeout: 30_000 } as const

/**
 * Opens the database (PGlite or PostgreSQL) and closes it with the app. The service starts and listens even
 * while PostgreSQL is away: it keeps trying to reach it (and to apply migrations, if configured), answers
 * /healthz, and refuses the API with a 503 and Retry-After until the database is ready.
 */
export default fp<DatabasePluginOptions>(
  async function database(app, { config, database }) {
    const handle =
      database ??
      (await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolSize: config.databasePoolSize,
        connectTimeoutMs: config.databaseConnectTimeoutMs
      }))
    let closing = false
    let ready = false
    app.decorate('database', handle)
    app.addHook('onClose', async () => {
      closing = true
      await handle.close()
    })

    const steps: Array<() => Promise<void>> = []
    app.decorate('setUpDatabase', (step: () => Promise<void>) => {
      steps.push(step)
    })
    const prepare = async () => {
      if (config.migrateOnStart) await handle.migrate()
      const status = await handle.migrationStatus()
      if (status.applied < status.expected)
        throw new Error(`${status.applied} of ${status.expected} migrations are applied (MIGRATE_ON_START=false)`)
      for (const step of steps) await step()
      app.log.info({ database: handle.kind, migrations: status }, 'database ready')
    }
    let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined
    const databaseReady = new Promise<void>((resolve, reject) => (settle = { resolve, reject }))
    // Whoever does not wait for it (a service started while PostgreSQL is down) must not crash on it.
    databaseReady.catch(() => {})
    app.decorate('databaseReady', databaseReady)
    app.decorate('isDatabaseReady', () => ready)
    // Started once every plugin has registered its set-up steps, and not awaited: the service listens meanwhile.
    app.addHook('onReady', async () => {
      pRetry(prepare, {
        ...RETRY,
        // The wait between attempts keeps no process alive, and a closed app stops trying.
        unref: true,
        shouldRetry: () => !closing,
        onFailedAttempt: ({ error, attemptNumber }) =>
          app.log.warn({ reason: error.message, attempt: attemptNumber }, 'the database is not ready; retrying')
      }).then(() => {
        ready = true
        settle?.resolve()
      }, settle?.reject)
    })

    app.addHook('onRequest', async (request) => {
      if (!ready && request.url.startsWith('/v1/'))
        throw new Problem(
          'service-unavailable',
          'The service is starting: its database is not reachable or not migrated yet. Nothing was stored.',
          undefined,
          { 'retry-after': '5' }
        )
    })
  },
  { name: 'database' }
)
