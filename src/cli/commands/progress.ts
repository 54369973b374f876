import type { BackendName } from '../../shared/backend'
import { LabError } from '../../shared/lab-error'
import { useBackend } from '../../lab/backends/select-backend'
import { progressMeasuresBlocker, recordProgressMeasures, PROGRESS_SERIES } from '../../lab/analysis/run-progress-measures'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { RunStore } from '../../lab/store/run-store'
import { formatTable } from '../format-table'
import { parseRunId } from '../run-id'

/**
 * `grokking-lab progress RUN`: Nanda et al.'s progress measures at every snapshot (restricted and
 * excluded loss, sum of squared weights), computed again and stored as series, beside the test loss.
 */
export async function progressCommand(runArg: string, options: { db?: string; json?: boolean; backend?: string }): Promise<number> {
  const store = RunStore.open(resolveLibraryPath(options.db))
  try {
    const runId = parseRunId(runArg)
    const blocker = progressMeasuresBlocker(store.getRun(runId).config)
    if (blocker) throw new LabError(`run ${runId}: ${blocker}`)
    if (store.snapshotSteps(runId).length === 0) throw new LabError(`run ${runId} has no weight snapshots yet`)
    // One forward pass per snapshot: wasm is plenty, and skips probing GPUs.
    await useBackend((options.backend ?? 'wasm') as BackendName | 'auto')
    const { keyFrequencies } = await recordProgressMeasures(store, runId)
    const series = store.readSeries(runId, [...PROGRESS_SERIES, 'test_loss'])
    const get = (name: string) => series.find((s) => s.name === name)
    const restricted = get('restricted_loss')!
    const at = (name: string, step: number) => {
      const s = get(name)
      const i = s ? s.steps.indexOf(step) : -1
      return i < 0 ? null : s!.values[i]
    }
    const rows = restricted.steps.map((step) => ({
      step,
      restricted_loss: at('restricted_loss', step),
      excluded_loss: at('excluded_loss', step),
      sum_sq_weights: at('sum_sq_weights', step),
      test_loss: at('test_loss', step),
    }))
    if (options.json) {
      console.log(JSON.stringify({ runId, keyFrequencies, rows }))
      return 0
    }
    console.log(`run ${runId}: progress measures at ${rows.length} snapshots, key frequencies ${keyFrequencies.join(', ') || 'none (flat spectrum)'}`)
    console.log(formatTable(['step', 'restricted loss', 'excluded loss (train)', 'Σ‖W‖²', 'test loss'], rows.map((r) => [r.step, r.restricted_loss, r.excluded_loss, r.sum_sq_weights, r.test_loss])))
    return 0
  } finally {
    store.close()
  }
}
