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

const open = new Map<string, { db: PGlite; server: PGLiteSocketServer }>()

/**
 * The files of a fresh throw-away (`memory://`) database, kept from the first one this process opened. PGlite
 * makes a fresh database by running initdb, about 1.8 s of CPU; it starts one from these files in 0.4 s (their
 * copy costs 0.15 s once and holds 40 MB). Tests open a few databases per file, so this is most of their setup.
 */
let freshFiles: Blob | null = null

async function create(dataDir: string): Promise<PGlite> {
  if (!dataDir.startsWith('memory://')) return PGlite.create(dataDir)
  if (freshFiles) return PGlite.create(dataDir, { loadDataDir: freshFiles })
  const db = await PGlite.create(dataDir)
  // Without a copy (PGlite could not make one) the next database runs initdb and tries again.
  freshFiles = await db.dumpDataDir('none').catch(() => null)
  return db
}

async function handle(request: HostRequest): Promise<void> {
  if (request.op === 'open') {
    const db = await create(request.dataDir)
    const server = new PGLiteSocketServer({ db, path: request.socketPath, maxConnections: request.maxConnections })
    // The session outlives its connections: one replacing a lost one must not meet its prepared statements.
    server.addEventListener('connection', () => void db.exec('deallocate all').catch(() => {}))
    await server.start()
    open.set(request.socketPath, { db, server })
    return
  }
  const served = open.get(request.socketPath)
  if (!served) return
  open.delete(request.socketPath)
  await served.server.stop()
  await served.db.close()
}

parentPort?.on('message', (request: HostRequest) => {
  handle(request).then(
    () => parentPort?.postMessage({ id: request.id, ok: true } satisfies HostReply),
    (error: Error) => parentPort?.postMessage({ id: request.id, ok: false, message: error.message } satisfies HostReply)
  )
})
