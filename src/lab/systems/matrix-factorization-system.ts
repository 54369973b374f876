import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { denseMatrix, matmul as hostMatmul, transpose } from '../analysis/dense-matrix'
import { effectiveRank, nuclearNorm, singularValues } from '../analysis/spectral'
import type { ModelParam, ParamSpec } from '../models/model'
import { matmul } from '../models/ops'
import { makeMatrixCompletion } from '../tasks/matrix-completion'
import type { TrainingSystem } from './training-system'

/** An entry counts as correct when |M_ij − M*_ij| < ACC_TOLERANCE · rms(M*) (regression has no argmax). */
export const ACC_TOLERANCE = 0.1

/**
 * U [dim, hidden] with entries N(0, 1/hidden) and V [dim, hidden] = 0, before the trainer's init
 * scale α. V = 0 makes UVᵀ = 0 at every α, the zero-output start of LD's large-init analysis (as
 * u = v for the diagonal net): with iid Gaussian V the held-out entries would start at ~α²/√hidden
 * and their decay would hide the kernel-regime plateau. The tangent kernel is U_i·U_k ≈ α²·δ_ik,
 * independent of the width, so α alone sets how lazy training is. As a map x ↦ U(Vᵀx), U is the
 * output layer ('head').
 */
export function matrixFactorizationSpecs(c: Pick<RunConfig, 'dim' | 'hidden'>): ParamSpec[] {
  return [
    { name: 'U', shape: [c.dim, c.hidden], group: 'head', init: { kind: 'normal', std: 1 / Math.sqrt(c.hidden) } },
    { name: 'V', shape: [c.dim, c.hidden], group: 'mlp', init: { kind: 'zeros' } },
  ]
}

/**
 * Matrix completion (LD) with M = U Vᵀ. Loss: mean squared error over all observed entries (full
 * batch), selected by multiplying with a constant 0/1 mask (wasm has no gather gradient).
 * Measures: train/test loss (MSE over observed / held-out entries), train/test accuracy (share of
 * entries with |error| < 0.1·rms(M*)), and min_train_margin = 0.1·rms(M*) − max observed |error|,
 * which turns positive exactly when every observed entry is within tolerance (the analogue of a
 * classification margin). Host metrics: nuclear norm and effective rank of UVᵀ, and ‖M*‖_*.
 */
export function createMatrixFactorizationSystem(c: RunConfig, params: ModelParam[]): TrainingSystem {
  const data = makeMatrixCompletion(c.dim, c.rank, c.frac, c.seed)
  const get = (name: string) => params.find((q) => q.name === name)!.variable as tf.Variable<tf.Rank.R2>
  const [U, V] = [get('U'), get('V')]
  const target = tf.tensor2d(data.target, [c.dim, c.dim])
  const mask = tf.tensor2d(data.mask, [c.dim, c.dim])
  const heldOut = tf.sub(1, mask) as tf.Tensor2D
  const nTrain = data.observed
  const nTest = c.dim * c.dim - data.observed
  const tolerance = ACC_TOLERANCE * data.rms
  const product = () => matmul(U, tf.transpose(V))
  // ‖M*‖_*, the value e2e_nuclear reaches when training lands on the min-nuclear-norm completion M*.
  const targetNuclear = nuclearNorm(denseMatrix(data.target, c.dim, c.dim))

  return {
    specs: matrixFactorizationSpecs(c),
    params,
    trainLoss() {
      return () => tf.div(tf.sum(tf.mul(mask, tf.square(tf.sub(product(), target)))), nTrain) as tf.Scalar
    },
    measure() {
      const error = tf.sub(product(), target)
      const sq = tf.square(error)
      const abs = tf.abs(error)
      const within = tf.cast(tf.less(abs, tolerance), 'float32')
      return {
        scalars: {
          train_loss: tf.div(tf.sum(tf.mul(mask, sq)), nTrain) as tf.Scalar,
          test_loss: tf.div(tf.sum(tf.mul(heldOut, sq)), nTest) as tf.Scalar,
          train_acc: tf.div(tf.sum(tf.mul(mask, within)), nTrain) as tf.Scalar,
          test_acc: tf.div(tf.sum(tf.mul(heldOut, within)), nTest) as tf.Scalar,
          min_train_margin: tf.sub(tolerance, tf.max(tf.mul(mask, abs))) as tf.Scalar,
        },
      }
    },
    hostMetrics(weights) {
      const find = (name: string) => weights.find((w) => w.name === name)!
      const [u, v] = [find('U'), find('V')]
      const m = hostMatmul(denseMatrix(u.data, c.dim, c.hidden), transpose(denseMatrix(v.data, c.dim, c.hidden)))
      const sigma = singularValues(m)
      return { e2e_nuclear: nuclearNorm(sigma), e2e_effective_rank: effectiveRank(sigma), target_nuclear: targetNuclear }
    },
    dispose() {
      target.dispose()
      mask.dispose()
      heldOut.dispose()
    },
  }
}
