import { readFileSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parentPort } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

/**
 * The worker thread that holds the embedded databases: each PGlite instance runs here and is served on a Unix
 * socket by pglite-socket, so the service talks to it with the same `pg` driver as to PostgreSQL and a long
 * statement (a frame upload, a draw) blocks this thread, not the event loop that answers requests.
 */
export type HostRequest =
  | { id: number; op: 'open'; dataDir: string; socketPath: string; maxConnections: number }
  | { id: number; op: 'close'; socketPath: string }

export type HostReply = { id: number; ok: true } | { id: number; ok: false; message: string }

const open = new Map<string, { db: PGlite; server: PGLiteSocketServer; throwAway: boolean }>()

/**
 * The files of a fresh throw-away (`memory://`) database, kept from the first one this process opened. PGlite
 * makes a fresh database by running initdb, 1.8–2.4 s of CPU; it starts one from these files in 0.4–1.3 s (the
 * two machines of 7 December; their copy costs 0.15 s once and holds 40 MB). Tests open a few databases per
 * file, so this and the spare databases below are most of their setup.
 */
let freshFiles: Blob | null = null

/**
 * Where the fresh files are kept for the other processes of this machine too (a test run starts one per test
 * file, and initdb was most of its first database's start), named by PGlite's version, whose initdb makes them.
 */
export const keptFilesPath = (): string => (keptPath ??= pathOfKeptFiles())
let keptPath: string | undefined

function pathOfKeptFiles(): string {
  const pglite = new URL('../package.json', import.meta.resolve('@electric-sql/pglite'))
  const { version } = JSON.parse(readFileSync(pglite, 'utf8')) as { version: string }
  return join(tmpdir(), `sipas-pglite-${version}-fresh.tar`)
}

const keptFiles = async (): Promise<Blob | null> =>
  readFile(keptFilesPath()).then(
    (bytes) => new Blob([bytes]),
    () => null
  )

/** Written whole under another name, then renamed: a process reads all of a copy or none of it. */
async function keep(files: Blob): Promise<void> {
  const path = keptFilesPath()
  const partial = `${path}.${process.pid}`
  await writeFile(partial, Buffer.from(await files.arrayBuffer()))
  await rename(partial, path)
}

/**
 * Throw-away databases whose app has closed them, emptied for the next one: starting PGlite from files still
 * costs 1.3 s of CPU on a machine where fresh memory is dear (its 128 MB of WebAssembly memory faulted in
 * again), emptying one about 0.1 s. At most SPARE kept; a database that cannot be emptied is closed.
 */
const spare: PGlite[] = []
const SPARE = 2

const isThrowAway = (dataDir: string) => dataDir.startsWith('memory://')

/**
 * What our migrations and a session leave behind removed: the session's state (settings, prepared statements,
 * temporary tables, locks, listeners: PGlite has one session for all connections), drizzle's journal and the
 * public schema, made again as initdb makes it. The databases, roles and extensions of the cluster are initdb's
 * (no migration creates any), so the database is then as fresh as one started from its files; checked.
 */
async function emptied(db: PGlite): Promise<boolean> {
  try {
    await db.exec('rollback')
    await db.exec('discard all')
    await db.exec(
      'drop schema if exists drizzle cascade; drop schema public cascade; ' +
        'create schema public authorization pg_database_owner; grant usage on schema public to public'
    )
    const left = await db.query<{ n: number }>(
      "select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')"
    )
    return left.rows[0].n === 0
  } catch {
    return false
  }
}

async function create(dataDir: string): Promise<PGlite> {
  if (!isThrowAway(dataDir)) return PGlite.create(dataDir)
  const kept = spare.pop()
  if (kept) return kept
  freshFiles ??= await keptFiles()
  if (freshFiles) {
    const loaded = await PGlite.create(dataDir, { loadDataDir: freshFiles }).catch(() => null)
    if (loaded) return loaded
  }
  const db = await PGlite.create(dataDir)
  // Without a copy (PGlite could not make one, or the kept one would not load) the next database runs initdb
  // and tries again.
  freshFiles = await db.dumpDataDir('none').catch(() => null)
  if (freshFiles) await keep(freshFiles).catch(() => {})
  return db
}

async function handle(request: HostRequest): Promise<void> {
  if (request.op === 'open') {
    const db = await create(request.dataDir)
    const server = new PGLiteSocketServer({ db, path: request.socketPath, maxConnections: request.maxConnections })
    // The session outlives its connections: one replacing a lost one must not meet its prepared statements.
    server.addEventListener('connection', () => void db.exec('deallocate all').catch(() => {}))
    await server.start()
    open.set(request.socketPath, { db, server, throwAway: isThrowAway(request.dataDir) })
    return
  }
  const served = open.get(request.socketPath)
  if (!served) return
  open.delete(request.socketPath)
  await served.server.stop()
  if (served.throwAway && spare.length < SPARE && (await emptied(served.db))) spare.push(served.db)
  else await served.db.close()
}

parentPort?.on('message', (request: HostRequest) => {
  handle(request).then(
    () => parentPort?.postMessage({ id: request.id, ok: true } satisfies HostReply),
    (error: Error) => parentPort?.postMessage({ id: request.id, ok: false, message: error.message } satisfies HostReply)
  )
})
