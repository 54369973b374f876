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
export {
  fourierBasis,
  fourierSummary,
  frequencyByStep,
  frequencyPower,
  neuronFrequencies,
  type FourierBasis,
  type FourierKind,
  type FourierSummary,
  type FourierSummaryOptions,
  type FrequencyByStep,
  type FrequencyPower,
  type NeuronFrequencies,
} from './fourier'
export { gini, ipr } from './concentration'
