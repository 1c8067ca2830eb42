// A worker pool's thread when the service runs from its TypeScript sources (tests, tsx): Node 20 workers do
// not inherit the parent's `--import tsx`, so this loads the pool's worker module (piscina's workerData,
// workerModule in worker-module.ts) through tsx's API.
import { workerData } from 'piscina'
import { tsImport } from 'tsx/esm/api'

const worker = await tsImport(workerData.source, import.meta.url)
export default worker.default
