/**
 * Runs every benchmark in its own child process (so that memory figures, JIT state and GC are separate),
 * one after the other, streams their output, then prints a summary from bench/results/*.json.
 *
 * The scoring benchmarks run compiled (tsconfig.bench.json → .bench-build/), as the service runs in
 * production (`npm start` runs dist/): under tsx's loader the same scoring code ran about 25% slower here,
 * while the tight loop beside it did not change. The others exercise the whole service and run under tsx.
 *
 * Usage: npm run bench [-- --only=province|national]
 * A new benchmark is one entry in BENCHES (its script writes bench/results/<result>); the summary shows its
 * figures.targets unless it has rows of its own below.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { RESULTS_DIR, round, table } from './lib.js'

interface Bench {
  name: string
  script: string
  nodeArgs: string[]
  result: string
  compiled?: true
}
const BENCHES: Bench[] = [
  { name: 'province', script: 'scoring-province.ts', nodeArgs: [], result: 'scoring-province.json', compiled: true },
  {
    name: 'national',
    script: 'scoring-national.ts',
    nodeArgs: ['--max-old-space-size=4096'],
    result: 'scoring-national.json',
    compiled: true
  },
  { name: 'greg', script: 'greg-intervals.ts', nodeArgs: [], result: 'greg-intervals.json', compiled: true },
  {
    name: 'calibration',
    script: 'scoring-calibration.ts',
    nodeArgs: [],
    result: 'scoring-calibration.json',
    compiled: true
  },
  { name: 'rank-sets', script: 'rank-sets.ts', nodeArgs: [], result: 'rank-sets.json', compiled: true },
  { name: 'sampling', script: 'sampling-draw.ts', nodeArgs: [], result: 'sampling-draw.json' },
  { name: 'ingestion', script: 'ingestion.ts', nodeArgs: [], result: 'ingestion.json' },
  { name: 'linking', script: 'linking.ts', nodeArgs: [], result: 'linking.json' },
  { name: 'public-read', script: 'public-read.ts', nodeArgs: [], result: 'public-read.json' },
  { name: 'compute', script: 'compute.ts', nodeArgs: [], result: 'compute.json' },
  { name: 'compute-reads', script: 'compute-reads.ts', nodeArgs: [], result: 'compute-reads.json' },
  // Ten minutes of mixed traffic: last, and left out with --only.
  { name: 'load', script: 'load.ts', nodeArgs: [], result: 'load.json' }
]

const { values: args } = parseArgs({ options: { only: { type: 'string' } } })
const selected = BENCHES.filter((b) => args.only === undefined || args.only.split(',').includes(b.name))
if (selected.length === 0)
  throw new Error(`unknown benchmark ${args.only}; known: ${BENCHES.map((b) => b.name).join(', ')}`)

const root = fileURLToPath(new URL('..', import.meta.url))
if (selected.some((b) => b.compiled)) {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.bench.json'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('tsc -p tsconfig.bench.json failed')
}
const ran: Array<{ bench: Bench; status: number | null; seconds: number }> = []
for (const bench of selected) {
  const script = bench.compiled
    ? [`.bench-build/bench/${bench.script.replace(/\.ts$/, '.js')}`]
    : ['--import', 'tsx', `bench/${bench.script}`]
  console.log(`\n=== ${bench.name}: node ${[...bench.nodeArgs, ...script].join(' ')}\n`)
  const t0 = performance.now()
  const child = spawnSync(process.execPath, [...bench.nodeArgs, ...script], { cwd: root, stdio: 'inherit' })
  ran.push({ bench, status: child.status, seconds: round((performance.now() - t0) / 1000) })
}

// Summary
const read = (file: string): any => {
  try {
    return JSON.parse(readFileSync(new URL(file, RESULTS_DIR), 'utf8'))
  } catch {
    return null
  }
}
const rows: string[][] = [['benchmark', 'figure', 'measured', 'target', 'met']]
const yes = (b: boolean | null | undefined) => (b === null || b === undefined ? '—' : b ? 'yes' : 'NO')
for (const { bench, status, seconds } of ran) {
  const r = read(bench.result)
  if (status !== 0 || r === null) {
    rows.push([bench.name, 'run', `failed (exit ${status})`, '', 'NO'])
    continue
  }
  const f = r.figures
  if (bench.name === 'province') {
    rows.push([
      'province',
      'computeIndices, 1M × 25, 1,001 domains (median)',
      `${f.computeIndices.medianMs} ms`,
      '< 150 ms',
      yes(f.targets.computeIndicesUnder150ms)
    ])
    rows.push([
      '',
      'phases: tally / domainTotals / rowScores / rest',
      `${f.phases.tallyMs} / ${f.phases.domainTotalsMs} / ${f.phases.rowScoresMs} / ${f.phases.restMs} ms`,
      '',
      ''
    ])
    rows.push(['', 'tight loop (median)', `${f.tightLoop.medianMs} ms`, '', ''])
    rows.push(['', 'ours / tight loop', `${f.ratios.oursOverTightLoop}×`, '≤ 3×', yes(f.targets.atMost3xTightLoop)])
    if (f.duckdb) {
      rows.push([
        '',
        `DuckDB query, ${f.duckdb.threadsDefault} threads / 1 thread (median)`,
        `${f.duckdb.queryMs} / ${f.duckdb.queryMs1Thread} ms`,
        '',
        ''
      ])
      rows.push([
        '',
        'DuckDB / ours',
        `${f.ratios.duckdbOverOurs} (1 thread: ${f.ratios.duckdb1ThreadOverOurs})`,
        '',
        ''
      ])
      rows.push(['', 'DuckDB load (appender)', `${f.duckdb.loadMs} ms`, '', ''])
      rows.push([
        '',
        'DuckDB = ours within 1e-9',
        `max |diff| ${Number(f.duckdb.check.maxAbsDiff).toExponential(1)}`,
        '≤ 1e-9',
        yes(f.duckdb.check.within1e9)
      ])
    }
    rows.push(['', 'peak RSS', `${f.maxRssMiB} MiB`, '', ''])
  } else if (bench.name === 'national') {
    const done = `${f.processedProvinces}/${f.provinces} provinces`
    rows.push([
      'national',
      `processing: pass one without generation + pass two (${done})`,
      `${round(f.processingMs / 1000, 2)} s`,
      '< 8 s',
      yes(f.targets.processingUnder8s)
    ])
    rows.push([
      '',
      'of which computeIndices / merge / pass two',
      `${round(f.pass1.computeIndicesMs / 1000, 1)} / ${round(f.pass1.mergeMs / 1000, 1)} / ${round((f.pass2?.ms ?? 0) / 1000, 1)} s`,
      '',
      ''
    ])
    rows.push([
      '',
      'wall time with generating the chunks',
      `${round(f.wallWithGenerationMs / 1000, 2)} s (generation ${round(f.pass1.generateMs / 1000, 1)} s)`,
      '',
      ''
    ])
    rows.push([
      '',
      'peak RSS: maxRSS / sampled',
      `${f.maxRssMiB} / ${f.peakRssSampledMiB} MiB`,
      '< 4,096 MiB',
      yes(f.targets.peakRssUnder4GiB)
    ])
  } else {
    // Any other benchmark: its figures.targets, one row each (a boolean per target).
    for (const [target, met] of Object.entries(f?.targets ?? {}))
      rows.push([bench.name, target, '', '', yes(met as boolean | null)])
  }
  rows.push(['', 'benchmark process wall time', `${seconds} s`, '', ''])
}
console.log('\n=== summary\n')
console.log(table(rows))
process.exitCode = ran.every((r) => r.status === 0) ? 0 : 1
