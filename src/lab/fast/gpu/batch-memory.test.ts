/// <reference types="@webgpu/types" />
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTempDir } from '../../../../test/helpers/temp-dir'
import { useBackend } from '../../backends/select-backend'
import { parseRunConfig, type RunConfig } from '../../../shared/run-config'
import { RunStore } from '../../store/run-store'
import { runBatchJob } from '../../worker/run-batch-job'
import { batchesThatFit, feedRows } from '../batch-fit'
import { gpuDevice } from './gpu-device'
import { residentBuffers } from './gpu-memory'
import { bitsEqual, trainBatch, trainRun } from './gpu-test-runs'

const member = (seed: number, over: Record<string, unknown> = {}): RunConfig =>
  parseRunConfig({ model: 'transformer-1l', heads: 2, p: 13, frac: 0.5, steps: 20, lr: 3e-3, d: 8, hidden: 24, eval_every: 5, checkpoint_every: 10, seed, ...over })
const shapeOf = (c: RunConfig, members: number) => ({ p: c.p, d: c.d, hidden: c.hidden, heads: c.heads, members })
const sum = (a: number[]) => a.reduce((x, y) => x + y, 0)

// CI installs Mesa's EGL, so Dawn finds a (software) WebGPU device there and these always run.
const gpuHere = process.env.CI ? true : (await gpuDevice()).device !== undefined
if (!gpuHere) console.warn('batch-memory.test: no WebGPU device here; CI runs these')

describe.runIf(gpuHere)("a batch's GPU memory", () => {
  const tempDir = useTempDir()
  beforeAll(async () => {
    await useBackend('webgpu')
  })
  afterAll(async () => {
    await useBackend('wasm')
  })

  for (const [label, c] of [
    ['embed-MLP, full batch', member(1, { model: 'embed-mlp' })],
    ['embed-MLP, minibatches', member(1, { model: 'embed-mlp', batch_size: 20 })],
    ['transformer-1L, full batch', member(1)],
  ] as const) {
    it(`is estimated at no less than the engine allocates, and not twice as much: ${label}`, async () => {
      const device = (await gpuDevice()).device!
      const create = device.createBuffer.bind(device)
      let live = 0
      let peak = 0
      device.createBuffer = (descriptor: GPUBufferDescriptor) => {
        const buffer = create(descriptor)
        const destroy = buffer.destroy.bind(buffer)
        live += descriptor.size
        peak = Math.max(peak, live)
        buffer.destroy = () => {
          live -= descriptor.size
          destroy()
        }
        return buffer
      }
      try {
        await trainBatch([c, { ...c, seed: 2 }])
      } finally {
        device.createBuffer = create
      }
      const estimate = sum(residentBuffers(c.model, shapeOf(c, 2), feedRows(c)))
      expect(peak).toBeGreaterThan(0)
      expect(estimate).toBeGreaterThanOrEqual(peak)
      expect(estimate).toBeLessThan(2 * peak)
    }, 120_000)
  }

  it('a batch over GROKKING_LAB_GPU_MEMORY_MB is trained as smaller batches, each run as it trains alone', async () => {
    const configs = [member(3, { wd: 0.5 }), member(4, { wd: 2, init_scale: 0.7 }), member(5, { wd: 1, optimizer: 'adam' })]
    const [two, three] = [2, 3].map((k) => sum(residentBuffers('transformer-1l', shapeOf(configs[0], k), feedRows(configs[0]))))
    const before = process.env.GROKKING_LAB_GPU_MEMORY_MB
    process.env.GROKKING_LAB_GPU_MEMORY_MB = String((two + three) / 2 / 2 ** 20)
    const dbPath = path.join(tempDir(), 'lib.sqlite')
    const store = RunStore.open(dbPath)
    try {
      expect(await batchesThatFit(configs, 'webgpu')).toEqual([[0, 1], [2]])
      const runIds = configs.map((config, k) => store.createRun({ name: `r${k}`, preset: null, config, appVersion: 't' }))
      await runBatchJob({ dbPath, runIds, backend: 'webgpu', resume: false }, () => undefined, () => false)
      const engines = runIds.map((id) => store.getRun(id).engine)
      expect(engines).toEqual(['fast path, run 1 of 2 batched', 'fast path, run 2 of 2 batched', 'fast path, run 1 of 1 batched'])
      for (const [k, c] of configs.entries()) {
        const alone = await trainRun('webgpu', c)
        const series = new Map(store.readSeries(runIds[k]).map((s) => [s.name, s]))
        expect(series.get('train_loss')!.steps).toEqual(alone.evals.map((e) => e.step))
        const names = Object.keys(alone.evals[0].metrics)
        expect(names).toContain('test_acc')
        for (const name of names) expect(series.get(name)!.values, `run ${k}'s ${name}`).toEqual(alone.evals.map((e) => e.metrics[name]))
        const last = store.loadCheckpoint(runIds[k])!
        expect(last.step).toBe(20)
        const weights = alone.weights.map((w) => ({ ...w, data: last.params[w.name] }))
        expect(bitsEqual(weights, alone.weights), `run ${k}'s weights`).toBe(true)
      }
    } finally {
      store.close()
      if (before === undefined) delete process.env.GROKKING_LAB_GPU_MEMORY_MB
      else process.env.GROKKING_LAB_GPU_MEMORY_MB = before
    }
  }, 180_000)
})
