import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'

/**
 * Security headers on every answer (helmet's defaults: a strict Content-Security-Policy, nosniff, framing
 * by the same origin only, no referrer, HSTS), except that resources may be read cross-origin: provincial
 * portals fetch published results from their own origins (CORS decides who may read them).
 */
export default fp(
  async function headers(app) {
    await app.register(helmet, { crossOriginResourcePolicy: { policy: 'cross-origin' } })
  },
  { name: 'headers' }
)
