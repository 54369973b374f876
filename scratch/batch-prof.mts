import { useBackend } from '../src/lab/backends/select-backend'
import { Trainer } from '../src/lab/training/trainer'
import { trainInLockstep } from '../src/lab/training/lockstep'
import { EmbedMlpBatch } from '../src/lab/fast/embed-mlp-fast-path'
import { parseRunConfig } from '../src/shared/run-config'
import { getPreset } from '../src/lab/presets'
await useBackend('wasm')
const base = parseRunConfig({ ...getPreset('modadd-mlp-small').config, steps: 1000 })
const configs = Array.from({ length: 8 }, (_, k) => ({ ...base, seed: k }))
const { batch } = await EmbedMlpBatch.create(configs)
const trainers = configs.map((c, k) => new Trainer(c, undefined, { batch: batch!, member: k }))
const t0 = performance.now()
await trainInLockstep(trainers, configs.map(() => ({ onSnapshot: async () => {} })))
console.log('ms/step', ((performance.now() - t0) / 1000).toFixed(2))
process.exit(0)
