import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { once } from 'node:events'
import t from 'tap'
import { keptFilesPath } from '../src/db/embedded-host.js'
import { freshDatabaseConfig } from './helpers/app.js'
import { nodeArgs } from './helpers/paths.js'

interface Running {
  child: ChildProcess
  base: string
  output: () => string
}

/** /readyz's body once it answers 200: the service listens before its database is migrated and set up. */
async function readiness(base: string): Promise<unknown> {
  for (const until = Date.now() + 60_000; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const res = await fetch(`${base}/readyz`)
    if (res.ok || Date.now() > until) return res.json()
  }
}

/** Starts the real server process (src/server.ts) on a free port and waits until it listens. */
async function startServer(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, nodeArgs('src/server.ts'), {
    // Load shedding reacts to the machine's load (other test files start servers too), not to what is tested here.
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout!.on('data', (chunk) => {
    output += chunk
  })
  child.stderr!.on('data', (chunk) => {
    output += chunk
  })
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + output)), 30_000)
    child.stdout!.on('data', () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.on('exit', () => {
      clearTimeout(timer)
      reject(new Error('server exited:\n' + output))
    })
  })
  return { child, base, output: () => output }
}

async function stop(server: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  const exited = once(server.child, 'exit')
  server.child.kill(signal)
  const [code] = await exited
  return code as number | null
}

t.test('embedded database: starts, serves docs, stops on SIGTERM, reuses its data on the next start', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sipas-data-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))

  const first = await startServer({ DATA_DIR: dataDir })
  const ready = (await readiness(first.base)) as any
  t.match(ready, { status: 'ready', database: 'pglite' })
  const docs = await fetch(`${first.base}/docs/`)
  t.equal(docs.status, 200)
  t.match(await docs.text(), /swagger/i)
  const spec = (await (await fetch(`${first.base}/openapi.json`)).json()) as any
  t.equal(spec.openapi, '3.1.0')
  t.equal(await stop(first), 0, 'clean exit on SIGTERM')
  t.match(first.output(), /shutting down/)

  const second = await startServer({ DATA_DIR: dataDir })
  const again = (await readiness(second.base)) as any
  t.same(again.migrations, ready.migrations, 'the same data folder, migrations not re-applied')
  t.equal(await stop(second, 'SIGINT'), 0, 'clean exit on SIGINT')
})

t.test(
  'a throw-away database starts although the kept copy of a fresh one will not load, which is made again',
  async (t) => {
    // The embedded host keeps a fresh database's files in the temporary folder for the machine's other processes.
    const temp = await mkdtemp(join(tmpdir(), 'sipas-tmp-'))
    t.teardown(() => rm(temp, { recursive: true, force: true }))
    const kept = join(temp, basename(keptFilesPath()))
    await writeFile(kept, 'not the files of a database')
    const server = await startServer({ DATA_DIR: 'memory://kept-copy', TMPDIR: temp })
    t.match(await readiness(server.base), { status: 'ready', database: 'pglite' })
    t.equal(await stop(server), 0)
    t.ok((await stat(kept)).size > 1_000_000, 'a whole copy in its place')
  }
)

t.test(
  'PostgreSQL through DATABASE_URL',
  { skip: !process.env.DATABASE_URL && 'DATABASE_URL is not set' },
  async (t) => {
    const config = await freshDatabaseConfig(t)
    const server = await startServer({
      DATABASE_URL: config.databaseUrl as string,
      PERSONAL_DATA_KEY: config.personalDataKey as string
    })
    const ready = (await readiness(server.base)) as any
    t.match(ready, { status: 'ready', database: 'postgres' })
    t.equal(await stop(server), 0)
  }
)

t.test('a bad configuration stops the process with a message naming the variable', async (t) => {
  const child = spawn(process.execPath, nodeArgs('src/server.ts'), {
    env: { PATH: process.env.PATH, PORT: 'eighty' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const [code] = await once(child, 'exit')
  t.equal(code, 1)
  t.match(stderr, /PORT="eighty"/)
})
