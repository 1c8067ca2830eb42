/**
 * Promises by key, so that callers asking for the same thing together share one load. A load that fails is
 * forgotten (the next caller tries again) rather than remembered; `ttlMs` bounds how long a success is kept,
 * `maxEntries` how many (past it, the cache starts afresh).
 */
export class PromiseCache<V> {
  readonly #entries = new Map<string, { value: Promise<V>; until: number }>()

  constructor(private readonly options: { ttlMs?: number; maxEntries?: number } = {}) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.#entries.get(key)
    if (entry && entry.until >= Date.now()) return entry.value
    const value = load()
    if (this.options.maxEntries !== undefined && this.#entries.size > this.options.maxEntries) this.#entries.clear()
    this.#entries.set(key, { value, until: Date.now() + (this.options.ttlMs ?? Infinity) })
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key)
    })
    return value
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }
}
