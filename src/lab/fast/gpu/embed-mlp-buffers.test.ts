/// <reference types="@webgpu/types" />
import { describe, expect, it } from 'vitest'
import { EmbedMlpGpu } from './embed-mlp-gpu'
import { gpuDevice } from './gpu-device'
import { liveBuffersAfter } from './gpu-test-buffers'

// CI installs Mesa's EGL, so Dawn finds a (software) WebGPU device there and these always run.
const gpuHere = process.env.CI ? true : (await gpuDevice()).device !== undefined
if (!gpuHere) console.warn('embed-mlp-buffers.test: no WebGPU device here; CI runs these')
const limit = gpuHere ? (await gpuDevice()).device!.limits.maxStorageBufferBindingSize : 0

describe.runIf(gpuHere)("EmbedMlpGpu's buffers when one is over the GPU's limit", () => {
  // Sized for Mesa's 128 MB buffers (CI); on GPUs with GBs per buffer this would allocate GBs.
  it.runIf(limit <= 2 ** 28)('destroys what the constructor made before a table over the limit', async () => {
    const { device } = await gpuDevice()
    // The two [p, hidden] tables side by side just over the limit; the weights (about half) fit.
    const p = 97
    const hidden = Math.ceil(limit / (4 * 2 * p)) + 1
    const left = await liveBuffersAfter(device!, () => expect(EmbedMlpGpu.create(device!, { p, d: 8, hidden, members: 1 })).rejects.toThrow(/over this GPU's/))
    expect(left).toBe(0)
  }, 60_000)

  it("destroys a feed's buffers made before one over the limit", async () => {
    const { device } = await gpuDevice()
    const engine = await EmbedMlpGpu.create(device!, { p: 97, d: 8, hidden: 16, members: 1 })
    // The logits [N, p] are the first buffer over the limit; the hidden units [N, 16] fit.
    const N = Math.ceil(limit / (4 * 97)) + 1
    const makePlan = (engine as unknown as { makePlan(rows: number, seg: number, training: boolean): unknown }).makePlan.bind(engine)
    const left = await liveBuffersAfter(device!, async () => expect(() => makePlan(N, 0, false)).toThrow(/over this GPU's/))
    expect(left).toBe(0)
    await engine.dispose()
  }, 60_000)
})
