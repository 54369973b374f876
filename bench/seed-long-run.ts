import { parseRunConfig } from '../src/shared/run-config'
import { computeClocks } from '../src/lab/analysis/clocks'
import { RunStore } from '../src/lab/store/run-store'

/** Steps and evaluation interval of the long run the UI bench opens. */
export const LONG_RUN_STEPS = 100_000
export const LONG_RUN_EVAL_EVERY = 10

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

/**
 * Adds to the library at `file` a finished 100,000-step run with an evaluation every 10 steps
 * (10,001 points of each of its series: losses, accuracies, margin, norms, structural energy)
 * shaped like a grokking run (memorized by step ~1,000, generalized near step 40,000), with its
 * summary and clocks, written straight into SQLite so that the bench needs no training. Returns its id.
 */
export function seedLongRun(file: string): number {
  const store = RunStore.open(file)
  try {
    const config = parseRunConfig({ model: 'embed-mlp', p: 97, frac: 0.4, lr: 1e-3, wd: 1, init_scale: 1, seed: 0, steps: LONG_RUN_STEPS, eval_every: LONG_RUN_EVAL_EVERY })
    const id = store.createRun({ name: '100,000-step run', preset: 'modadd-mlp', config, appVersion: 'bench', tags: ['bench'] })
    const rows = []
    for (let step = 0; step <= LONG_RUN_STEPS; step += LONG_RUN_EVAL_EVERY) {
      const wallSeconds = step / 1000
      // A little deterministic wiggle, so the downsampled buckets have a min and a max to keep.
      const wiggle = 0.05 * Math.sin(step / 37)
      const gen = sigmoid((step - 40_000) / 2_000)
      const metrics: Record<string, number> = {
        train_loss: 4.6 * Math.exp(-step / 300) + 1e-3 * (1 + wiggle),
        test_loss: (1 - gen) * (4.6 + 6 * (1 - Math.exp(-step / 5_000))) + gen * 0.01 + Math.abs(wiggle),
        train_acc: Math.min(1, sigmoid((step - 600) / 120) + 0.01),
        test_acc: Math.min(1, 0.01 + 0.99 * gen + 0.005 * wiggle),
        min_train_margin: -2 + 4 * sigmoid((step - 900) / 200) + wiggle,
        param_norm: 40 * Math.exp(-step / 60_000) + 12 + wiggle,
        structural_energy: 30 * Math.exp(-step / 45_000) + 4 + wiggle,
        grad_norm: Math.exp(-step / 20_000) + 0.01 * (1 + wiggle),
      }
      for (const [name, value] of Object.entries(metrics)) rows.push({ name, step, value, wallSeconds })
    }
    store.appendMetrics(id, rows)
    store.finishRun(id, 'completed', { stepsDone: LONG_RUN_STEPS, msPerStep: 1, wallSeconds: LONG_RUN_STEPS / 1000 })
    store.saveClocks(id, computeClocks(store.readSeries(id)))
    return id
  } finally {
    store.close()
  }
}
