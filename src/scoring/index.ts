// The scoring core's public surface: pure functions over a columnar batch, no I/O, no framework.
export { MISSING, designOfBatch, type Design, type ResponseBatch } from './batch.js'
export { breakdownIndices, type BreakdownCategory, type CodedCategories } from './breakdowns.js'
export { computeIndices, domainResult, planOf, scoreBatch, type DomainResult, type IndexResult } from './compute.js'
export { inSharedMemory, runShare, scoreInShares, type ShareStep, type ShareJob } from './shares.js'
export { domainContrasts, domainDifference, type ContrastTerm } from './contrasts.js'
export { differencesFromWhole, type WholeDifference } from './whole-differences.js'
export { domainTotals, indexVariance, pointEstimate, type Domain, type DomainTotals } from './estimate.js'
export { proportionInterval, type Interval, type IntervalMethod } from './intervals.js'
export {
  Instrument,
  InstrumentError,
  answerColumns,
  questionnaireMismatches,
  unionOfQuestionnaires,
  validateInstrument
} from './instrument.js'
export { ScoringOptions, OptionsError, indexSpecs, scoringOptions, slotCount } from './methods.js'
export {
  calibrateWeights,
  CalibrationError,
  CalibrationVariableError,
  CellWithoutRespondentsError,
  CellWithoutTotalError,
  MarginTotalsError,
  RakingConvergenceError,
  type CalibratedWeights,
  type CalibrationMethod,
  type CalibrationSpec,
  type CalibrationVariables,
  type CodedValues,
  type Margin
} from './calibration.js'
export { codeGeneration, kernelText, type KernelSource } from './kernel.js'
export { kernelSources, printKernels } from './kernel-sources.js'
export { indexPlan, type IndexPlan } from './plan.js'
export { qualityFlags, type QualityFlag } from './quality.js'
export {
  againstTarget,
  changesAgainstPrevious,
  difference,
  parPoints,
  pointRanks,
  rankEveryIndex,
  rankSetInputs,
  rankUnits,
  yearOverYear,
  ParRule,
  type PointRanked,
  type RankChange,
  type RankSet,
  type Ranked,
  type RankedFigure
} from './rankings.js'
export {
  marginalShown,
  RANK_SET_DRAWS,
  RANK_SET_SEED,
  rankSetsOf,
  type RankSetMethod,
  type RankSetOptions,
  type RankSets,
  type Shown
} from './rank-sets.js'
export { codedRows, rowScorePlan, rowScores, withRowScores, type CodedRows, type RowScorePlan } from './rows.js'
export { STANDARD_INSTRUMENT } from './standard-instrument.js'
export { addTallies, mergeTallies, rollUpTallies, tally, type Tallies } from './tally.js'
export { LonelyPsuError, type LonelyPsuRule } from './variance.js'
