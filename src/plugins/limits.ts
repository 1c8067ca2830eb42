import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { Problem } from '../problems.js'

const PROBES = new Set(['/healthz', '/readyz'])
type UnderPressureHandler = NonNullable<FastifyUnderPressureOptions['pressureHandler']>

/**
 * Abuse limits: requests per minute per API key (per address when anonymous), answered 429 with Retry-After;
 * load shedding with 503 when the event loop lags while requests pile up. The health probes are exempt from both. Registered after
 * the keys are read (plugins/auth).
 */
export default fp<{ config: Config }>(
  async function limits(app, { config }) {
    if (config.rateLimitPerMinute > 0) {
      await app.register(rateLimit, {
        max: config.rateLimitPerMinute,
        timeWindow: 60_000,
        keyGenerator: (request) => request.actor ?? `ip:${request.ip}`,
        allowList: (request) => PROBES.has(request.url),
        errorResponseBuilder: (request, context) => {
          const seconds = Math.max(1, Math.ceil(context.ttl / 1000))
          return new Problem(
            'too-many-requests',
            `At most ${context.max} requests per minute for this ${request.actor ? 'key' : 'address'}; retry in ${seconds} s.`,
            undefined,
            { 'retry-after': String(seconds) }
          )
        }
      })
    }
    if (config.maxEventLoopDelayMs > 0) {
      // A lagging loop alone does not mean requests queue: one client's previous request may have caused it.
      // Requests are shed only when many are in flight as well. Counted before under-pressure's own hook.
      let inFlight = 0
      app.addHook('onRequest', async (request, reply) => {
        inFlight++
        reply.raw.once('close', () => inFlight--)
      })
      await app.register(underPressure, {
        maxEventLoopDelay: config.maxEventLoopDelayMs,
        sampleInterval: Math.min(1000, config.maxEventLoopDelayMs),
        retryAfter: 5,
        // Probes pass (a slow start must not look like a dead process); the rest get the problem, which the
        // plugin sends when the handler returns it (its types say void, its code sends any value returned).
        pressureHandler: ((request: FastifyRequest) =>
          PROBES.has(request.url) || inFlight <= config.shedAboveInFlight
            ? undefined
            : new Problem('service-unavailable', 'The service is overloaded; retry shortly.', undefined, {
                'retry-after': '5'
              })) as unknown as UnderPressureHandler
      })
    }
  },
  { name: 'limits', dependencies: ['auth'] }
)
