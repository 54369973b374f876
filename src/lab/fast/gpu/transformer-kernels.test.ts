import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bytes, expectClose, plain } from '../../../../test/helpers/plain-modular'
import { useCpuBackend } from '../../../../test/helpers/tf-cpu'
import { parseRunConfig, type RunConfig } from '../../../shared/run-config'
import type { FastShape } from '../model-graphs'
import { makeRowFeed } from '../row-feed'
import { gpuDevice } from './gpu-device'
import { TransformerGpu } from './transformer-gpu'

const config = (seed: number, extra: Partial<RunConfig> = {}): RunConfig =>
  parseRunConfig({ model: 'transformer-1l', p: 11, frac: 0.5, steps: 1, lr: 1e-3, d: 8, heads: 2, hidden: 16, seed, init_scale: 1 + seed / 4, ...extra })

const shapeOf = (c: RunConfig, members: number): FastShape => ({ p: c.p, d: c.d, hidden: c.hidden, heads: c.heads, members })

async function open(shape: FastShape, splitChunk?: number): Promise<TransformerGpu> {
  const { device, reason } = await gpuDevice()
  if (!device) throw new Error(`no WebGPU device (${reason}); CI installs Mesa's EGL so Dawn finds one`)
  return TransformerGpu.create(device, shape, splitChunk)
}

// CI installs Mesa's EGL, so Dawn finds a (software) WebGPU device there and these always run.
const gpuHere = process.env.CI ? true : (await gpuDevice()).device !== undefined
if (!gpuHere) console.warn('transformer-kernels.test: no WebGPU device here; CI runs these')

describe.runIf(gpuHere)('transformer-1L WGSL kernels against the plain tfjs formulation', () => {
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
    // The "=" column of W_U never reaches the logits: its gradient is zero.
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
    // The members differ, so a mix-up between them could not pass the checks above.
    expect(Math.abs(loss[0] - loss[1])).toBeGreaterThan(1e-3)
    await fast.dispose()
  }, 60_000)

  it('measures loss, accuracy, margin, the MLP ReLU share and churn as the plain system does', async () => {
    const cs = [5, 6].map((seed) => config(seed, { init_scale: 1 }))
    const refs = cs.map(plain)
    const fast = await open(shapeOf(cs[0], 2))
    const weights = refs.map((r) => r.params)
    const feed = makeRowFeed(
      refs.map((r) => r.data.train),
      cs[0].p,
      true,
    )
    const train = await fast.metrics(weights, feed, true)
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
      // Against the all-off pattern of a fresh engine, every active unit counts as a flip.
      expect(train.reluChurn![k]).toBeCloseTo(ref.measured.relu_active, 6)
      expect(test.loss[k]).toBeCloseTo(ref.measured.test_loss, 5)
      expect(test.acc[k]).toBeCloseTo(ref.measured.test_acc, 6)
    })
    const combined = await fast.gradientsWithMetrics(weights, feed)
    // The same weights again: the pattern the engine kept has not moved.
    expect(Array.from(combined.metrics.reluChurn!)).toEqual([0, 0])
    combined.metrics.loss.forEach((v, k) => expect(v).toBeCloseTo(train.loss[k], 6))
    refs.forEach((ref, k) => expectClose(combined.grads[k]['blocks.0.attn.W_Q'], ref.gradients['blocks.0.attn.W_Q'], 'W_Q from the combined pass'))
    await fast.dispose()
  }, 60_000)

  it('is deterministic, and right with 4 heads and the sums over pairs split in chunks', async () => {
    const c = config(7, { p: 23, frac: 0.4, d: 16, heads: 4, hidden: 32, init_scale: 1 })
    const ref = plain(c)
    const feed = makeRowFeed([ref.data.train], c.p, true)
    // Chunks of 64 pairs: the weight gradients' sums over the 211 pairs come in 4 parts.
    expect(feed.rows).toBeGreaterThan(3 * 64)
    const whole = await open(shapeOf(c, 1))
    const split = await open(shapeOf(c, 1), 64)
    const first = (await split.gradients([ref.params], feed)).grads[0]
    const unsplit = (await whole.gradients([ref.params], feed)).grads[0]
    for (const name of Object.keys(ref.gradients)) {
      expectClose(first[name], ref.gradients[name], name)
      expectClose(unsplit[name], ref.gradients[name], `${name} unsplit`)
    }
    for (let i = 0; i < 3; i++) {
      const again = (await split.gradients([ref.params], feed)).grads[0]
      for (const name of Object.keys(first)) expect(bytes(again[name]).equals(bytes(first[name])), `${name}, call ${i}`).toBe(true)
    }
    await Promise.all([whole.dispose(), split.dispose()])
  }, 60_000)

  for (const heads of [1, 3]) {
    it(`is right past one GEMM tile and on long sets: p 71, d 72, ${heads} head(s), hidden 80, sums split at the default chunk`, async () => {
      // 3d, p and hidden over the 64-wide tile (W_U read with ldb p + 1 across column tiles), d not a
      // multiple of 16, over 256 pairs (the tree kernel for bias sums and the "=" row's sum).
      const c = config(8, { p: 71, frac: 0.3, d: 72, heads, hidden: 80, init_scale: 1 })
      const ref = plain(c)
      const feed = makeRowFeed([ref.data.train], c.p, true)
      expect(feed.rows).toBeGreaterThan(2 * 512)
      const fast = await open(shapeOf(c, 1))
      const { loss, grads } = await fast.gradients([ref.params], feed)
      expect(loss[0]).toBeCloseTo(ref.loss, 5)
      for (const name of Object.keys(ref.gradients)) expectClose(grads[0][name], ref.gradients[name], name)
      await fast.dispose()
    }, 60_000)
  }
})
