import { useBackend } from '../src/lab/backends/select-backend'
import { Trainer } from '../src/lab/training/trainer'
import { trainInLockstep } from '../src/lab/training/lockstep'
import { EmbedMlpBatch } from '../src/lab/fast/embed-mlp-fast-path'
import { EmbedMlpOnnx } from '../src/lab/fast/embed-mlp-onnx'
import { HostOptimizer } from '../src/lab/training/host-optimizer'
import { parseRunConfig } from '../src/shared/run-config'
import { getPreset } from '../src/lab/presets'
await useBackend('wasm')
const acc: Record<string, number> = {}
for (const [cls, names] of [[EmbedMlpOnnx, ['gradients', 'gradientsWithMetrics', 'metrics']], [HostOptimizer, ['apply']]] as const) {
  for (const n of names) {
    const orig = (cls.prototype as any)[n]
    ;(cls.prototype as any)[n] = function (...a: any[]) { const t = performance.now(); const r = orig.apply(this, a); if (r instanceof Promise) return r.then((x: any) => { acc[n] = (acc[n] ?? 0) + performance.now() - t; return x }); acc[n] = (acc[n] ?? 0) + performance.now() - t; return r }
  }
}
const K = Number(process.argv[2] ?? 8)
const base = parseRunConfig({ ...getPreset('modadd-mlp-small').config, steps: 1000 })
const configs = Array.from({ length: K }, (_, k) => ({ ...base, seed: k }))
const { batch } = await EmbedMlpBatch.create(configs)
const trainers = configs.map((c, k) => new Trainer(c, undefined, { batch: batch!, member: k }))
const t0 = performance.now()
await trainInLockstep(trainers, configs.map(() => ({ onSnapshot: async () => {} })))
console.log('K', K, 'ms/step', ((performance.now() - t0) / 1000).toFixed(2), Object.entries(acc).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`).join(', '))
process.exit(0)
