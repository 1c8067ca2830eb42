/** Idle threads of a pool end after this long: a server that computes rarely holds none. */
export const IDLE_MS = 60_000

/**
 * The options that tell a piscina pool its worker module, `name` beside `base` (the caller's import.meta.url):
 * from the compiled service the .js itself; from the sources (tests, tsx) a bootstrap that loads the .ts
 * through tsx (Node 20 gives workers none of the parent's loader hooks).
 */
export function workerModule(name: string, base: string): { filename: string; workerData?: { source: string } } {
  // A module tsx loaded in a worker has a query after its path (?tsx-namespace=…): the path tells.
  if (!new URL(base).pathname.endsWith('.ts')) return { filename: new URL(`./${name}.js`, base).href }
  return {
    filename: new URL('./worker-sources.mjs', import.meta.url).href,
    workerData: { source: new URL(`./${name}.ts`, base).href }
  }
}
