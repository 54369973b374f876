import type { FrequencySteps, LabApi } from '../../shared/api'
import { LabError } from '../../shared/lab-error'
import { computeClocks } from '../analysis/clocks'
import { frequencyByStep } from '../analysis/fourier'
import { analyzeRun } from '../analysis/run-analysis'
import { tokenViews } from '../analysis/weight-views'
import type { RunStore } from '../store/run-store'
import type { LabContext } from './service-context'

type AnalysisApi = Pick<LabApi, 'analysis:clocks' | 'analysis:run' | 'analysis:frequency-steps'>

const TOKEN_MODELS = new Set(['embed-mlp', 'transformer-1l', 'gm-two-layer'])

/** Clocks at any thresholds, the analysis of a snapshot, and frequency shares over all snapshots. */
export function analysisHandlers(ctx: LabContext): AnalysisApi {
  const { store } = ctx
  return {
    'analysis:clocks': async ({ runId, ...thresholds }) => {
      store.getRun(runId)
      return computeClocks(store.readSeries(runId), thresholds)
    },
    'analysis:run': async ({ runId, step }) => {
      store.getRun(runId)
      const steps = store.snapshotSteps(runId)
      if (steps.length === 0) throw new LabError(`run ${runId} has no weight snapshots to analyse yet`)
      if (step !== undefined && !steps.includes(step)) throw new LabError(`run ${runId} has no snapshot at step ${step} (snapshots: ${steps.join(', ')})`)
      return analyzeRun(store, runId, { step })
    },
    'analysis:frequency-steps': async ({ runId, view }) => frequencySteps(store, runId, view),
  }
}

/** The share of every frequency of one token view at every snapshot of a run. */
function frequencySteps(store: RunStore, runId: number, view: 'embedding' | 'unembed' | 'neurons' | 'outputMap'): FrequencySteps {
  const { config } = store.getRun(runId)
  if (!TOKEN_MODELS.has(config.model)) {
    throw new LabError(`run ${runId}'s model is ${config.model}, which has no token axis; Fourier views are for embed-mlp, transformer-1l and gm-two-layer runs`)
  }
  if (view === 'outputMap' && config.model !== 'transformer-1l') {
    throw new LabError(`the outputMap view (W_out·W_U) exists for transformer-1l runs only; run ${runId}'s model is ${config.model}`)
  }
  const snapshots = store.snapshotSteps(runId).map((step) => ({ step, E: tokenViews(config, store.readSnapshot(runId, step))[view]! }))
  const table = frequencyByStep(snapshots)
  return { steps: table.steps, frequencies: table.frequencies, share: table.share }
}
