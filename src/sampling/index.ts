export { SamplingError, type SamplingErrorCode } from './errors.js'
export { compareCodePoints, stratumSizes, type FrameRecord } from './frame.js'
export { RandomStream, murmur3, streamFor } from './random.js'
export {
  cochranSampleSize,
  inflateForResponse,
  roundUp,
  sampleSizePlan,
  yamaneSampleSize,
  zForConfidence,
  type CochranOptions,
  type SampleSizePlan,
  type SampleSizeRequest
} from './size.js'
export {
  allocate,
  type AllocationMethod,
  type AllocationOptions,
  type StratumAllocation,
  type StratumSpec
} from './allocation.js'
export {
  drawSample,
  inclusionProbabilities,
  type DrawMethod,
  type DrawPlan,
  type SampleDraw,
  type SelectedUnit,
  type StratumDraw
} from './draw.js'
export { summariseProgress, type FieldOutcome, type FieldStatus, type StratumProgress } from './progress.js'
export { respondentWeight, stratifiedWeights, type StratifiedWeights } from './weights.js'
