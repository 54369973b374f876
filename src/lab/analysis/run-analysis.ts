import type { RunStore } from '../store/run-store'
import type { RunAnalysis } from '../../shared/analysis-types'
import { computeClocks, type ClockThresholds } from './clocks'
import { fourierSummary, frequencyByStep } from './fourier'
import { neuronFrequencies } from './neuron-frequencies'
import { spectralSummary } from './spectral'
import { tensorMatrix, tokenViews } from './weight-views'
import type { TensorData } from '../training/trainer'

export type { RunAnalysis, TensorSpectrum } from '../../shared/analysis-types'

/** Clocks, final measurements, Fourier and spectral views of a stored run at a snapshot (default the last). */
export function analyzeRun(store: RunStore, runId: number, opts: { step?: number; thresholds?: Partial<ClockThresholds> } = {}): RunAnalysis {
  const run = store.getRun(runId)
  const series = store.readSeries(runId)
  const snapshotSteps = store.snapshotSteps(runId)
  const step = opts.step ?? snapshotSteps[snapshotSteps.length - 1]
  const tensors = store.readSnapshot(runId, step)
  return {
    runId,
    step,
    clocks: computeClocks(series, opts.thresholds),
    final: Object.fromEntries(series.map((s) => [s.name, s.values[s.values.length - 1]])),
    fourier: HAS_TOKENS.has(run.config.model) ? fourierViews(store, runId, tensors, snapshotSteps) : null,
    spectra: tensors
      .filter((t) => t.shape.length === 2)
      .map((t) => {
        const s = spectralSummary(tensorMatrix(tensors, t.name))
        return { tensor: t.name, rows: s.rows, cols: s.cols, topSingularValues: s.topSingularValues, nuclearNorm: s.nuclearNorm, effectiveRank: s.effectiveRank, stableRank: s.stableRank }
      }),
  }
}

const HAS_TOKENS = new Set(['embed-mlp', 'transformer-1l', 'gm-two-layer'])

function fourierViews(store: RunStore, runId: number, tensors: TensorData[], snapshotSteps: number[]): NonNullable<RunAnalysis['fourier']> {
  const config = store.getRun(runId).config
  const views = tokenViews(config, tensors)
  const neurons = neuronFrequencies(views.neurons, config.p)
  const dominantFrequencyCounts: Record<string, number> = {}
  neurons.count.forEach((n, k) => {
    if (k > 0 && n > 0) dominantFrequencyCounts[k] = n
  })
  const embedding = fourierSummary(views.embedding)
  const byStep = frequencyByStep(snapshotSteps.map((s) => ({ step: s, E: tokenViews(config, store.readSnapshot(runId, s)).embedding })))
  return {
    embedding,
    neurons: { dominantFrequencyCounts, meanFraction: mean(neurons.fraction) },
    unembed: fourierSummary(views.unembed),
    outputMap: views.outputMap ? fourierSummary(views.outputMap) : undefined,
    keyFrequencyByStep: {
      steps: byStep.steps,
      frequencies: embedding.keyFrequencies,
      share: embedding.keyFrequencies.map((k) => byStep.share[k - 1]),
    },
  }
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0
}
