// Kernel profile of one training step per model on the active backend (default webgpu), carried to
// a lent GPU machine with the bench bundle: says where a step's time goes.
import * as tf from '@tensorflow/tfjs'
import { useBackend } from '../src/lab/backends/select-backend'
import { BENCH_MODELS } from '../src/lab/bench/run-bench'
import { Trainer } from '../src/lab/training/trainer'

const backend = (process.argv[2] ?? 'webgpu') as 'webgpu'
await useBackend(backend)
for (const [name, config] of Object.entries(BENCH_MODELS)) {
  const trainer = new Trainer(config)
  await trainer.trainSteps(5)
  const t0 = performance.now()
  const profile = await tf.profile(async () => {
    await trainer.trainSteps(1)
  })
  const wall = performance.now() - t0
  const byKernel = new Map<string, { ms: number; count: number }>()
  for (const k of profile.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0
    const entry = byKernel.get(k.name) ?? { ms: 0, count: 0 }
    entry.ms += ms
    entry.count += 1
    byKernel.set(k.name, entry)
  }
  const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)
  console.log(`${name} on ${backend}: ${profile.kernels.length} kernels, wall ${wall.toFixed(1)} ms (profiled), kernel sum ${rows.reduce((s, r) => s + r[1].ms, 0).toFixed(1)} ms`)
  for (const [k, v] of rows) console.log(`  ${k.padEnd(24)} ${v.count.toString().padStart(4)}× ${v.ms.toFixed(2)} ms`)
  const t1 = performance.now()
  await trainer.trainSteps(10)
  console.log(`  10 steps unprofiled: ${((performance.now() - t1) / 10).toFixed(1)} ms/step`)
  trainer.dispose()
}
process.exit(0)
