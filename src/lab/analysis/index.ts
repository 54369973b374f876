// Pure analysis of weight snapshots: plain arrays in, plain numbers and objects out.
export {
  assertDenseMatrix,
  denseMatrix,
  fromMatrix,
  frobeniusSquared,
  identity,
  matmul,
  matmulChain,
  scale,
  toMatrix,
  transpose,
  type DenseMatrix,
} from './dense-matrix'
export {
  effectiveRank,
  nuclearNorm,
  schattenNorm,
  schattenPowerSum,
  singularValues,
  spectralNorm,
  spectralSummary,
  stableRank,
  type SpectralSummary,
  type SpectralSummaryOptions,
  type SpectrumSource,
} from './spectral'
export {
  balancednessGap,
  deepLinearSummary,
  endToEnd,
  schattenFloor,
  structuralEnergy,
  type DeepLinearSummary,
} from './deep-linear'
export { fourierBasis, type FourierBasis, type FourierKind } from './fourier-basis'
export {
  fourierSummary,
  frequencyByStep,
  frequencyPower,
  type FourierSummary,
  type FourierSummaryOptions,
  type FrequencyByStep,
  type FrequencyPower,
} from './fourier'
export { neuronFrequencies, type NeuronFrequencies } from './neuron-frequencies'
export { gini, ipr } from './concentration'
export { computeClocks, DEFAULT_THRESHOLDS, firstStepStaying, firstStepWhere, type ClockThresholds, type Clocks } from './clocks'
