import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('defaults apply when the environment is empty', async (t) => {
  const config = loadConfig({})
  t.equal(config.port, 3000)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.dataDir, './data')
  t.equal(config.databaseUrl, undefined)
  t.equal(config.migrateOnStart, true)
  t.equal(config.logLevel, 'info')
  t.equal(config.bodyLimit, 32 * 1024 * 1024)
})

t.test('environment variables are converted to their types', async (t) => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgres://u@h/db',
    PERSONAL_DATA_KEY: 'ab'.repeat(32),
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'debug',
    BODY_LIMIT: '2048',
    ADMIN_API_KEY: 'k'.repeat(32)
  })
  t.same(
    {
      port: config.port,
      host: config.host,
      databaseUrl: config.databaseUrl,
      migrateOnStart: config.migrateOnStart,
      logLevel: config.logLevel,
      bodyLimit: config.bodyLimit
    },
    {
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@h/db',
      migrateOnStart: false,
      logLevel: 'debug',
      bodyLimit: 2048
    }
  )
})

t.test('a bad value names its variable and keeps secrets out of the message', async (t) => {
  const error = t.throws(() =>
    loadConfig({
      PORT: '80a',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://secret@h',
      ADMIN_API_KEY: 'short-secret',
      MIGRATE_ON_START: 'yes'
    })
  ) as ConfigError
  t.type(error, ConfigError)
  for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'ADMIN_API_KEY', 'MIGRATE_ON_START']) {
    t.ok(
      error.problems.some((p) => p.startsWith(name + '=')),
      `${name} is named`
    )
  }
  t.notMatch(error.message, /secret/)
})

t.test('out-of-range numbers are refused', async (t) => {
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT/)
  t.throws(() => loadConfig({ BODY_LIMIT: '10' }), /BODY_LIMIT/)
})

t.test('a server database needs the personal-data key', async (t) => {
  t.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db' }), /PERSONAL_DATA_KEY/)
  t.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db', PERSONAL_DATA_KEY: 'short' }), /PERSONAL_DATA_KEY/)
})

t.test('the PostgreSQL pool: its size and how long a request waits for a connection (never forever)', async (t) => {
  t.match(loadConfig({}), { databasePoolSize: 10, databaseConnectTimeoutMs: 5000 })
  t.match(loadConfig({ DATABASE_POOL_SIZE: '2', DATABASE_CONNECT_TIMEOUT_MS: '300' }), {
    databasePoolSize: 2,
    databaseConnectTimeoutMs: 300
  })
  t.throws(() => loadConfig({ DATABASE_POOL_SIZE: '0' }), /DATABASE_POOL_SIZE/)
  t.throws(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '0' }), /DATABASE_CONNECT_TIMEOUT_MS/)
})
