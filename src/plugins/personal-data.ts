import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { personalDataKey, sealer, type Sealer } from '../domain/personal-data.js'

declare module 'fastify' {
  interface FastifyInstance {
    sealer: Sealer
  }
}

export default fp<{ config: Config }>(
  async function personalData(app, { config }) {
    app.decorate('sealer', sealer(await personalDataKey(config)))
  },
  { name: 'personal-data', dependencies: ['database'] }
)
