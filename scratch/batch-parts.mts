import { useBackend } from '../src/lab/backends/select-backend'
import { Trainer } from '../src/lab/training/trainer'
import { trainInLockstep } from '../src/lab/training/lockstep'
import { EmbedMlpBatch } from '../src/lab/fast/embed-mlp-fast-path'
import { parseRunConfig } from '../src/shared/run-config'
import { getPreset } from '../src/lab/presets'
await useBackend('wasm')
const steps = 600
for (const [label, over] of [['default evals', {}], ['no evals', { eval_every: 100000, snapshot_budget: 2 }]] as const) {
  for (const K of [1, 8]) {
    const base = parseRunConfig({ ...getPreset('modadd-mlp-small').config, steps, ...over })
    const configs = Array.from({ length: K }, (_, k) => ({ ...base, seed: k }))
    const { batch } = await EmbedMlpBatch.create(configs)
    const trainers = configs.map((c, k) => new Trainer(c, undefined, { batch: batch!, member: k }))
    const t0 = performance.now()
    await trainInLockstep(trainers, configs.map(() => ({ onSnapshot: async () => {} })))
    console.log(label, 'K', K, ((performance.now() - t0) / steps).toFixed(2), 'ms/step')
    trainers.forEach((t) => t.dispose()); await batch!.dispose()
  }
}
