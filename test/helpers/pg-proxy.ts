import { connect, createServer, type Socket } from 'node:net'
import { once } from 'node:events'
import { Writable } from 'node:stream'
import type { Test } from 'tap'
import { buildApp, type App } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { freshDatabaseConfig } from './app.js'

/**
 * A TCP proxy between the app and PostgreSQL, so that a test can take "the database" away from one app
 * without touching the shared server: cut every connection, refuse new ones (as a restarting or full server
 * does), and cut at a chosen point of a chosen statement.
 */
export interface PgProxy {
  /** The database URL through the proxy. */
  readonly url: string
  /** Destroys every open connection, both ways, as a crashed server or a broken network does. */
  cut: () => void
  /**
   * New connections are refused: reset at once, or, given a SQLSTATE, answered with that FATAL error as
   * PostgreSQL does (57P03 while it starts up, 53300 when it has no connection slot left).
   */
  refuse: (sqlstate?: string) => void
  /** New connections reach the server again. */
  reopen: () => void
  /**
   * Cuts every connection the next time a statement containing `text` passes: `before` it reaches the
   * server (nothing of it runs), or `after` it ran (its CommandComplete seen, so an autocommitted statement
   * is committed) but before its answer reaches the app. Resolves when the cut happened.
   */
  cutAt: (text: string, when: 'before' | 'after') => Promise<void>
  close: () => Promise<void>
}

/** Whether `text` is in `chunk`, or straddles it and the previous chunk's `tail`. */
const spans = (tail: Buffer, chunk: Buffer, text: string) => Buffer.concat([tail, chunk]).includes(text)
const tailOf = (chunk: Buffer) => chunk.subarray(Math.max(0, chunk.length - 64))

/** ReadyForQuery: the server finished the statement (and committed it, outside a transaction). */
const READY = '\x5a\0\0\0\x05'

/** A FATAL ErrorResponse message of the PostgreSQL protocol. */
function fatal(sqlstate: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlstate}\0Msimulated by the test proxy\0\0`)
  const header = Buffer.alloc(5)
  header.write('E', 0)
  header.writeInt32BE(4 + fields.length, 1)
  return Buffer.concat([header, fields])
}

export async function startPgProxy(databaseUrl: string): Promise<PgProxy> {
  const target = new URL(databaseUrl)
  const open = new Set<Socket>()
  let refusing: { sqlstate?: string } | null = null
  let trap: { text: string; when: 'before' | 'after'; fired: () => void } | null = null

  const cut = () => {
    for (const socket of open) socket.destroy()
    open.clear()
  }

  const server = createServer((app) => {
    app.on('error', () => {})
    if (refusing) {
      const { sqlstate } = refusing
      if (sqlstate === undefined) app.resetAndDestroy()
      else app.once('data', () => app.end(fatal(sqlstate)))
      return
    }
    const db = connect(Number(target.port || 5432), target.hostname)
    db.on('error', () => {})
    open.add(app).add(db)
    // Set on this connection once the trapped statement went through: the server's answer is then held
    // back until its ReadyForQuery shows the statement ran.
    let ran: (() => void) | null = null
    let sent: Buffer = Buffer.alloc(0)
    let answered: Buffer = Buffer.alloc(0)
    app.on('data', (chunk: Buffer) => {
      if (trap && spans(sent, chunk, trap.text)) {
        const { when, fired } = trap
        trap = null
        if (when === 'before') {
          cut()
          fired()
          return
        }
        ran = fired
      }
      sent = tailOf(chunk)
      db.write(chunk)
    })
    db.on('data', (chunk: Buffer) => {
      if (ran === null) {
        app.write(chunk)
        return
      }
      if (spans(answered, chunk, READY)) {
        const fired = ran
        ran = null
        cut()
        fired()
      }
      answered = tailOf(chunk)
    })
    const close = () => {
      app.destroy()
      db.destroy()
      open.delete(app)
      open.delete(db)
    }
    app.on('close', close)
    db.on('close', close)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const url = new URL(databaseUrl)
  url.hostname = '127.0.0.1'
  url.port = String(port)

  return {
    url: url.toString(),
    cut,
    refuse: (sqlstate) => {
      refusing = { sqlstate }
    },
    reopen: () => {
      refusing = null
    },
    cutAt: (text, when) =>
      new Promise((resolve) => {
        trap = { text, when, fired: resolve }
      }),
    close: async () => {
      cut()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/**
 * An app on a fresh PostgreSQL database reached through a proxy; `direct` is the database's own URL (for
 * checks that must not depend on the proxy), `logs` the app's log lines. Closed at teardown.
 */
export async function appThroughProxy(
  t: Test,
  overrides: Partial<Config> = {}
): Promise<{ app: App; proxy: PgProxy; direct: string; logs: () => Array<Record<string, unknown>> }> {
  const config = await freshDatabaseConfig(t, { logLevel: 'info', ...overrides })
  const direct = config.databaseUrl as string
  const proxy = await startPgProxy(direct)
  const lines: string[] = []
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    }
  })
  const app = await buildApp({ config: { ...config, databaseUrl: proxy.url }, logStream })
  t.teardown(async () => {
    await app.close()
    await proxy.close()
  })
  await app.ready()
  await app.databaseReady
  return {
    app,
    proxy,
    direct,
    logs: () =>
      lines
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
  }
}
