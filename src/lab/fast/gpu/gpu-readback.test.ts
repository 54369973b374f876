/// <reference types="@webgpu/types" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { plain } from '../../../../test/helpers/plain-modular'
import { useCpuBackend } from '../../../../test/helpers/tf-cpu'
import * as tf from '@tensorflow/tfjs'
import { parseRunConfig } from '../../../shared/run-config'
import { makeRowFeed } from '../row-feed'
import { gpuDevice, throwIfDeviceFailed, watchDevice } from './gpu-device'
import { Readback, StagingPool } from './gpu-readback'
import { STAGED } from './resident-gpu-engine'
import { TransformerGpu } from './transformer-gpu'

// CI installs Mesa's EGL, so Dawn finds a (software) WebGPU device there and these always run.
const gpuHere = process.env.CI ? true : (await gpuDevice()).device !== undefined
if (!gpuHere) console.warn('gpu-readback.test: no WebGPU device here; CI runs these')

const storage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST

/** A device of its own, so that marking it failed leaves the shared one alone. */
async function freshDevice(): Promise<GPUDevice> {
  await gpuDevice()
  const adapter = await (globalThis as unknown as { navigator: { gpu: GPU } }).navigator.gpu.requestAdapter()
  return adapter!.requestDevice()
}

describe.runIf(gpuHere)('readbacks from the device', () => {
  beforeAll(async () => {
    await useCpuBackend()
  })
  afterAll(async () => {
    await tf.setBackend('cpu')
  })

  it("rejects a refused submit instead of handing back a pooled buffer's earlier numbers", async () => {
    const { device } = await gpuDevice()
    const src = device!.createBuffer({ size: 16, usage: storage() })
    device!.queue.writeBuffer(src, 0, Float32Array.of(1, 2, 3, 4))
    const pool = new StagingPool(device!, 1)
    const buffer = await pool.take(32)
    const good = new Readback(device!, device!.createCommandEncoder(), 4, { pool, buffer })
    good.copy(src, 4)
    expect(Array.from((await good.send().parts)[0])).toEqual([1, 2, 3, 4])
    device!.queue.writeBuffer(src, 0, Float32Array.of(5, 6, 7, 8))
    // 8 floats from a buffer of 4: the copy is out of bounds, so nothing of this submit runs.
    const again = await pool.take(32)
    expect(again).toBe(buffer)
    const bad = new Readback(device!, device!.createCommandEncoder(), 8, { pool, buffer: again })
    bad.copy(src, 8)
    await expect(bad.send().parts).rejects.toThrow(/the GPU refused the fast path's work/)
    // The buffer came back to the pool unmapped, and the device still serves later calls.
    const third = await pool.take(32)
    expect(third).toBe(buffer)
    const after = new Readback(device!, device!.createCommandEncoder(), 4, { pool, buffer: third })
    after.copy(src, 4)
    expect(Array.from((await after.send().parts)[0])).toEqual([5, 6, 7, 8])
    pool.dispose()
    src.destroy()
  })

  it('fails every later call on a device that reported an error outside any scope', async () => {
    const device = await freshDevice()
    watchDevice(device)
    const src = device.createBuffer({ size: 16, usage: storage() })
    const dst = device.createBuffer({ size: 16, usage: storage() })
    const encoder = device.createCommandEncoder()
    encoder.copyBufferToBuffer(src, 0, dst, 0, 64)
    device.queue.submit([encoder.finish()])
    await device.queue.onSubmittedWorkDone()
    for (let i = 0; i < 20; i++) {
      try {
        throwIfDeviceFailed(device)
        await new Promise((resolve) => setTimeout(resolve, 10))
      } catch {
        break
      }
    }
    expect(() => throwIfDeviceFailed(device)).toThrow(/the GPU refused the fast path's work/)
    const readback = new Readback(device, device.createCommandEncoder(), 4)
    readback.copy(src, 4)
    expect(() => readback.finish()).toThrow(/the GPU refused/)
    device.destroy()
  })

  it('keeps its staging buffers when evaluations fail before their readback is sent', async () => {
    const c = parseRunConfig({ model: 'transformer-1l', p: 11, frac: 0.5, steps: 1, lr: 1e-3, d: 8, heads: 2, hidden: 16, seed: 1 })
    const ref = plain(c)
    const { device } = await gpuDevice()
    const engine = await TransformerGpu.create(device!, { p: c.p, d: c.d, hidden: c.hidden, heads: c.heads, members: 1 })
    await engine.load([ref.params], [{}])
    const noTargets = makeRowFeed([ref.data.train], c.p, false)
    // A step on a feed without targets throws after the staging buffer was taken; more failures than the pool holds.
    for (let i = 0; i <= STAGED; i++) await expect(engine.evaluate(noTargets, undefined, true)).rejects.toThrow(/needs a feed made with targets/)
    const pending = await engine.evaluate(makeRowFeed([ref.data.train], c.p, true), makeRowFeed([ref.data.test], c.p, false), true)
    const { train } = await pending.results
    expect(train.loss[0]).toBeCloseTo(ref.loss, 5)
    await engine.dispose()
  }, 60_000)

  it('dispose() with an evaluation still mapping settles it quietly (no unhandled rejection)', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (e: unknown) => void unhandled.push(e)
    process.on('unhandledRejection', onUnhandled)
    try {
      const c = parseRunConfig({ model: 'transformer-1l', p: 11, frac: 0.5, steps: 1, lr: 1e-3, d: 8, heads: 2, hidden: 16, seed: 2 })
      const ref = plain(c)
      const { device } = await gpuDevice()
      const engine = await TransformerGpu.create(device!, { p: c.p, d: c.d, hidden: c.hidden, heads: c.heads, members: 1 })
      await engine.load([ref.params], [{}])
      const pending = await engine.evaluate(makeRowFeed([ref.data.train], c.p, true), makeRowFeed([ref.data.test], c.p, false), true)
      await engine.dispose()
      // The cancelled map (AbortError) must not surface while nobody has taken the results up yet, as the trainer takes them later.
      await new Promise((resolve) => setTimeout(resolve, 300))
      await pending.results.then(
        () => undefined,
        () => undefined,
      )
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
    expect(unhandled).toEqual([])
  }, 60_000)
})
