import { buildApp } from '../src/app.js'
import { parseConfig } from '../src/config.js'

/** The OpenAPI document exactly as the code generates it, serialised as committed in openapi/openapi.json. */
export async function generateOpenApi(): Promise<string> {
  const app = await buildApp({
    config: parseConfig({ dataDir: 'memory://openapi', migrateOnStart: false, logLevel: 'silent' })
  })
  try {
    await app.ready()
    return JSON.stringify(app.swagger(), null, 2) + '\n'
  } finally {
    await app.close()
  }
}
