import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/run-config'
import { Trainer } from '../training/trainer'
import { probeBackends, useBackend } from './select-backend'

const tiny = (model: 'embed-mlp' | 'transformer-1l') =>
  parseRunConfig({ model, p: 7, frac: 0.5, steps: 6, lr: 1e-2, wd: 0.5, d: 8, hidden: 16, heads: 2, eval_every: 3 })

async function metricsOn(backend: 'wasm' | 'webgpu' | 'cpu', model: 'embed-mlp' | 'transformer-1l') {
  await useBackend(backend)
  const trainer = new Trainer(tiny(model))
  const evals: Record<string, number>[] = []
  await trainer.run({ onEval: (r) => void evals.push(r.metrics) })
  trainer.dispose()
  return evals
}

describe('backends', () => {
  it('reports every backend with a reason, and auto skips software WebGPU', async () => {
    const probes = await probeBackends()
    expect(probes.map((p) => p.name)).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu'])
    for (const p of probes) expect(p.reason.length).toBeGreaterThan(5)
    expect(probes.find((p) => p.name === 'wasm')!.available).toBe(true)
  })

  // Our CI machines have Mesa's EGL (installed by .ci/run), so WebGPU runs there on the CPU.
  const gpuBackends = process.env.CI ? (['cpu', 'webgpu'] as const) : (['cpu'] as const)
  for (const backend of gpuBackends) {
    for (const model of ['embed-mlp', 'transformer-1l'] as const) {
      it(`${backend} trains ${model} to the same metrics as wasm`, async () => {
        const reference = await metricsOn('wasm', model)
        const other = await metricsOn(backend, model)
        expect(other.length).toBe(reference.length)
        other.forEach((m, i) => {
          for (const key of ['train_loss', 'test_loss', 'param_norm', 'structural_energy']) {
            expect(Math.abs(m[key] - reference[i][key]), `${key} at eval ${i}`).toBeLessThan(1e-3 * (1 + Math.abs(reference[i][key])))
          }
        })
        await tf.setBackend('wasm')
      }, 120_000)
    }
  }
})
