/**
 * Runs the demo N times, one after another, and counts the runs that completed:
 *
 *   npm run demo:count -- --runs 10                    each run on its own embedded service
 *   npm run demo:count -- --runs 10 --api URL          against a running service (ADMIN_API_KEY from the environment)
 *
 * Prints `k/N completed` and each failure's reason; the exit code is 1 when any run failed.
 */
import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, api: { type: 'string' } }
})
const runs = Number(values.runs)
if (!Number.isInteger(runs) || runs < 1) {
  console.error('demo:count: --runs takes a whole number of runs, at least 1')
  process.exit(2)
}
const env = { ...process.env, ...(values.api ? { API: values.api } : {}) }
// An embedded run takes a free port itself, so a service already on 3000 does not get in its way.
if (!values.api) delete env.API

interface Run {
  ok: boolean
  seconds: number
  reason: string
}

function runDemo(): Promise<Run> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--exit'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => {
      const lines = stderr.split('\n').filter((line) => line.trim() && !line.includes('↻'))
      const retries = stderr.split('\n').filter((line) => line.includes('↻')).length
      resolve({
        ok: code === 0,
        seconds: (performance.now() - started) / 1000,
        reason:
          code === 0
            ? `${retries} retries`
            : `exit ${code}: ${lines.find((line) => /Error|demo:/.test(line)) ?? lines.at(-1) ?? 'no message'}`
      })
    })
  })
}

const results: Run[] = []
for (let i = 1; i <= runs; i++) {
  const run = await runDemo()
  results.push(run)
  console.log(`run ${i}/${runs}: ${run.ok ? 'completed' : 'FAILED'} in ${run.seconds.toFixed(1)} s (${run.reason})`)
}
const completed = results.filter((run) => run.ok).length
console.log(`\n${completed}/${runs} completed`)
results.forEach((run, i) => {
  if (!run.ok) console.log(`  run ${i + 1}: ${run.reason}`)
})
process.exit(completed === runs ? 0 : 1)
