import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { parseRunConfig, type RunConfigInput } from '../../shared/run-config'
import { schattenFloor, structuralEnergy } from '../analysis/deep-linear'
import { matmul, matmulChain, transpose, type DenseMatrix } from '../analysis/dense-matrix'
import { makeLowRankTeacher } from '../tasks/low-rank-teacher'
import { makeModularDataset } from '../tasks/modular-arithmetic'
import { buildSystem } from './system-registry'
import { deepLinearMetrics } from './deep-linear-system'

const base: RunConfigInput = {
  task: 'low-rank-teacher',
  model: 'deep-linear',
  dim: 6,
  classes: 4,
  rank: 2,
  n_train: 9,
  n_test: 7,
  depth: 3,
  hidden: 5,
  optimizer: 'sgd',
  lr: 0.1,
  wd: 0.01,
  steps: 10,
  seed: 3,
}

/** The layers of a built system as host matrices [out, in]. */
const layersOf = (params: { variable: tf.Variable }[]): DenseMatrix[] =>
  params.map((q) => ({ data: q.variable.dataSync() as Float32Array, rows: q.variable.shape[0], cols: q.variable.shape[1] as number }))

/** Logits Z = X Mᵀ [n, classes] and the mean cross-entropy, all on the host in float64. */
function hostForward(layers: DenseMatrix[], x: DenseMatrix, label: Int32Array) {
  const z = matmul(x, transpose(matmulChain([...layers].reverse())))
  let loss = 0
  const dz = new Float64Array(z.data.length) // ∂loss/∂Z = (softmax(Z) − Y)/n
  for (let i = 0; i < z.rows; i++) {
    const row = Array.from(z.data.slice(i * z.cols, (i + 1) * z.cols))
    const mx = Math.max(...row)
    const lse = mx + Math.log(row.reduce((s, v) => s + Math.exp(v - mx), 0))
    loss += (lse - row[label[i]]) / z.rows
    row.forEach((v, c) => (dz[i * z.cols + c] = (Math.exp(v - lse) - (c === label[i] ? 1 : 0)) / z.rows))
  }
  return { z, loss, dz: { data: dz, rows: z.rows, cols: z.cols } }
}

describe('deep linear system (TC)', () => {
  beforeAll(useCpuBackend)

  it('stores W_l as [out, in] with std 1/√fan_in, W_L as the head', () => {
    const system = buildSystem(parseRunConfig({ ...base, init_scale: 1 }))
    expect(system.specs.map((s) => [s.name, s.shape, s.group])).toEqual([
      ['W_1', [5, 6], 'embedding'],
      ['W_2', [5, 5], 'embedding'],
      ['W_3', [4, 5], 'head'],
    ])
    expect(system.specs.map((s) => (s.init.kind === 'normal' ? s.init.std : 0))).toEqual([1 / Math.sqrt(6), 1 / Math.sqrt(5), 1 / Math.sqrt(5)])
    system.dispose()
  })

  it('computes logits W_L⋯W_1 x and the exact cross-entropy gradient of every layer', () => {
    const c = parseRunConfig(base)
    const system = buildSystem(c)
    const data = makeLowRankTeacher(c)
    const x = { data: data.train.x, rows: c.n_train, cols: c.dim }
    const layers = layersOf(system.params)
    const host = hostForward(layers, x, data.train.label)
    const { value, grads } = tf.variableGrads(system.trainLoss(0), system.params.map((q) => q.variable))
    expect(value.dataSync()[0]).toBeCloseTo(host.loss, 5)
    // ∂loss/∂W_l = (W_L⋯W_{l+1})ᵀ · ∂Zᵀ · X · (W_{l−1}⋯W_1)ᵀ
    system.params.forEach((q, l) => {
      const above = l + 1 < layers.length ? matmulChain(layers.slice(l + 1).reverse()) : null
      const below = l > 0 ? matmulChain(layers.slice(0, l).reverse()) : null
      let g = transpose(host.dz)
      if (above) g = matmul(transpose(above), g)
      g = matmul(g, x)
      if (below) g = matmul(g, transpose(below))
      const ours = grads[q.variable.name].dataSync()
      g.data.forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 5))
    })
    const m = system.measure().scalars
    const predicted = Array.from({ length: c.n_train }, (_, i) => {
      const row = Array.from(host.z.data.slice(i * 4, i * 4 + 4))
      return row.indexOf(Math.max(...row))
    })
    const acc = predicted.filter((p, i) => p === data.train.label[i]).length / c.n_train
    expect(m.train_acc.dataSync()[0]).toBeCloseTo(acc, 6)
    expect(m.train_loss.dataSync()[0]).toBeCloseTo(host.loss, 5)
    const margins = predicted.map((_, i) => {
      const row = Array.from(host.z.data.slice(i * 4, i * 4 + 4))
      const y = data.train.label[i]
      return row[y] - Math.max(...row.filter((__, k) => k !== y))
    })
    expect(m.min_train_margin.dataSync()[0]).toBeCloseTo(Math.min(...margins), 5)
    system.dispose()
  })

  it('on modular pairs, feeds [onehot(a); onehot(b)]: logits = M[:, a] + M[:, p + b]', () => {
    const c = parseRunConfig({ ...base, task: 'modular', p: 5, frac: 0.5, depth: 2 })
    const system = buildSystem(c)
    expect(system.specs.map((s) => s.shape)).toEqual([[5, 10], [5, 5]])
    const M = matmulChain(layersOf(system.params).reverse())
    const { train } = makeModularDataset(5, 'add', 0.5, c.seed)
    let loss = 0
    for (let i = 0; i < train.label.length; i++) {
      const z = Array.from({ length: 5 }, (_, k) => M.data[k * 10 + train.a[i]] + M.data[k * 10 + 5 + train.b[i]])
      const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0))
      loss += (lse - z[train.label[i]]) / train.label.length
    }
    expect(system.measure().scalars.train_loss.dataSync()[0]).toBeCloseTo(loss, 5)
    system.dispose()
  })

  it('host metrics: floor and energy match analysis/deep-linear, gap ≥ 0, per-layer λ uses their geometric mean', () => {
    const system = buildSystem(parseRunConfig(base))
    const layers = layersOf(system.params)
    const m = deepLinearMetrics(layers, [0.01, 0.01, 0.01])
    expect(m.schatten_floor).toBeCloseTo(schattenFloor(layers, 0.01), 10)
    expect(m.energy_gap).toBeCloseTo(structuralEnergy(layers, 0.01) - schattenFloor(layers, 0.01), 10)
    expect(m.energy_gap).toBeGreaterThan(0)
    expect(m.e2e_effective_rank).toBeGreaterThan(1)
    expect(m.e2e_effective_rank).toBeLessThanOrEqual(4)
    // λ = (0.04, 0.01, 0.0025): geometric mean 0.01, so the floor is the equal-λ one.
    const mixed = deepLinearMetrics(layers, [0.04, 0.01, 0.0025])
    expect(mixed.schatten_floor).toBeCloseTo(m.schatten_floor, 10)
    expect(mixed.energy_gap).toBeGreaterThan(0)
    system.dispose()
  })

  it('a balanced factorization has zero energy gap and zero balancedness gap', () => {
    // W_1 = diag(2, 1), W_2 = diag(2, 1): balanced (W_2ᵀW_2 = W_1W_1ᵀ), M = diag(4, 1).
    const w = { data: [2, 0, 0, 1], rows: 2, cols: 2 }
    const m = deepLinearMetrics([w, w], [0.1, 0.1])
    expect(m.schatten_floor).toBeCloseTo(0.1 * (4 + 1), 12) // (λL/2)·Σσ^{2/L}, L = 2
    expect(m.energy_gap).toBeCloseTo(0, 12)
    expect(m.balancedness_gap).toBeCloseTo(0, 12)
    expect(m.e2e_nuclear).toBeCloseTo(5, 12)
  })
})
