import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { parseRunConfig, type RunConfigInput } from '../../shared/run-config'
import { makeSparseLinear } from '../tasks/sparse-linear'
import { buildSystem } from './system-registry'
import { betaMetrics } from './diagonal-linear-system'

const base: RunConfigInput = {
  task: 'sparse-linear',
  model: 'diagonal-linear',
  dim: 8,
  sparsity: 2,
  n_train: 6,
  n_test: 9,
  optimizer: 'sgd',
  lr: 0.1,
  init_scale: 1.5,
  steps: 10,
  seed: 1,
}

const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))

describe('diagonal linear system (LD)', () => {
  beforeAll(useCpuBackend)

  it('starts at u = v = α·1, where f ≡ 0 and the logistic loss is log 2', () => {
    const system = buildSystem(parseRunConfig(base))
    expect(system.specs.map((s) => [s.name, s.shape])).toEqual([['u', [8]], ['v', [8]]])
    for (const q of system.params) expect(Array.from(q.variable.dataSync())).toEqual(Array(8).fill(1.5))
    const m = system.measure().scalars
    expect(m.train_loss.dataSync()[0]).toBeCloseTo(Math.log(2), 6)
    expect(m.train_acc.dataSync()[0]).toBe(0) // f = 0 agrees with no label
    system.dispose()
  })

  it('matches f = ⟨u² − v², x⟩, its logistic loss, accuracy, margin and gradient computed on the host', () => {
    const c = parseRunConfig(base)
    const system = buildSystem(c)
    const [u, v] = system.params.map((q) => q.variable)
    u.assign(tf.tensor1d([1.2, -0.3, 0.8, 1.9, 0.1, -1.1, 0.6, 1.4]))
    v.assign(tf.tensor1d([0.4, 1.0, -0.7, 0.2, 1.3, 0.9, -0.5, 1.6]))
    const uh = Array.from(u.dataSync())
    const vh = Array.from(v.dataSync())
    const beta = uh.map((a, j) => a * a - vh[j] * vh[j])
    const { train } = makeSparseLinear({ ...c, margin: 0 })
    const f = Array.from({ length: c.n_train }, (_, i) => beta.reduce((s, b, j) => s + b * train.x[i * 8 + j], 0))
    const margins = f.map((fi, i) => train.y[i] * fi)
    const loss = margins.reduce((s, m) => s + softplus(-m), 0) / c.n_train
    const m = system.measure().scalars
    expect(m.train_loss.dataSync()[0]).toBeCloseTo(loss, 5)
    expect(m.train_acc.dataSync()[0]).toBeCloseTo(margins.filter((x) => x > 0).length / c.n_train, 6)
    expect(m.min_train_margin.dataSync()[0]).toBeCloseTo(Math.min(...margins), 5)
    // ∂loss/∂β_j = −(1/n) Σ_i y_i x_ij σ(−y_i f_i); ∂β/∂u = 2u, ∂β/∂v = −2v.
    const gBeta = beta.map((_, j) =>
      train.y.reduce((s, y, i) => s - (y * train.x[i * 8 + j]) / (1 + Math.exp(margins[i])), 0) / c.n_train,
    )
    const { grads } = tf.variableGrads(system.trainLoss(0), [u, v])
    const gu = grads[u.name].dataSync()
    const gv = grads[v.name].dataSync()
    gBeta.forEach((g, j) => {
      expect(gu[j]).toBeCloseTo(2 * uh[j] * g, 5)
      expect(gv[j]).toBeCloseTo(-2 * vh[j] * g, 5)
    })
    system.dispose()
  })

  it('keeps the small β of a large-α init accurate in float32', () => {
    const system = buildSystem(parseRunConfig({ ...base, init_scale: 1000 }))
    const [u, v] = system.params.map((q) => q.variable)
    u.assign(tf.add(u, 1e-3))
    // β from the stored float32 values in float64: ≈ 2000 × 0.001. In float32, u² − v² ≈ 10⁶ would
    // carry an error of ~0.06 (its spacing at 10⁶); (u − v)(u + v) stays exact to ~1e-7.
    const uh = u.dataSync()[0]
    const vh = v.dataSync()[0]
    const beta = (uh - vh) * (uh + vh)
    const c = parseRunConfig(base)
    const { train } = makeSparseLinear({ ...c, margin: 0 })
    const loss =
      Array.from({ length: c.n_train }, (_, i) => {
        const fi = Array.from({ length: 8 }, (_, j) => beta * train.x[i * 8 + j]).reduce((a, b) => a + b, 0)
        return softplus(-train.y[i] * fi)
      }).reduce((a, b) => a + b, 0) / c.n_train
    expect(system.measure().scalars.train_loss.dataSync()[0]).toBeCloseTo(loss, 5)
    system.dispose()
  })

  it('beta metrics: ℓ1 norm, share on the support, effective support', () => {
    const u = Float32Array.from([2, 1, 0, 1])
    const v = Float32Array.from([0, 1, 1, 0])
    // β = (4, 0, −1, 1); support {0, 2}
    const m = betaMetrics(u, v, Uint8Array.from([1, 0, 1, 0]))
    expect(m.beta_l1).toBeCloseTo(6, 6)
    expect(m.support_share).toBeCloseTo(5 / 6, 6)
    expect(m.beta_eff_support).toBeCloseTo(36 / 18, 6)
    expect(betaMetrics(u, u, Uint8Array.from([1, 0, 0, 0]))).toEqual({ beta_l1: 0, support_share: 0, beta_eff_support: 0 })
  })
})
