/**
 * fetch() with the manners the service asks of its clients: a 503 (shed, database unavailable) or a 429
 * (rate limit) carries `Retry-After`, and the request is sent again after that many seconds, a bounded number
 * of times and for a bounded total wait, saying so each time.
 */
export interface RetryPolicy {
  /** attempts in all, the first one included */
  maxAttempts: number
  /** the most the retries may wait altogether, in milliseconds */
  maxTotalWaitMs: number
  /** told before each wait, so a person sees why the script pauses */
  onRetry: (message: string) => void
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 8,
  maxTotalWaitMs: 120_000,
  onRetry: (message) => console.error(`  ↻ ${message}`)
}

const RETRIED = new Set([429, 503])
// When the header is missing or unreadable (an HTTP-date, a proxy's own 503), one second is a modest guess.
const FALLBACK_WAIT_MS = 1000

/** `Retry-After` in milliseconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (header === null) return FALLBACK_WAIT_MS
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? FALLBACK_WAIT_MS : Math.max(0, date - now)
}

export async function retryingFetch(
  url: string,
  init: RequestInit = {},
  policy: RetryPolicy = defaultRetryPolicy
): Promise<Response> {
  let waited = 0
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, init)
    if (!RETRIED.has(res.status) || attempt >= policy.maxAttempts) return res
    const wait = retryAfterMs(res.headers.get('retry-after'))
    if (waited + wait > policy.maxTotalWaitMs) return res
    await res.body?.cancel()
    policy.onRetry(
      `${init.method ?? 'GET'} ${new URL(url).pathname}: ${res.status}, retrying in ${wait / 1000} s (attempt ${attempt + 1} of ${policy.maxAttempts})`
    )
    await new Promise((resolve) => setTimeout(resolve, wait))
    waited += wait
  }
}
