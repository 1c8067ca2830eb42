import fp from 'fastify-plugin'
import helmet from 'helmet'

/**
 * Security headers on every answer (helmet's defaults: a strict Content-Security-Policy, nosniff, framing
 * by the same origin only, no referrer, HSTS), except that resources may be read cross-origin: provincial
 * portals fetch published results from their own origins (CORS decides who may read them).
 *
 * helmet's middleware is made once and run on each request. @fastify/helmet made it anew for every request
 * (its per-route options, which this service does not use): parsing the policy's directives each time cost a
 * trivial route a third of its throughput (/healthz 12,000–14,000 → 17,000–21,000 req/s, same run).
 */
export default fp(
  async function headers(app) {
    const secure = helmet({ crossOriginResourcePolicy: { policy: 'cross-origin' } })
    app.addHook('onRequest', (request, reply, done) =>
      secure(request.raw, reply.raw, (error) => done(error as Error | undefined))
    )
  },
  { name: 'headers' }
)
