import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { parseRunConfig } from '../../shared/run-config'
import type { ModelParam } from '../models/model'
import { Optimizer } from './optimizer'

function param(values: number[]): ModelParam {
  return { name: 'w', group: 'head', variable: tf.variable(tf.tensor1d(values)) }
}

function step(opt: Optimizer, grad: number[]): void {
  tf.tidy(() => opt.apply({ w: tf.tensor1d(grad) }))
}

const config = (over: Record<string, unknown>) =>
  parseRunConfig({ p: 5, frac: 0.5, steps: 1, lr: 0.1, ...over })

describe('optimizer', () => {
  beforeAll(useCpuBackend)

  it('AdamW matches a hand-computed two-step update (decoupled decay, bias correction)', () => {
    // lr 0.1, wd 0.5, betas (0.9, 0.98), eps 1e-8; w0 = [1, -2], g1 = [0.5, 0.1], g2 = [-0.2, 0.3].
    // Step 1: w ← 0.95·w, m̂ = g1, v̂ = g1², so w1 = 0.95·w0 − 0.1·sign(g1) = [0.85, −2].
    // Step 2: m = 0.09·g1 + 0.1·g2 = [0.025, 0.039], v = 0.0196·g1² + 0.02·g2² = [0.0057, 0.001996],
    //   w2 = 0.95·w1 − 0.1·(m/0.19)/(√(v/0.0396)) = [0.7728186, −1.9914278].
    const w = param([1, -2])
    const opt = new Optimizer(config({ optimizer: 'adamw', wd: 0.5, beta1: 0.9, beta2: 0.98 }), [w])
    step(opt, [0.5, 0.1])
    expect(Array.from(w.variable.dataSync())).toEqual([expect.closeTo(0.85, 6), expect.closeTo(-2, 6)])
    step(opt, [-0.2, 0.3])
    expect(Array.from(w.variable.dataSync())).toEqual([expect.closeTo(0.7728186, 5), expect.closeTo(-1.9914278, 5)])
  })

  it('applies per-layer weight decay from wd_per_layer', () => {
    const a: ModelParam = { name: 'a', group: 'embedding', variable: tf.variable(tf.tensor1d([1])) }
    const b: ModelParam = { name: 'b', group: 'head', variable: tf.variable(tf.tensor1d([1])) }
    const opt = new Optimizer(config({ optimizer: 'adamw', wd: 1, wd_per_layer: { a: 0 } }), [a, b])
    tf.tidy(() => opt.apply({ a: tf.tensor1d([0]), b: tf.tensor1d([0]) }))
    expect(a.variable.dataSync()[0]).toBeCloseTo(1, 7)
    expect(b.variable.dataSync()[0]).toBeCloseTo(0.9, 6)
  })

  it('refuses wd_per_layer keys that name no tensor', () => {
    expect(() => new Optimizer(config({ wd_per_layer: { nope: 1 } }), [param([1])])).toThrow(/nope/)
  })

  it('SGD couples decay into the gradient, with torch-style momentum', () => {
    const w = param([1])
    const opt = new Optimizer(config({ optimizer: 'sgd', wd: 0.5, momentum: 0.9 }), [w])
    step(opt, [1]) // g = 1 + 0.5·1 = 1.5, buf = 1.5, w = 1 − 0.15 = 0.85
    expect(w.variable.dataSync()[0]).toBeCloseTo(0.85, 6)
    step(opt, [1]) // g = 1 + 0.425 = 1.425, buf = 0.9·1.5 + 1.425 = 2.775, w = 0.85 − 0.2775
    expect(w.variable.dataSync()[0]).toBeCloseTo(0.5725, 6)
  })

  it('Adam (not AdamW) adds wd·w to the gradient', () => {
    const w = param([2])
    const opt = new Optimizer(config({ optimizer: 'adam', wd: 1 }), [w])
    step(opt, [-1]) // g = −1 + 2 = 1 > 0, so the first Adam step moves w down by lr
    expect(w.variable.dataSync()[0]).toBeCloseTo(1.9, 5)
  })

  it('linear warmup ramps the learning rate', () => {
    const opt = new Optimizer(config({ warmup: 4 }), [param([0])])
    const rates: number[] = []
    for (let i = 0; i < 5; i++) {
      rates.push(opt.learningRate())
      step(opt, [1])
    }
    expect(rates).toEqual([0.025, 0.05, 0.075, 0.1, 0.1].map((r) => expect.closeTo(r, 10)))
  })

  it('exports and restores its state exactly', async () => {
    const w = param([1, 2])
    const opt = new Optimizer(config({}), [w])
    step(opt, [0.3, -0.1])
    const state = await opt.state()
    const w2 = param([1, 2])
    const opt2 = new Optimizer(config({}), [w2])
    opt2.load(state)
    expect(opt2.step).toBe(1)
    w2.variable.assign(w.variable)
    step(opt, [0.2, 0.2])
    step(opt2, [0.2, 0.2])
    expect(Array.from(w2.variable.dataSync())).toEqual(Array.from(w.variable.dataSync()))
  })
})
