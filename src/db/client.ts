import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import * as schema from './schema.js'
import { startEmbeddedServer } from './embedded-server.js'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface MigrationStatus {
  applied: number
  expected: number
}

/** The one database handle the app holds: drizzle over a pg pool, to PostgreSQL or to the embedded PGlite. */
export interface Database {
  readonly kind: 'pglite' | 'postgres'
  readonly db: Db
  /** PostgreSQL's URL, for a thread to open connections of its own; null for the embedded database (one session). */
  readonly url: string | null
  /** Runs `select 1`; rejects when the database cannot be reached. */
  ping: () => Promise<void>
  migrate: () => Promise<void>
  migrationStatus: () => Promise<MigrationStatus>
  close: () => Promise<void>
}

export interface DatabaseOptions {
  /** postgres:// URL; without it the embedded PGlite database is used. */
  databaseUrl?: string
  /** PGlite's data folder, or `memory://` for a throw-away in-memory database. */
  dataDir: string
  /** PostgreSQL: connections held at most (10). */
  poolSize?: number
  /** PostgreSQL: how long a query waits for a connection, pooled or new, before it fails as unavailable (5000 ms). */
  connectTimeoutMs?: number
}

/** The folder holding package.json, found from this file so it works from `src/` and from `dist/`. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  return dir
}

export const MIGRATIONS_FOLDER = join(projectRoot(), 'migrations')

async function expectedMigrations(): Promise<number> {
  const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[]
  }
  return journal.entries.length
}

async function appliedMigrations(db: Db): Promise<number> {
  // drizzle's migrators record each applied migration in drizzle.__drizzle_migrations.
  const result = await db.execute(sql`select count(*)::int as n from pg_catalog.pg_tables
    where schemaname = 'drizzle' and tablename = '__drizzle_migrations'`)
  if ((rows(result)[0] as { n: number }).n === 0) return 0
  const count = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
  return (rows(count)[0] as { n: number }).n
}

/** The rows of a `db.execute` result (node-postgres answers `{ rows }`). */
export function rows(result: unknown): unknown[] {
  return (result as { rows: unknown[] }).rows
}

/**
 * drizzle's node-postgres transaction sends BEGIN before the try/finally that releases its client
 * (drizzle-orm#6023, open in 0.45): when BEGIN fails, the connection lost, the client is never released and
 * the pool stays a connection short for good (and closing it waits forever). Such a client is released
 * here, with its error so that the pool drops it. Remove this once drizzle releases it itself: a second
 * release throws.
 */
function releaseOnFailedBegin(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  client.query = ((...args: unknown[]) => {
    const result = query(...args)
    const text = (args[0] as { text?: unknown } | undefined)?.text
    if (result instanceof Promise && typeof text === 'string' && /^begin\b/i.test(text))
      result.catch((error: Error) => client.release(error))
    return result
  }) as typeof client.query
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const pool = {
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000
  }
  if (options.databaseUrl) {
    // TCP keepalive: a server gone silently (a network partition, no reset) is noticed instead of waited on.
    const config = { connectionString: options.databaseUrl, keepAlive: true, keepAliveInitialDelayMillis: 10_000 }
    return poolDatabase('postgres', { ...config, ...pool }, async () => {}, options.databaseUrl)
  }
  const inMemory = options.dataDir.startsWith('memory://')
  if (!inMemory) await mkdir(resolve(options.dataDir), { recursive: true })
  // PGlite is one PostgreSQL session that every socket connection shares: one connection in the pool keeps
  // statements of concurrent requests from interleaving (an unnamed statement parsed by one, bound by
  // another), and it is never closed when idle, as a new one would find the old one's prepared statements.
  const server = await startEmbeddedServer(inMemory ? options.dataDir : resolve(options.dataDir), 2)
  const embedded = { ...server.connection, ...pool, max: 1, idleTimeoutMillis: 0 }
  return poolDatabase('pglite', embedded, server.stop, null)
}

/**
 * A compute thread's own connections to PostgreSQL (two: the sample's rows and the after-service rows are read
 * at once), ended with `close`.
 */
export function threadDatabase(url: string): { db: Db; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000, keepAlive: true })
  pool.on('error', () => {})
  return { db: drizzlePg(pool, { schema }) as unknown as Db, close: () => pool.end() }
}

/** drizzle over a pg pool, whether the server is PostgreSQL or the embedded one behind its socket. */
async function poolDatabase(
  kind: Database['kind'],
  config: pg.PoolConfig,
  stopServer: () => Promise<void>,
  url: string | null
): Promise<Database> {
  const expected = await expectedMigrations()
  const pool = new pg.Pool(config)
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {})
  pool.on('connect', (client) => {
    // pg also emits 'error' on a client checked out for a transaction when its connection is lost (after
    // failing its query); the pool listens only to idle clients, so unheard it would crash the process.
    client.on('error', () => {})
    releaseOnFailedBegin(client)
  })
  const db = drizzlePg(pool, { schema }) as unknown as Db
  let closed: Promise<void> | null = null
  return {
    kind,
    db,
    url,
    ping: async () => {
      await pool.query('select 1')
    },
    migrate: () => migratePg(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    migrationStatus: async () => ({ applied: await appliedMigrations(db), expected }),
    close: () => (closed ??= pool.end().finally(stopServer))
  }
}
