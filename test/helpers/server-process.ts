import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import type { App } from '../../src/app.js'
import type { Send } from './deliveries.js'
import { httpRequest } from './deliveries.js'
import { nodeArgs } from './paths.js'

export interface ServerProcess {
  child: ChildProcess
  base: string
  exited: Promise<unknown>
}

/** A port free right now, for a server that must come back on the same address after a restart. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Starts the real server process (src/server.ts) with `env` on `port`, and waits until `probe` answers 200:
 * /readyz (the database migrated and set up) unless the test starts it without a database on purpose.
 */
export async function startServer(
  port: number,
  env: Record<string, string>,
  probe: '/readyz' | '/healthz' = '/readyz'
): Promise<ServerProcess> {
  const child = spawn(process.execPath, nodeArgs('src/server.ts'), {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = once(child, 'exit')
  const base = `http://127.0.0.1:${port}`
  for (const until = Date.now() + 60_000; ;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${stderr}`)
    if (Date.now() > until) {
      child.kill('SIGKILL')
      throw new Error('the server did not start:\n' + stderr)
    }
    if (
      await fetch(base + probe).then(
        (res) => res.ok,
        () => false
      )
    )
      return { child, base, exited }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The running server as the `app.inject` that the test helpers call (seedProvince, collectingCampaign), over HTTP. */
export function overHttp(base: string): App {
  const inject = async ({
    method,
    url,
    headers = {},
    payload
  }: {
    method: string
    url: string
    headers?: Record<string, string>
    payload?: unknown
  }) => {
    const res = await fetch(base + url, {
      method,
      headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload)
    })
    const body = await res.text()
    return { statusCode: res.status, body, json: () => JSON.parse(body) }
  }
  return { inject } as unknown as App
}

/** Posts deliveries to the running server with the client's key; rejects when the connection is lost. */
export function httpSend(base: string, key: Record<string, string>): Send {
  return async (delivery) => {
    const { url, contentType, payload } = httpRequest(delivery)
    const res = await fetch(base + url, {
      method: 'POST',
      headers: { ...key, 'content-type': contentType },
      body: payload
    })
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() }
  }
}
