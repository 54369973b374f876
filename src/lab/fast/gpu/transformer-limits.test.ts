/// <reference types="@webgpu/types" />
import { describe, expect, it } from 'vitest'
import { useBackend } from '../../backends/select-backend'
import { parseRunConfig } from '../../../shared/run-config'
import { openEngine } from '../engine-choice'
import { FastPathBatch } from '../fast-path'
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

  it('with the sets known, checks the grids over the pairs too: GEMM rows and split-K chunks, and the chunks\' sum only on a split train set', () => {
    const sets = (train: number, test: number, batch?: number) => ({ train, test, batch })
    // 64-pair tiles of rows: 65,535 of them hold 4,194,240 pairs, in the train set or the test set.
    expect(transformerGridProblem(shape({}), sets(100, 4_194_240))).toBeUndefined()
    expect(transformerGridProblem(shape({}), sets(100, 4_194_241))).toMatch(/on 100 train and 4194241 test pairs needs 65536 workgroups on one side for its gemmRows kernel.*fewer pairs/)
    // 64 runs × chunks of 512 pairs of a step: 1,023 chunks fit.
    const many = shape({ p: 13, d: 8, hidden: 16, heads: 2, members: 64 })
    expect(transformerGridProblem(many, sets(523_776, 100))).toBeUndefined()
    expect(transformerGridProblem(many, sets(523_777, 100))).toMatch(/× 64 runs on 523777 train and 100 test pairs needs 65536 .* splitGemm kernel.*batch_size/)
    // A minibatch is the step's set: the same train set fits in batches of 512 (not split at all).
    expect(transformerGridProblem(many, sets(600_000, 100, 512))).toBeUndefined()
    expect(transformerGridProblem(many, sets(600_000, 100, 600_000))).toMatch(/minibatches of 600000 needs 75008 .* splitGemm/)
    // d·hidden/64 groups sum the chunks: counted only when a step's set is longer than one chunk.
    const wide = shape({ d: 1024, hidden: 4096, heads: 8 })
    expect(transformerGridProblem(wide, sets(512, 5000))).toBeUndefined()
    expect(transformerGridProblem(wide, sets(3000, 5000, 512))).toBeUndefined()
    expect(transformerGridProblem(wide, sets(513, 5000))).toMatch(/needs 65536 workgroups on one side for its splitSum kernel/)
    // A shorter chunk (the tests' engines) splits sooner.
    expect(transformerGridProblem(wide, sets(512, 5000), 256)).toMatch(/splitSum/)
  })

  it('falls back to the CPU when the sets are too long for WebGPU, saying why', async () => {
    const many = shape({ p: 13, d: 8, hidden: 16, heads: 2, members: 64 })
    const { engine, reason } = await openEngine('webgpu', 'transformer-1l', many, undefined, { train: 600_000, test: 100 })
    expect(reason).toMatch(/on the CPU, since transformer-1L of p 13.* × 64 runs on 600000 train and 100 test pairs needs 75008 .* splitGemm kernel/)
    expect(engine?.resident).toBeUndefined()
    await engine?.dispose()
  }, 60_000)

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
    // And sets too long for it, when create() is told their sizes.
    await expect(TransformerGpu.create(device!, shape({ p: 13, d: 8, hidden: 16, heads: 2 }), undefined, { train: 100, test: 4_194_241 })).rejects.toThrow(/gemmRows kernel/)
  })

  it("a batch whose config's train set is too long for 64 runs' split-K grid trains on the CPU from the start", async () => {
    await useBackend('webgpu')
    try {
      // p 769 at 90%: 532,225 train pairs, 1,040 chunks of 512 × 64 runs.
      const configs = Array.from({ length: 64 }, (_, k) => parseRunConfig({ model: 'transformer-1l', p: 769, frac: 0.9, d: 8, heads: 2, hidden: 16, steps: 1, lr: 1e-3, seed: k }))
      const { batch, status } = await FastPathBatch.create(configs)
      expect(status.reason).toMatch(/on the CPU, since .* × 64 runs on 532225 train .* needs 66560 workgroups .* splitGemm/)
      await batch?.dispose()
    } finally {
      await useBackend('wasm')
    }
  }, 60_000)

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
