import closeWithGrace from 'close-with-grace'
import pino from 'pino'
import { ConfigError, loadConfig } from './config.js'
import { buildApp } from './app.js'

// Process wiring only: configuration, the app, the port, the signals. What goes wrong is one JSON log line.
let config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exit(1)
}

let app
try {
  app = await buildApp({ config })
} catch (err) {
  pino({ level: config.logLevel }).fatal({ err }, 'could not start')
  process.exit(1)
}

// SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the database (the app's onClose).
closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal }, 'shutting down')
  await app.close()
})

try {
  const address = await app.listen({ port: config.port, host: config.host })
  app.log.info({ docs: `${address}/docs`, openapi: `${address}/openapi.json` }, 'the API and its documentation')
} catch (err) {
  const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
  app.log.fatal(
    taken ? { port: config.port } : { err },
    taken ? `port ${config.port} is taken (another service running?); set PORT to a free one` : 'could not listen'
  )
  await app.close()
  process.exit(1)
}
