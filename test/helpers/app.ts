import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import pg from 'pg'
import type { Test } from 'tap'
import { buildApp, type App } from '../../src/app.js'
import { parseConfig, type Config } from '../../src/config.js'

/**
 * A fresh, empty database for one test: a new PostgreSQL database next to the one in DATABASE_URL (dropped
 * at teardown), or an in-memory PGlite when DATABASE_URL is not set. Test files never share data.
 */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789'
// Load shedding reacts to the machine's load, not to the code under test: only its own test turns it on.
const TEST_DEFAULTS = { adminApiKey: TEST_ADMIN_KEY, personalDataKey: '5e'.repeat(32), maxEventLoopDelayMs: 0 }

export async function freshDatabaseConfig(t: Test, overrides: Partial<Config> = {}): Promise<Config> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) return parseConfig({ dataDir: 'memory://test', logLevel: 'silent', ...TEST_DEFAULTS, ...overrides })
  const name = `sipas_t_${process.pid}_${randomBytes(4).toString('hex')}`
  await adminQuery(serverUrl, `create database ${name}`)
  t.teardown(() => adminQuery(serverUrl, `drop database if exists ${name} with (force)`))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return parseConfig({
    databaseUrl: url.toString(),
    dataDir: 'memory://unused',
    logLevel: 'silent',
    ...TEST_DEFAULTS,
    ...overrides
  })
}

export async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

export interface TestApp {
  app: App
  config: Config
  logs: () => Array<Record<string, unknown>>
}

/** Builds an app on a fresh database and closes it at teardown; its log lines are captured. `beforeReady`
 * may add routes (tests of cross-cutting plugins). */
export async function buildTestApp(
  t: Test,
  overrides: Partial<Config> = {},
  beforeReady?: (app: App) => void
): Promise<TestApp> {
  const config = await freshDatabaseConfig(t, { logLevel: 'info', ...overrides })
  const lines: string[] = []
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    }
  })
  const app = await buildApp({ config, logStream })
  t.teardown(() => app.close())
  beforeReady?.(app)
  await app.ready()
  if (config.migrateOnStart) await app.databaseReady
  return {
    app,
    config,
    logs: () =>
      lines
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
  }
}
