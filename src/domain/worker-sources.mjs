// The compute pool's worker when the service runs from its TypeScript sources (tests, tsx): Node 20 workers do
// not inherit the parent's `--import tsx`, so this loads compute-worker.ts through tsx's API.
import { tsImport } from 'tsx/esm/api'

const worker = await tsImport('./compute-worker.ts', import.meta.url)
export default worker.default
