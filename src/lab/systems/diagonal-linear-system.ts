import * as tf from '@tensorflow/tfjs'
import { LabError } from '../../shared/lab-error'
import type { RunConfig } from '../../shared/run-config'
import type { ModelParam, ParamSpec } from '../models/model'
import { matmul } from '../models/ops'
import { makeSparseLinear, type BinarySplit } from '../tasks/sparse-linear'
import type { TrainingSystem } from './training-system'

/**
 * Tensors u, v [dim], both constant 1: the trainer's init scale α makes u = v = α·1 (LD).
 * The net has no head; u is filed as one only because the trainer's gradient-norm split needs a
 * tensor in each group (its grad_ratio_head then reads ‖∇u‖/‖∇v‖).
 */
export function diagonalLinearSpecs(c: RunConfig): ParamSpec[] {
  const constant = { kind: 'constant' as const, value: 1 }
  return [
    { name: 'u', shape: [c.dim], group: 'head', init: constant },
    { name: 'v', shape: [c.dim], group: 'embedding', init: constant },
  ]
}

/** Logistic loss mean log(1 + exp(−y·f)) as softplus, exact for large margins of either sign. */
function logisticLoss(f: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.softplus(tf.neg(tf.mul(y, f))))
}

/** The diagonal linear net of LD, f(x) = ⟨u⊙u − v⊙v, x⟩, on sparse linear classification. */
export function createDiagonalLinearSystem(c: RunConfig, params: ModelParam[]): TrainingSystem {
  // LD's two phases are a gradient-flow result; minibatches would silently change the system.
  if (c.batch_size) throw new LabError('diagonal-linear trains full-batch only: leave batch_size unset (null)')
  const data = makeSparseLinear({ ...c, margin: c.boundary_margin })
  const tensors = (s: BinarySplit) => ({ x: tf.tensor2d(s.x, [s.n, c.dim]), y: tf.tensor2d(s.y, [s.n, 1]) })
  const train = tensors(data.train)
  const test = tensors(data.test)
  const [u, v] = params.map((q) => q.variable)
  // β = u⊙u − v⊙v, formed as (u − v)⊙(u + v): at large α, u² and v² are ~α² and their float32
  // difference would lose the small β of the early phase. A column, so f = X β is one product.
  const predict = (x: tf.Tensor2D) => matmul(x, tf.reshape(tf.mul(tf.sub(u, v), tf.add(u, v)), [c.dim, 1]))
  const onSupport = new Uint8Array(c.dim)
  for (const j of data.support) onSupport[j] = 1

  return {
    specs: diagonalLinearSpecs(c),
    params,
    trainLoss() {
      return () => logisticLoss(predict(train.x), train.y)
    },
    measure() {
      const scalars: Record<string, tf.Scalar> = {}
      for (const [split, s] of [['train', train], ['test', test]] as const) {
        const f = predict(s.x)
        const margins = tf.mul(s.y, f)
        scalars[`${split}_loss`] = logisticLoss(f, s.y)
        // Strict sign agreement: f = 0 (as at init, where u = v) counts as wrong.
        scalars[`${split}_acc`] = tf.mean(tf.cast(tf.greater(margins, 0), 'float32'))
        if (split === 'train') scalars.min_train_margin = tf.min(margins)
      }
      return { scalars }
    },
    hostMetrics(weights) {
      const get = (name: string) => weights.find((w) => w.name === name)!.data
      return betaMetrics(get('u'), get('v'), onSupport)
    },
    dispose() {
      for (const t of [train.x, train.y, test.x, test.y]) t.dispose()
    },
  }
}

/**
 * Measures of β = u² − v²: ‖β‖₁, the share of ‖β‖₁ on w*'s support (0 for β = 0), and the
 * effective support (‖β‖₁/‖β‖₂)², between 1 and dim: small when β is sparse (ℓ1-like), large
 * when it is spread out (the kernel regime's ℓ2-like predictor).
 */
export function betaMetrics(u: Float32Array, v: Float32Array, onSupport: Uint8Array): Record<string, number> {
  let l1 = 0
  let l2sq = 0
  let onS = 0
  for (let j = 0; j < u.length; j++) {
    const b = (u[j] - v[j]) * (u[j] + v[j])
    l1 += Math.abs(b)
    l2sq += b * b
    if (onSupport[j]) onS += Math.abs(b)
  }
  return {
    beta_l1: l1,
    support_share: l1 > 0 ? onS / l1 : 0,
    beta_eff_support: l2sq > 0 ? (l1 * l1) / l2sq : 0,
  }
}
