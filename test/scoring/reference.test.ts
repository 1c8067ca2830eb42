import { spawnSync } from 'node:child_process'
import t from 'tap'
import { codeGeneration } from '../../src/scoring/index.js'
import { nodeArgs } from '../helpers/paths.js'
import { scoreFixtures } from './score-fixtures.js'

/** Every number of `actual` within 1e-12 of `expected` (relative above 1), every other value equal: the paths that differ. */
function differences(actual: unknown, expected: unknown, path = ''): string[] {
  if (typeof actual === 'number' && typeof expected === 'number')
    return Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected))
      ? []
      : [`${path}: ${actual} vs ${expected}`]
  if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)])
    return [...keys].flatMap((k) =>
      differences((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}/${k}`)
    )
  }
  return actual === expected ? [] : [`${path}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`]
}

t.test('a process that may not compile code gets every figure of the compiled passes, from the formulas', async (t) => {
  t.ok(codeGeneration, 'this process compiles the kernels')
  const run = spawnSync(
    process.execPath,
    ['--disallow-code-generation-from-strings', ...nodeArgs('test/scoring/score-fixtures.ts')],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20
    }
  )
  t.equal(run.status, 0, run.stderr)
  const child = JSON.parse(run.stdout)
  t.equal(child.codeGeneration, false, 'the child may not compile code')
  const compiled = scoreFixtures()
  t.equal(child.scored.length, compiled.length)
  t.same(differences(child.scored, JSON.parse(JSON.stringify(compiled))), [], 'every figure within 1e-12')
  const figures = JSON.stringify(compiled).match(/"estimate":[-0-9]/g)?.length ?? 0
  t.ok(figures > 1000, `${figures} estimates compared`)
})
