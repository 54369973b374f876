// Plain result types of the engine's analyses, shared by the lab, the API and the page. The lab
// computes them (src/lab/analysis, src/lab/sweeps); nothing here computes anything.

/** Thresholds of the clocks (SCIENCE.md "Clocks"); every clock is recomputed when they change. */
export interface ClockThresholds {
  /** T_fit(ε): train cross-entropy ≤ ε. */
  epsilon: number
  /** T_mem / T_gen: train / test accuracy ≥ this. */
  accuracy: number
  /** T_struct(δ): structural energy stays within relative δ of its final value. */
  delta: number
  /** T_freeze: ReLU pattern churn stays below this. */
  churn: number
}

export interface Clocks {
  thresholds: ClockThresholds
  T_fit: number | null
  T_margin: number | null
  T_mem: number | null
  T_gen: number | null
  T_struct: number | null
  T_freeze: number | null
  /** T_gen − T_mem: how long generalization lagged memorization. */
  delay: number | null
  /** T_gen / T_mem. */
  ratio: number | null
}

export interface FourierSummary {
  p: number
  /** Non-constant frequencies 1…⌊p/2⌋; power and share are aligned with this. */
  frequencies: number[]
  power: number[]
  /** power / Σ power over the non-constant frequencies (the constant is excluded). */
  share: number[]
  constantPower: number
  /** All power including the constant: ‖E‖_F². */
  totalPower: number
  /** The strongest frequencies above the largest gap in the sorted spectrum; none when flat. */
  keyFrequencies: number[]
  topK: number
  /** Summed share of the topK strongest frequencies. */
  topKShare: number
  /** Gini of the per-frequency norms √power: 0 flat, (F−1)/F for a single frequency. */
  gini: number
  /** Σn⁴/(Σn²)² of the per-frequency norms: 1/F flat, 1 for a single frequency. */
  ipr: number
}

/** Ordinary least squares y = a + b·x with a 95% confidence interval for the slope. */
export interface LinearFit {
  slope: number
  intercept: number
  /** 95% interval of the slope (Student t, n − 2 degrees of freedom); null with fewer than 3 points. */
  slopeInterval: [number, number] | null
  r2: number
  n: number
}

/** Liu et al.'s phases of a run: what it did by the end of its budget. */
export type Phase = 'no fit' | 'memorized' | 'grokked' | 'generalized without delay'

export interface SweepReportRun {
  runId: number
  status: string
  point: Record<string, unknown>
  clocks: Clocks
  phase: Phase
}

export interface ClockFit {
  clock: string
  key: string
  form: 'power' | 'log'
  /** Values of the other swept keys this fit holds fixed. */
  fixed: Record<string, unknown>
  fit: LinearFit | null
  predicted: { value: number; source: string } | null
  /** Runs whose clock never fired within the budget (left out of the fit). */
  censored: number
}

export interface SweepReport {
  sweepId: number
  name: string
  keys: string[]
  runs: SweepReportRun[]
  fits: ClockFit[]
  /** T_fit(ε) − T_margin against log(1/ε), pooled over runs: TC predicts a straight line. */
  fitClock: { epsilons: number[]; fit: LinearFit | null }
  phases: Record<Phase, number>
}

export interface TensorSpectrum {
  tensor: string
  rows: number
  cols: number
  topSingularValues: number[]
  nuclearNorm: number
  effectiveRank: number
  stableRank: number
}

export interface RunAnalysis {
  runId: number
  /** The snapshot step the weight analyses read. */
  step: number
  clocks: Clocks
  /** The last value of every metric. */
  final: Record<string, number>
  /** Fourier views over the token axis; null for systems without tokens (linear nets, regression). */
  fourier: {
    embedding: FourierSummary
    neurons: { dominantFrequencyCounts: Record<string, number>; meanFraction: number }
    unembed: FourierSummary
    outputMap?: FourierSummary
    /** Share of each key frequency (of the analysed step) across all snapshots. */
    keyFrequencyByStep: { steps: number[]; frequencies: number[]; share: number[][] }
  } | null
  spectra: TensorSpectrum[]
}
