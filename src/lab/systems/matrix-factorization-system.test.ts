import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { parseRunConfig } from '../../shared/run-config'
import { createParams, initialValues } from '../models/model'
import { Rng } from '../random'
import { makeMatrixCompletion } from '../tasks/matrix-completion'
import { createMatrixFactorizationSystem, matrixFactorizationSpecs } from './matrix-factorization-system'

const cfg = parseRunConfig({ task: 'matrix-completion', model: 'matrix-factorization', dim: 6, rank: 2, frac: 0.5, hidden: 4, steps: 1, lr: 0.1, seed: 3 })
const n = cfg.dim

/** A system over given U, V (row-major [dim, hidden]). */
function systemWith(u: Float32Array, v: Float32Array) {
  return createMatrixFactorizationSystem(cfg, createParams(matrixFactorizationSpecs(cfg), [u, v]))
}

const randomFactor = (stream: number, scale = 0.7) => {
  const rng = new Rng(11, stream)
  return Float32Array.from({ length: n * cfg.hidden }, () => scale * rng.normal())
}

/** Host (float64) UVᵀ − M*, the direct computation the tensors are checked against. */
function hostError(u: Float32Array, v: Float32Array, target: Float32Array): Float64Array {
  const e = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let k = 0; k < cfg.hidden; k++) s += u[i * cfg.hidden + k] * v[j * cfg.hidden + k]
      e[i * n + j] = s - target[i * n + j]
    }
  }
  return e
}

describe('matrix-factorization system (LD)', () => {
  beforeAll(useCpuBackend)
  const data = makeMatrixCompletion(cfg.dim, cfg.rank, cfg.frac, cfg.seed)
  const u = randomFactor(31)
  const v = randomFactor(32)
  const err = hostError(u, v, data.target)

  it('specs: U Gaussian N(0, 1/hidden) as the head, V zero, so UVᵀ = 0 at any init scale', () => {
    const specs = matrixFactorizationSpecs({ dim: 30, hidden: 400 })
    expect(specs.map((s) => [s.name, s.shape, s.group])).toEqual([['U', [30, 400], 'head'], ['V', [30, 400], 'mlp']])
    const [U, V] = initialValues(specs, 0, 10)
    const std = Math.sqrt(U.reduce((a, x) => a + x * x, 0) / U.length)
    expect(std).toBeCloseTo(10 / Math.sqrt(400), 2)
    expect(V.every((x) => x === 0)).toBe(true)
  })

  it('train loss = mean squared error over observed entries, gradients = the closed form', () => {
    const sys = systemWith(u, v)
    const loss = sys.trainLoss(0)
    let expected = 0
    for (let k = 0; k < n * n; k++) expected += data.mask[k] * err[k] ** 2
    expected /= data.observed
    expect(tf.tidy(() => loss().dataSync()[0])).toBeCloseTo(expected, 4)
    // ∇U = (2/n_obs)(P∘E)V, ∇V = (2/n_obs)(P∘E)ᵀU.
    const { grads } = tf.variableGrads(loss, sys.params.map((q) => q.variable))
    const [gU, gV] = sys.params.map((q) => grads[q.variable.name].dataSync())
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < cfg.hidden; k++) {
        let su = 0
        let sv = 0
        for (let j = 0; j < n; j++) {
          su += data.mask[i * n + j] * err[i * n + j] * v[j * cfg.hidden + k]
          sv += data.mask[j * n + i] * err[j * n + i] * u[j * cfg.hidden + k]
        }
        expect(gU[i * cfg.hidden + k]).toBeCloseTo((2 / data.observed) * su, 4)
        expect(gV[i * cfg.hidden + k]).toBeCloseTo((2 / data.observed) * sv, 4)
      }
    }
  })

  it('measures losses, tolerance accuracies and the margin on observed / held-out entries', () => {
    const sys = systemWith(u, v)
    const got = tf.tidy(() => Object.fromEntries(Object.entries(sys.measure().scalars).map(([k, t]) => [k, t.dataSync()[0]])))
    const tol = 0.1 * data.rms
    const acc = { sq: [0, 0], hit: [0, 0], maxObs: 0 }
    for (let k = 0; k < n * n; k++) {
      const split = data.mask[k] === 1 ? 0 : 1
      acc.sq[split] += err[k] ** 2
      acc.hit[split] += Math.abs(err[k]) < tol ? 1 : 0
      if (split === 0) acc.maxObs = Math.max(acc.maxObs, Math.abs(err[k]))
    }
    const nTest = n * n - data.observed
    expect(got.train_loss).toBeCloseTo(acc.sq[0] / data.observed, 4)
    expect(got.test_loss).toBeCloseTo(acc.sq[1] / nTest, 4)
    expect(got.train_acc).toBeCloseTo(acc.hit[0] / data.observed, 6)
    expect(got.test_acc).toBeCloseTo(acc.hit[1] / nTest, 6)
    expect(got.min_train_margin).toBeCloseTo(tol - acc.maxObs, 4)
  })

  it('at M = M* every entry is correct and the margin is the full tolerance', () => {
    // hidden = dim, U = M*, V = I: UVᵀ = M* exactly.
    const c = parseRunConfig({ ...cfg, hidden: n })
    const target = makeMatrixCompletion(c.dim, c.rank, c.frac, c.seed).target
    const eye = Float32Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0))
    const sys = createMatrixFactorizationSystem(c, createParams(matrixFactorizationSpecs(c), [target.slice(), eye]))
    const got = tf.tidy(() => Object.fromEntries(Object.entries(sys.measure().scalars).map(([k, t]) => [k, t.dataSync()[0]])))
    expect(got.train_acc).toBe(1)
    expect(got.test_acc).toBe(1)
    expect(got.test_loss).toBeLessThan(1e-10)
    expect(got.min_train_margin).toBeCloseTo(0.1, 5)
  })

  it('host metrics: nuclear norm and effective rank of UVᵀ', () => {
    // U = diag(3, 1, 0, 0…) in the first columns, V = identity columns: UVᵀ = diag(3, 1, 0, …).
    const uu = new Float32Array(n * cfg.hidden)
    const vv = new Float32Array(n * cfg.hidden)
    uu[0] = 3
    uu[cfg.hidden + 1] = 1
    for (let i = 0; i < cfg.hidden; i++) vv[i * cfg.hidden + i] = 1
    const sys = systemWith(uu, vv)
    const m = sys.hostMetrics!([
      { name: 'U', shape: [n, cfg.hidden], data: uu },
      { name: 'V', shape: [n, cfg.hidden], data: vv },
    ], 0)
    expect(m.e2e_nuclear).toBeCloseTo(4, 5)
    const q = [0.75, 0.25]
    expect(m.e2e_effective_rank).toBeCloseTo(Math.exp(-q.reduce((a, p) => a + p * Math.log(p), 0)), 5)
    expect(m.target_nuclear).toBeGreaterThan(0)
  })
})
