import { useBackend } from '../src/lab/backends/select-backend'
import { Trainer } from '../src/lab/training/trainer'
import { trainInLockstep } from '../src/lab/training/lockstep'
import { EmbedMlpBatch } from '../src/lab/fast/embed-mlp-fast-path'
import { parseRunConfig } from '../src/shared/run-config'
import { getPreset } from '../src/lab/presets'
await useBackend('wasm')
const preset = process.argv[2] ?? 'modadd-mlp-small'
const steps = Number(process.argv[3] ?? 400)
const K = Number(process.argv[4] ?? 8)
const base = parseRunConfig({ ...getPreset(preset).config, steps, snapshot_budget: 10 })
let t0 = performance.now()
const one = new Trainer(base); await one.run({}); one.dispose()
const single = performance.now() - t0
t0 = performance.now()
const configs = Array.from({ length: K }, (_, k) => ({ ...base, seed: k, wd: 0.5 + k / 4 }))
const { batch } = await EmbedMlpBatch.create(configs)
const trainers = configs.map((c, k) => new Trainer(c, undefined, { batch: batch!, member: k }))
await trainInLockstep(trainers, configs.map(() => ({})))
const batched = performance.now() - t0
console.log(preset, 'steps', steps, 'one run', single.toFixed(0), 'ms;', K, 'batched', batched.toFixed(0), 'ms; ratio', (batched / single).toFixed(2))
