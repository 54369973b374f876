import { describe, expect, it } from 'vitest'
import { makeModularDataset } from '../tasks/modular-arithmetic'
import { EMBED_MLP_GRAPHS } from './embed-mlp-graphs'
import { OnnxEngine } from './onnx-engine'
import { makeRowFeed } from './row-feed'
import { loadOnnxRuntime, sessionThreads } from './onnx-runtime'
import { Rng } from '../random'

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

// What the engines compute is checked against the plain formulation in embed-mlp-engine.test.ts
// and transformer-graphs.test.ts.
describe('embed-MLP fast path on onnxruntime', () => {
  it('is deterministic: repeated steps on the reference shape give bit-identical gradients', async () => {
    // With ScatterND's multi-threaded add in place of the per-token sums, this failed within 10 calls.
    const loaded = await loadOnnxRuntime()
    if (!loaded.ort) throw new Error(loaded.reason)
    const p = 97
    const data = makeModularDataset(p, 'add', 0.4, 0)
    const fast = await OnnxEngine.create(loaded.ort, EMBED_MLP_GRAPHS, { p, d: 128, hidden: 512, members: 1 }, 2)
    const rng = new Rng(3, 0)
    const r = (n: number, scale: number) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale))
    const w = [{ E: r(p * 128, 1), W_in: r(256 * 512, 0.06), b_in: r(512, 0.06), W_out: r(512 * p, 0.04), b_out: r(p, 0.04) }]
    const feed = makeRowFeed([data.train], p, true)
    const first = (await fast.gradients(w, feed)).grads[0]
    for (let i = 0; i < 12; i++) {
      const again = (await fast.gradients(w, feed)).grads[0]
      for (const name of Object.keys(first)) expect(bytes(again[name]).equals(bytes(first[name])), `${name}, call ${i}`).toBe(true)
    }
    await fast.dispose()
  })
})

describe('onnxruntime threads', () => {
  it('gives a tiny step one thread, others every core, and GROKKING_LAB_THREADS the last word', () => {
    const saved = process.env.GROKKING_LAB_THREADS
    try {
      delete process.env.GROKKING_LAB_THREADS
      const cores = sessionThreads()
      expect(cores).toBeGreaterThanOrEqual(1)
      // modadd-mlp-small alone: 1 × 31² × 256.
      expect(sessionThreads(31 ** 2 * 256)).toBe(1)
      expect(sessionThreads(97 ** 2 * 512)).toBe(cores)
      process.env.GROKKING_LAB_THREADS = '3'
      expect(sessionThreads(31 ** 2 * 256)).toBe(3)
    } finally {
      if (saved === undefined) delete process.env.GROKKING_LAB_THREADS
      else process.env.GROKKING_LAB_THREADS = saved
    }
  })
})
