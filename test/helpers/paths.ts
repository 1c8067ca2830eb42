import { fileURLToPath } from 'node:url'

// `npm test` runs the tests compiled into .test-build/ (tsconfig.test-build.json: tap's TypeScript loader costs
// seconds per file); `npx tap test/x.test.ts` runs one from its sources. Both find the repository's files alike.
const compiled = !import.meta.url.endsWith('.ts')
const repository = new URL(compiled ? '../../../' : '../../', import.meta.url)

/** A file of the repository that is not compiled: fixtures, the committed OpenAPI document, sources read as text. */
export const repoPath = (path: string): string => fileURLToPath(new URL(path, repository))

/** Node's arguments that run one of our programs (`src/server.ts`): its compiled form when the tests are compiled. */
export const nodeArgs = (program: string): string[] =>
  compiled
    ? [fileURLToPath(new URL(program.replace(/\.ts$/, '.js'), new URL('../../', import.meta.url)))]
    : ['--import', 'tsx', repoPath(program)]
