import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import type { Config } from '../config.js'
import { Problem } from '../problems.js'
import { sendProblem } from './errors.js'

const PROBES = new Set(['/healthz', '/readyz'])

/**
 * Abuse limits: requests per minute per API key (per address when anonymous), answered 429 with Retry-After;
 * load shedding with 503 when the event loop lags. Registered after the keys are read (plugins/auth).
 */
export default fp<{ config: Config }>(async function limits (app, { config }) {
  if (config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => request.actor ?? `ip:${request.ip}`,
      allowList: (request) => PROBES.has(request.url),
      errorResponseBuilder: (request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000))
        return new Problem('too-many-requests', `At most ${context.max} requests per minute for this ${request.actor ? 'key' : 'address'}; retry in ${seconds} s.`, undefined, { 'retry-after': String(seconds) })
      }
    })
  }
  if (config.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      sampleInterval: Math.min(1000, config.maxEventLoopDelayMs),
      retryAfter: 5,
      pressureHandler: (request, reply) => {
        sendProblem(request, reply, new Problem('service-unavailable', 'The service is overloaded; retry shortly.', undefined, { 'retry-after': '5' }))
      }
    })
  }
}, { name: 'limits', dependencies: ['auth'] })
