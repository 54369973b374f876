import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { parseRunConfig } from '../../shared/run-config'
import { createParams, initialValues } from '../models/model'
import { makeTeacherStudent } from '../tasks/teacher-student'
import { createTwoLayerReluSystem, twoLayerReluSpecs } from './two-layer-relu-system'

const cfg = parseRunConfig({
  task: 'teacher-student', model: 'two-layer-relu', dim: 5, hidden: 7, n_train: 9, n_test: 11, teacher_width: 2, noise: 0.1,
  steps: 1, lr: 0.1, seed: 2,
})
const { dim, hidden } = cfg

/** Host (float64) forward pass: pre-activations [hidden][n] and outputs [n]. */
function hostForward(w: Float32Array, b: Float32Array, a: Float32Array, x: Float32Array, count: number) {
  const pre = Array.from({ length: hidden }, (_, k) =>
    Array.from({ length: count }, (_, i) => {
      let s = b[k]
      for (let j = 0; j < dim; j++) s += w[k * dim + j] * x[i * dim + j]
      return s
    }),
  )
  const out = Array.from({ length: count }, (_, i) => pre.reduce((s, row, k) => s + a[k] * Math.max(0, row[i]), 0))
  return { pre, out }
}

describe('two-layer ReLU student (GF)', () => {
  beforeAll(useCpuBackend)
  const data = makeTeacherStudent(dim, cfg.teacher_width, cfg.n_train, cfg.n_test, cfg.noise, cfg.seed)
  const values = initialValues(twoLayerReluSpecs(cfg), 4, 1.5)
  const [w, b, a] = values

  it('specs follow nn.Linear defaults: W, b U(±1/√dim), a U(±1/√hidden) as the head', () => {
    const specs = twoLayerReluSpecs(cfg)
    expect(specs.map((s) => [s.name, s.shape, s.group])).toEqual([
      ['W', [hidden, dim], 'mlp'], ['b', [hidden], 'mlp'], ['a', [hidden], 'head'],
    ])
    expect(specs.map((s) => s.init)).toEqual([
      { kind: 'uniform', bound: 1 / Math.sqrt(dim) }, { kind: 'uniform', bound: 1 / Math.sqrt(dim) },
      { kind: 'uniform', bound: 1 / Math.sqrt(hidden) },
    ])
  })

  it('train loss = mean (f(x) − y)² with f = aᵀReLU(Wx + b); gradients = the closed form', () => {
    const sys = createTwoLayerReluSystem(cfg, createParams(twoLayerReluSpecs(cfg), values))
    const n = cfg.n_train
    const { pre, out } = hostForward(w, b, a, data.train.x, n)
    const r = out.map((f, i) => f - data.train.y[i])
    const loss = sys.trainLoss(0)
    expect(tf.tidy(() => loss().dataSync()[0])).toBeCloseTo(r.reduce((s, e) => s + e * e, 0) / n, 5)
    const { grads } = tf.variableGrads(loss, sys.params.map((q) => q.variable))
    const [gW, gb, ga] = sys.params.map((q) => grads[q.variable.name].dataSync())
    for (let k = 0; k < hidden; k++) {
      let sa = 0
      let sb = 0
      const sw = new Array(dim).fill(0)
      for (let i = 0; i < n; i++) {
        const on = pre[k][i] > 0 ? 1 : 0
        sa += r[i] * Math.max(0, pre[k][i])
        sb += r[i] * a[k] * on
        for (let j = 0; j < dim; j++) sw[j] += r[i] * a[k] * on * data.train.x[i * dim + j]
      }
      expect(ga[k]).toBeCloseTo((2 / n) * sa, 4)
      expect(gb[k]).toBeCloseTo((2 / n) * sb, 4)
      for (let j = 0; j < dim; j++) expect(gW[k * dim + j]).toBeCloseTo((2 / n) * sw[j], 4)
    }
  })

  it('measures both splits, the tolerance accuracies, the margin and the train ReLU pattern [n, hidden]', () => {
    const sys = createTwoLayerReluSystem(cfg, createParams(twoLayerReluSpecs(cfg), values))
    const { got, pattern } = tf.tidy(() => {
      const m = sys.measure()
      return {
        got: Object.fromEntries(Object.entries(m.scalars).map(([k, t]) => [k, t.dataSync()[0]])),
        pattern: { shape: m.pattern!.shape, data: Array.from(m.pattern!.dataSync()) },
      }
    })
    const tol = 0.1 * data.rms
    for (const [split, s] of [['train', data.train], ['test', data.test]] as const) {
      const { out } = hostForward(w, b, a, s.x, s.n)
      const err = out.map((f, i) => Math.abs(f - s.y[i]))
      expect(got[`${split}_loss`]).toBeCloseTo(err.reduce((acc, e) => acc + e * e, 0) / s.n, 5)
      expect(got[`${split}_acc`]).toBeCloseTo(err.filter((e) => e < tol).length / s.n, 6)
      if (split === 'train') expect(got.min_train_margin).toBeCloseTo(tol - Math.max(...err), 5)
    }
    const { pre } = hostForward(w, b, a, data.train.x, cfg.n_train)
    expect(pattern.shape).toEqual([cfg.n_train, hidden])
    expect(pattern.data).toEqual(Array.from({ length: cfg.n_train * hidden }, (_, q) => (pre[q % hidden][Math.floor(q / hidden)] > 0 ? 1 : 0)))
  })
})
