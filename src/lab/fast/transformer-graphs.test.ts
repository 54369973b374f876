import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bytes, expectClose, plain } from '../../../test/helpers/plain-modular'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { parseRunConfig, type RunConfig } from '../../shared/run-config'
import type { FastShape } from './model-graphs'
import { OnnxEngine } from './onnx-engine'
import { loadOnnxRuntime } from './onnx-runtime'
import { makeRowFeed } from './row-feed'
import { TRANSFORMER_GRAPHS } from './transformer-graphs'

const config = (seed: number, extra: Partial<RunConfig> = {}): RunConfig =>
  parseRunConfig({ model: 'transformer-1l', p: 11, frac: 0.5, steps: 1, lr: 1e-3, d: 8, heads: 2, hidden: 16, seed, init_scale: 1 + seed / 4, ...extra })

const shapeOf = (c: RunConfig, members: number): FastShape => ({ p: c.p, d: c.d, hidden: c.hidden, heads: c.heads, members })

async function open(shape: FastShape): Promise<OnnxEngine> {
  const { ort, reason } = await loadOnnxRuntime()
  if (!ort) throw new Error(reason)
  return OnnxEngine.create(ort, TRANSFORMER_GRAPHS, shape)
}

describe('transformer-1L fast path on onnxruntime against the plain tfjs formulation', () => {
  beforeAll(async () => {
    await useCpuBackend()
  })
  afterAll(async () => {
    await tf.setBackend('cpu')
  })

  it('computes the same loss, every gradient and the logits for one run', async () => {
    const c = config(1)
    const ref = plain(c)
    const fast = await open(shapeOf(c, 1))
    const { loss, grads } = await fast.gradients([ref.params], makeRowFeed([ref.data.train], c.p, true))
    expect(loss[0]).toBeCloseTo(ref.loss, 5)
    expect(Object.keys(grads[0]).sort()).toEqual(Object.keys(ref.gradients).sort())
    for (const name of Object.keys(ref.gradients)) expectClose(grads[0][name], ref.gradients[name], name)
    // The "=" column of W_U never reaches the logits, so its gradient is zero (and is not left out).
    expect(grads[0]['unembed.W_U'].filter((_, i) => i % (c.p + 1) === c.p).every((g) => g === 0)).toBe(true)
    const logits = await fast.logits([ref.params], makeRowFeed([ref.data.test], c.p, false))
    expectClose(logits, ref.logits, 'test logits')
    await fast.dispose()
  }, 60_000)

  it("computes K members' gradients with their own weights and splits in one call, each as if alone", async () => {
    const cs = [2, 3, 4].map((seed) => config(seed))
    const refs = cs.map(plain)
    const fast = await open(shapeOf(cs[0], 3))
    const { loss, grads } = await fast.gradients(
      refs.map((r) => r.params),
      makeRowFeed(
        refs.map((r) => r.data.train),
        cs[0].p,
        true,
      ),
    )
    refs.forEach((ref, k) => {
      expect(loss[k]).toBeCloseTo(ref.loss, 5)
      for (const name of Object.keys(ref.gradients)) expectClose(grads[k][name], ref.gradients[name], `member ${k} ${name}`)
    })
    expect(Math.abs(loss[0] - loss[1])).toBeGreaterThan(1e-3)
    await fast.dispose()
  }, 60_000)

  it('measures loss, accuracy, margin and the MLP ReLU share as the plain system does', async () => {
    const cs = [5, 6].map((seed) => config(seed, { init_scale: 1 }))
    const refs = cs.map(plain)
    const fast = await open(shapeOf(cs[0], 2))
    const weights = refs.map((r) => r.params)
    const train = await fast.metrics(
      weights,
      makeRowFeed(
        refs.map((r) => r.data.train),
        cs[0].p,
        true,
      ),
      true,
    )
    const test = await fast.metrics(
      weights,
      makeRowFeed(
        refs.map((r) => r.data.test),
        cs[0].p,
        false,
      ),
    )
    refs.forEach((ref, k) => {
      expect(train.loss[k]).toBeCloseTo(ref.measured.train_loss, 5)
      expect(train.acc[k]).toBeCloseTo(ref.measured.train_acc, 6)
      expect(train.minMargin![k]).toBeCloseTo(ref.measured.min_train_margin, 4)
      expect(train.reluActive![k]).toBeCloseTo(ref.measured.relu_active, 6)
      expect(test.loss[k]).toBeCloseTo(ref.measured.test_loss, 5)
      expect(test.acc[k]).toBeCloseTo(ref.measured.test_acc, 6)
    })
    await fast.dispose()
  }, 60_000)

  it('is deterministic, and right on a larger shape with 4 heads', async () => {
    const c = config(7, { p: 31, frac: 0.3, d: 32, heads: 4, hidden: 64, init_scale: 1 })
    const ref = plain(c)
    const fast = await open(shapeOf(c, 1))
    const feed = makeRowFeed([ref.data.train], c.p, true)
    const first = (await fast.gradients([ref.params], feed)).grads[0]
    for (const name of Object.keys(ref.gradients)) expectClose(first[name], ref.gradients[name], name)
    for (let i = 0; i < 4; i++) {
      const again = (await fast.gradients([ref.params], feed)).grads[0]
      for (const name of Object.keys(first)) expect(bytes(again[name]).equals(bytes(first[name])), `${name}, call ${i}`).toBe(true)
    }
    await fast.dispose()
  }, 60_000)
})
