import { Worker } from 'node:worker_threads'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HostReply, HostRequest } from './embedded-host.js'

/** The PostgreSQL socket file name pg derives from a host folder and a port (`<dir>/.s.PGSQL.<port>`). */
const SOCKET_PORT = 5432

export interface EmbeddedServer {
  /** A `pg` connection config reaching this database through its Unix socket. */
  readonly connection: { host: string; port: number; user: string; database: string }
  stop: () => Promise<void>
}

type Pending = { resolve: () => void; reject: (error: Error) => void }

/** One worker per process hosts every embedded database, so PGlite's WebAssembly is compiled once. */
let host: { worker: Worker; pending: Map<number, Pending>; served: number } | null = null
let nextId = 1

function hostWorker(): NonNullable<typeof host> {
  if (host) return host
  const worker = import.meta.url.endsWith('.ts')
    ? // From the sources (tsx, tap), Node 20 gives a worker none of the parent's loader hooks: tsx loads the entry.
      new Worker(
        `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(new URL('./embedded-host.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`,
        { eval: true }
      )
    : new Worker(new URL('./embedded-host.js', import.meta.url))
  const pending = new Map<number, Pending>()
  worker.on('message', (reply: HostReply) => {
    const waiting = pending.get(reply.id)
    pending.delete(reply.id)
    if (reply.ok) waiting?.resolve()
    else waiting?.reject(new Error(`embedded database: ${reply.message}`))
  })
  worker.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error)
    pending.clear()
  })
  worker.on('exit', () => {
    if (host?.worker === worker) host = null
  })
  host = { worker, pending, served: 0 }
  return host
}

/** A request without its id (spread over the union, which `Omit` alone would merge). */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never

function ask(request: Unnumbered<HostRequest>): Promise<void> {
  const { worker, pending } = hostWorker()
  const id = nextId++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject })
    worker.postMessage({ ...request, id })
  })
}

/**
 * Starts PGlite on `dataDir` (a folder, or `memory://…`) in the host worker and serves it on a Unix socket in
 * a temporary folder of its own. The worker keeps the process alive only while a database is open.
 */
export async function startEmbeddedServer(dataDir: string, maxConnections: number): Promise<EmbeddedServer> {
  const folder = await mkdtemp(join(tmpdir(), 'sipas-pglite-'))
  const socketPath = join(folder, `.s.PGSQL.${SOCKET_PORT}`)
  const worker = hostWorker()
  worker.served++
  worker.worker.ref()
  try {
    await ask({ op: 'open', dataDir, socketPath, maxConnections })
  } catch (error) {
    await release(folder)
    throw error
  }
  let stopped: Promise<void> | null = null
  return {
    connection: { host: folder, port: SOCKET_PORT, user: 'postgres', database: 'postgres' },
    stop: () => (stopped ??= ask({ op: 'close', socketPath }).finally(() => release(folder)))
  }
}

async function release(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true })
  if (host && --host.served === 0) host.worker.unref()
}
