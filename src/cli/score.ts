import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  STANDARD_INSTRUMENT,
  answerColumns,
  calibrateWeights,
  computeIndices,
  indexPlan,
  indexSpecs,
  printKernels,
  scoringOptions,
  slotCount,
  validateInstrument,
  type CalibrationSpec,
  type DomainResult,
  type IndexResult,
  type Instrument
} from '../scoring/index.js'
import { loadCalibration } from './calibration-options.js'
import { readResponsesCsv } from './responses-csv.js'
import { figure } from '../domain/results.js'

const USAGE = 'usage: npm run score -- <responses.csv> [--options options.json] | --kernels [--options options.json]'

/** Figures in percent, unrounded, as the service publishes them: a statistician compares to the last digit. */
const byKind = (domain: DomainResult) => {
  const pick = (kinds: string[]) =>
    Object.fromEntries(
      domain.indices.filter((i) => kinds.includes(i.kind) && i.estimate !== null).map((i) => [i.code, figure(i)])
    )
  const overall = domain.indices.find((i) => i.kind === 'overall') as IndexResult
  return {
    rows: domain.rows,
    overall: figure(overall),
    factors: pick(['factor']),
    criteria: pick(['criterion']),
    other: pick(['satisfaction', 'perception', 'expectation', 'mean-score'])
  }
}

/**
 * Options file: the scoring options, plus `instrument` (a path relative to the file, or the definition itself)
 * and `calibration` (method and margins, each margin's totals a CSV relative to the file).
 */
function loadOptions(path: string | undefined): {
  instrument: Instrument
  options: ReturnType<typeof scoringOptions>
  calibration?: CalibrationSpec
} {
  if (!path) return { instrument: STANDARD_INSTRUMENT, options: scoringOptions() }
  const { instrument, calibration, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as {
    instrument?: unknown
    calibration?: unknown
  }
  const definition =
    typeof instrument === 'string'
      ? JSON.parse(readFileSync(resolve(dirname(path), instrument), 'utf8'))
      : (instrument ?? STANDARD_INSTRUMENT)
  return {
    instrument: validateInstrument(definition),
    options: scoringOptions(rest),
    calibration: calibration === undefined ? undefined : loadCalibration(calibration, path)
  }
}

export interface Output {
  out: (text: string) => void
  err: (text: string) => void
}
const STDIO: Output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text + '\n') }

/** The kernels compiled for every answer column of the instrument under the options, as compiled. */
function printInstrumentKernels(optionsPath: string | undefined, io: Output): number {
  try {
    const { instrument, options } = loadOptions(optionsPath)
    const columns = answerColumns(instrument)
    io.out(printKernels(indexPlan(indexSpecs(instrument, options, columns), columns, slotCount(instrument))))
    return 0
  } catch (error) {
    io.err(`${optionsPath}: ${(error as Error).message}`)
    return 2
  }
}

export function main(argv: string[], io: Output = STDIO): number {
  let csvPath: string
  let optionsPath: string | undefined
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      options: { options: { type: 'string' }, kernels: { type: 'boolean', default: false } },
      allowPositionals: true
    })
    optionsPath = values.options
    if (values.kernels && positionals.length === 0) return printInstrumentKernels(optionsPath, io)
    if (values.kernels || positionals.length !== 1) throw new Error(USAGE)
    csvPath = positionals[0]
  } catch (error) {
    io.err((error as Error).message.includes('usage') ? USAGE : `${(error as Error).message}\n${USAGE}`)
    return 2
  }
  try {
    const { instrument, options, calibration } = loadOptions(optionsPath)
    const marginVariables = [...new Set(calibration?.margins.flatMap((m) => m.by) ?? [])]
    const { batch, design, variables } = readResponsesCsv(readFileSync(csvPath, 'utf8'), instrument, marginVariables)
    const domains = [{ id: 'all', units: batch.units }, ...batch.units.map((u) => ({ id: u, units: [u] }))]
    const calibrated = calibration && calibrateWeights(batch, variables, calibration)
    const [all, ...units] = computeIndices(batch, design, instrument, options, domains, { calibration: calibrated })
    const output = {
      instrument: { code: instrument.code, version: instrument.version },
      options,
      design: {
        rows: batch.size,
        strata: design.strata.length,
        clustered: design.psus !== null,
        psus: design.psuCount.reduce((a, b) => a + b, 0),
        fpc: design.fpc.some((f) => f !== null)
      },
      all: byKind(all),
      units: units.map((u) => ({ unit: u.domain, ...byKind(u) }))
    }
    io.out(JSON.stringify(output, null, 2) + '\n')
    return 0
  } catch (error) {
    io.err(`${csvPath}: ${(error as Error).message}`)
    return 2
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2))
