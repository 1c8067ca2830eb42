import fp from 'fastify-plugin'
import { openDatabase, type Database } from '../db/client.js'
import type { Config } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
  }
}

export interface DatabasePluginOptions {
  config: Config
  /** An already opened database (tests, tools); otherwise one is opened from the config. */
  database?: Database
}

/** Opens the database (PGlite or PostgreSQL), applies migrations if configured, closes it with the app. */
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
    app.decorate('database', handle)
    app.addHook('onClose', async () => {
      await handle.close()
    })
    if (config.migrateOnStart) {
      await handle.migrate()
      const status = await handle.migrationStatus()
      app.log.info({ database: handle.kind, migrations: status }, 'database ready')
    }
  },
  { name: 'database' }
)
