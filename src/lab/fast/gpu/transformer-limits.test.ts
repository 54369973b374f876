/// <reference types="@webgpu/types" />
import { describe, expect, it } from 'vitest'
import { openEngine } from '../engine-choice'
import type { FastShape } from '../model-graphs'
import { gpuDevice } from './gpu-device'
import { liveBuffersAfter } from './gpu-test-buffers'
import { transformerGridProblem } from './transformer-grids'
import { TransformerGpu } from './transformer-gpu'

const shape = (over: Partial<FastShape>): FastShape => ({ p: 113, d: 128, hidden: 512, heads: 4, members: 1, ...over })

// CI installs Mesa's EGL, so Dawn finds a (software) WebGPU device there and these always run.
const gpuHere = process.env.CI ? true : (await gpuDevice()).device !== undefined
if (!gpuHere) console.warn('transformer-limits.test: no WebGPU device here; CI runs these')

describe("transformer-1L shapes over WebGPU's 65,535 workgroups per side", () => {
  it('names the kernel and the shape that is too big, and passes the shapes that fit', () => {
    expect(transformerGridProblem(shape({}))).toBeUndefined()
    expect(transformerGridProblem(shape({ d: 1024, hidden: 4032, heads: 8 }))).toBeUndefined()
    // ((2p+1)·d + 3d²)/64 groups to lay out the projections: at p 113, d 1148 is the first multiple of 4 heads over.
    expect(transformerGridProblem(shape({ d: 1144 }))).toBeUndefined()
    expect(transformerGridProblem(shape({ d: 1148 }))).toMatch(/p 113, d 1148, hidden 512 needs 65849 workgroups on one side for its prepare kernel, over WebGPU's 65535/)
    // d·hidden/64 groups for the chunks' sum of W_in's gradient.
    expect(transformerGridProblem(shape({ d: 1024, hidden: 4096, heads: 8 }))).toMatch(/needs 65536 workgroups on one side for its splitSum kernel/)
    // Members times tokens on one side of the per-token sums.
    expect(transformerGridProblem(shape({ p: 1031, d: 8, hidden: 16, heads: 2, members: 64 }))).toMatch(/× 64 runs needs 65984 .* tokenSum .*--batch N/)
  })

  it('trains such a shape on the CPU fast path, saying why, instead of failing on WebGPU', async () => {
    const big = shape({ p: 1031, d: 8, hidden: 16, heads: 2, members: 64 })
    const { engine, reason } = await openEngine('webgpu', 'transformer-1l', big)
    expect(reason).toMatch(/on the CPU, since transformer-1L of p 1031.* tokenSum kernel/)
    expect(engine?.resident).toBeUndefined()
    await engine?.dispose()
  }, 60_000)
})

const limit = gpuHere ? (await gpuDevice()).device!.limits.maxStorageBufferBindingSize : 0

describe.runIf(gpuHere)("TransformerGpu's buffers when one is over the GPU's limit", () => {
  it('refuses a shape over the grid limit at create()', async () => {
    const { device } = await gpuDevice()
    await expect(TransformerGpu.create(device!, shape({ d: 1184 }))).rejects.toThrow(/prepare kernel, over WebGPU's 65535/)
  })

  // Sized for Mesa's 128 MB buffers (CI): on GPUs with much larger ones no shape within the grid limits reaches them this way.
  it.runIf(limit <= 2 ** 28)('destroys what the constructor made before a table over the limit', async () => {
    const { device } = await gpuDevice()
    // 32 members' [2p+1, 3d] query-key-value tables just over the limit; the weights (about a third) and the grids within theirs.
    const s = shape({ d: 96, hidden: 16, heads: 2, members: 32 })
    s.p = Math.ceil(limit / (4 * s.members * 3 * s.d) / 2) + 1
    expect(transformerGridProblem(s)).toBeUndefined()
    const left = await liveBuffersAfter(device!, () => expect(TransformerGpu.create(device!, s)).rejects.toThrow(/over this GPU's/))
    expect(left).toBe(0)
  }, 60_000)

  it("destroys a feed's buffers made before one over the limit", async () => {
    const { device } = await gpuDevice()
    const s = shape({ p: 97, d: 8, hidden: 16, heads: 2 })
    const engine = await TransformerGpu.create(device!, s)
    // The logits [N, p] are the first buffer over the limit; those of width d and hidden fit.
    const N = Math.ceil(limit / (4 * s.p)) + 1
    const makePlan = (engine as unknown as { makePlan(rows: number, seg: number, training: boolean): unknown }).makePlan.bind(engine)
    const left = await liveBuffersAfter(device!, async () => expect(() => makePlan(N, 0, false)).toThrow(/over this GPU's/))
    expect(left).toBe(0)
    await engine.dispose()
  }, 60_000)
})
