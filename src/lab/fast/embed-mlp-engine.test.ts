import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bytes, expectClose, plain } from '../../../test/helpers/plain-modular'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { parseRunConfig, type RunConfig } from '../../shared/run-config'
import type { FastEngine } from './fast-engine'
import type { FastShape } from './model-graphs'
import { EMBED_MLP_GRAPHS } from './embed-mlp-graphs'
import { OnnxEngine } from './onnx-engine'
import { makeRowFeed } from './row-feed'
import { EmbedMlpGpu } from './gpu/embed-mlp-gpu'
import { gpuDevice } from './gpu/gpu-device'
import { loadOnnxRuntime } from './onnx-runtime'

const config = (seed: number): RunConfig =>
  parseRunConfig({ model: 'embed-mlp', p: 11, frac: 0.5, steps: 1, lr: 1e-3, d: 6, hidden: 20, seed, init_scale: 1 + seed / 4 })

type Open = (shape: FastShape) => Promise<FastEngine>

const openOnnx: Open = async (shape) => {
  const { ort, reason } = await loadOnnxRuntime()
  if (!ort) throw new Error(reason)
  return OnnxEngine.create(ort, EMBED_MLP_GRAPHS, shape)
}

const openGpu: Open = async (shape) => {
  const { device, reason } = await gpuDevice()
  if (!device) throw new Error(`no WebGPU device (${reason}); CI installs Mesa's EGL so Dawn finds one`)
  return EmbedMlpGpu.create(device, shape)
}

// WebGPU needs Dawn's OpenGL path on Mesa here: .ci/run installs it, so CI always runs both engines.
const gpuHere = process.env.CI ? true : (await gpuDevice()).device !== undefined
const engines: [string, Open][] = [['onnxruntime', openOnnx], ...(gpuHere ? [['WebGPU', openGpu] as [string, Open]] : [])]
if (!gpuHere) console.warn('embed-mlp-engine.test: no WebGPU device here, so only onnxruntime is checked (CI checks both)')

describe.each(engines)('embed-MLP fast path on %s against the plain tfjs formulation', (_name, open) => {
  beforeAll(async () => {
    await useCpuBackend()
  })
  afterAll(async () => {
    await tf.setBackend('cpu')
  })

  it('computes the same loss, gradients and logits for one run', async () => {
    const c = config(1)
    const ref = plain(c)
    const fast = await open({ p: c.p, d: c.d, hidden: c.hidden, members: 1 })
    const { loss, grads } = await fast.gradients([ref.params], makeRowFeed([ref.data.train], c.p, true))
    expect(loss[0]).toBeCloseTo(ref.loss, 5)
    for (const name of Object.keys(ref.gradients)) expectClose(grads[0][name], ref.gradients[name], name)
    const logits = await fast.logits([ref.params], makeRowFeed([ref.data.test], c.p, false))
    expectClose(logits, ref.logits, 'test logits')
    await fast.dispose()
  }, 60_000)

  it("computes K members' gradients with their own weights and splits in one call, each as if alone", async () => {
    const refs = [2, 3, 4].map((seed) => plain(config(seed)))
    const c = config(2)
    const fast = await open({ p: c.p, d: c.d, hidden: c.hidden, members: 3 })
    const feed = makeRowFeed(
      refs.map((r) => r.data.train),
      c.p,
      true,
    )
    const { loss, grads } = await fast.gradients(
      refs.map((r) => r.params),
      feed,
    )
    refs.forEach((ref, k) => {
      expect(loss[k]).toBeCloseTo(ref.loss, 5)
      for (const name of Object.keys(ref.gradients)) expectClose(grads[k][name], ref.gradients[name], `member ${k} ${name}`)
    })
    // The members differ, so a mix-up between them could not pass the checks above.
    expect(Math.abs(loss[0] - loss[1])).toBeGreaterThan(1e-3)
    const logits = await fast.logits(
      refs.map((r) => r.params),
      makeRowFeed(
        refs.map((r) => r.data.test),
        c.p,
        false,
      ),
    )
    const n = refs[0].data.test.a.length * c.p
    refs.forEach((ref, k) => expectClose(logits.subarray(k * n, (k + 1) * n), ref.logits, `member ${k} logits`))
    await fast.dispose()
  }, 60_000)

  it('measures loss, accuracy, margin, ReLU share and churn as the plain system does', async () => {
    const refs = [5, 6].map((seed) => plain(config(seed)))
    const c = config(5)
    const fast = await open({ p: c.p, d: c.d, hidden: c.hidden, members: 2 })
    const weights = refs.map((r) => r.params)
    const feed = makeRowFeed(
      refs.map((r) => r.data.train),
      c.p,
      true,
    )
    const first = await fast.metrics(weights, feed, true)
    refs.forEach((ref, k) => {
      expect(first.loss[k]).toBeCloseTo(ref.measured.train_loss, 5)
      expect(first.acc[k]).toBeCloseTo(ref.measured.train_acc, 6)
      expect(first.minMargin![k]).toBeCloseTo(ref.measured.min_train_margin, 4)
      expect(first.reluActive![k]).toBeCloseTo(ref.measured.relu_active, 6)
      // Against the all-off pattern of a fresh engine, every active unit counts as a flip.
      expect(first.reluChurn![k]).toBeCloseTo(ref.measured.relu_active, 6)
    })
    const combined = await fast.gradientsWithMetrics(weights, feed)
    const alone = await fast.gradients(weights, feed)
    for (const key of ['loss', 'acc', 'minMargin', 'reluActive'] as const) {
      combined.metrics[key]!.forEach((v, k) => expect(v, key).toBeCloseTo(first[key]![k], 5))
    }
    // The same weights again: the pattern the engine kept has not moved.
    expect(Array.from(combined.metrics.reluChurn!)).toEqual([0, 0])
    refs.forEach((_, k) => expectClose(combined.grads[k].W_in, alone.grads[k].W_in, 'W_in from the combined pass'))
    // Member 1's first-layer bias pushed far down switches every unit off: its churn is its whole active share.
    const off = weights.map((w, k) => (k === 1 ? { ...w, b_in: w.b_in.map(() => -1e3) } : w))
    const moved = await fast.metrics(off, feed, true)
    expect(moved.reluChurn![0]).toBe(0)
    expect(moved.reluActive![1]).toBe(0)
    expect(moved.reluChurn![1]).toBeCloseTo(refs[1].measured.relu_active, 6)
    const test = await fast.metrics(
      weights,
      makeRowFeed(
        refs.map((r) => r.data.test),
        c.p,
        false,
      ),
    )
    refs.forEach((ref, k) => {
      expect(test.loss[k]).toBeCloseTo(ref.measured.test_loss, 5)
      expect(test.acc[k]).toBeCloseTo(ref.measured.test_acc, 6)
    })
    await fast.dispose()
  }, 60_000)

  it('is deterministic, and right on a train set long enough to split its sums', async () => {
    // 672 pairs: the GPU sums dW_out in two chunks of pairs, then the chunks.
    const c = parseRunConfig({ model: 'embed-mlp', p: 41, frac: 0.4, steps: 1, lr: 1e-3, d: 16, hidden: 64, seed: 9 })
    const ref = plain(c)
    const fast = await open({ p: c.p, d: c.d, hidden: c.hidden, members: 1 })
    const feed = makeRowFeed([ref.data.train], c.p, true)
    expect(feed.rows).toBeGreaterThan(512)
    const first = (await fast.gradients([ref.params], feed)).grads[0]
    for (const name of Object.keys(ref.gradients)) expectClose(first[name], ref.gradients[name], name)
    for (let i = 0; i < 4; i++) {
      const again = (await fast.gradients([ref.params], feed)).grads[0]
      for (const name of Object.keys(first)) expect(bytes(again[name]).equals(bytes(first[name])), `${name}, call ${i}`).toBe(true)
    }
    await fast.dispose()
  }, 60_000)
})
