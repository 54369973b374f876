import { parseRunConfig } from '../src/shared/run-config'
import { RUN_STATUSES } from '../src/shared/run-types'
import { computeClocks } from '../src/lab/analysis/clocks'
import { RunStore } from '../src/lab/store/run-store'
import { Rng } from '../src/lab/random'

const WDS = [0, 0.01, 0.03, 0.1, 0.3, 1, 3]
const LRS = [3e-4, 1e-3, 3e-3]
const TAGS = ['baseline', 'sweep', 'lambda', 'paper', 'check']

/**
 * Fills a library with `count` finished-looking runs of varied configs (λ, lr, α, seed, preset,
 * status, tags), each with a short metric history, its summary and its clocks: what a
 * researcher's library looks like after months, for timing the library view.
 */
export function seedLibrary(file: string, count: number): void {
  const store = RunStore.open(file)
  const rng = new Rng(7)
  const rand = () => rng.next()
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
  try {
    store.db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const wd = pick(WDS)
        const config = parseRunConfig({ model: 'embed-mlp', p: pick([31, 47, 97]), frac: pick([0.3, 0.4, 0.6]), lr: pick(LRS), wd, init_scale: pick([0.5, 1, 2]), seed: i % 8, steps: 3000 })
        const id = store.createRun({ name: `seeded run ${i}`, preset: pick(['modadd-mlp-small', 'modadd-mlp', 'tc-relu-embed']), config, appVersion: 'bench', tags: rand() < 0.3 ? [pick(TAGS)] : [] })
        const tGen = wd > 0 ? Math.round(300 + 600 / wd) : null
        const rows = [0, 100, 1000, 3000].flatMap((step) => [
          { name: 'train_loss', step, value: Math.exp(-step / 200), wallSeconds: step / 1000 },
          { name: 'test_loss', step, value: tGen && step >= tGen ? 0.01 : 3, wallSeconds: step / 1000 },
          { name: 'train_acc', step, value: step >= 100 ? 1 : 0.1, wallSeconds: step / 1000 },
          { name: 'test_acc', step, value: tGen && step >= tGen ? 1 : 0.05, wallSeconds: step / 1000 },
        ])
        store.appendMetrics(id, rows)
        const status = rand() < 0.9 ? 'completed' : pick(RUN_STATUSES.filter((s) => s !== 'running' && s !== 'queued'))
        store.finishRun(id, status, { stepsDone: 3000, msPerStep: 1.5, wallSeconds: 5 })
        store.saveClocks(id, computeClocks(store.readSeries(id)))
      }
    })()
  } finally {
    store.close()
  }
}
