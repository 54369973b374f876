import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import type { ModelParam, ParamSpec } from '../models/model'
import { matmul } from '../models/ops'
import { makeTeacherStudent, type RegressionSplit } from '../tasks/teacher-student'
import { ACC_TOLERANCE } from './matrix-factorization-system'
import type { TrainingSystem } from './training-system'

/**
 * Student tensors with PyTorch's nn.Linear defaults: W [hidden, dim] and b [hidden] U(±1/√dim),
 * output weights a [hidden] U(±1/√hidden) (no output bias). a is the 'head'.
 */
export function twoLayerReluSpecs(c: Pick<RunConfig, 'dim' | 'hidden'>): ParamSpec[] {
  const inBound = 1 / Math.sqrt(c.dim)
  return [
    { name: 'W', shape: [c.hidden, c.dim], group: 'mlp', init: { kind: 'uniform', bound: inBound } },
    { name: 'b', shape: [c.hidden], group: 'mlp', init: { kind: 'uniform', bound: inBound } },
    { name: 'a', shape: [c.hidden], group: 'head', init: { kind: 'uniform', bound: 1 / Math.sqrt(c.hidden) } },
  ]
}

/** A split on the backend: inputs transposed [dim, n] (so no weight is ever transposed) and labels [1, n]. */
interface DeviceSplit {
  xT: tf.Tensor2D
  y: tf.Tensor2D
  n: number
}

function toDevice(s: RegressionSplit, dim: number): DeviceSplit {
  return { xT: tf.tidy(() => tf.transpose(tf.tensor2d(s.x, [s.n, dim]))), y: tf.tensor2d(s.y, [1, s.n]), n: s.n }
}

/**
 * Teacher–student regression (GF): student f(x) = aᵀ ReLU(W x + b), loss = mean over the whole
 * train set of (f(x) − y)² (no ½; full batch). Accuracies count examples with |error| <
 * 0.1·rms(train labels), so the lab's T_mem / T_gen clocks apply; min_train_margin = that
 * tolerance − max train |error|, positive exactly when every train example is within tolerance.
 * The train set's ReLU pattern [n, hidden] feeds the trainer's churn measure.
 */
export function createTwoLayerReluSystem(c: RunConfig, params: ModelParam[]): TrainingSystem {
  const data = makeTeacherStudent(c.dim, c.teacher_width, c.n_train, c.n_test, c.noise, c.seed)
  const get = (name: string) => params.find((q) => q.name === name)!.variable
  const [W, b, a] = [get('W'), get('b'), get('a')]
  const train = toDevice(data.train, c.dim)
  const test = toDevice(data.test, c.dim)
  const tolerance = ACC_TOLERANCE * data.rms

  /** Pre-activations [hidden, n] and outputs [1, n]. */
  const forward = (s: DeviceSplit) => {
    const pre = tf.add(matmul(W as tf.Tensor2D, s.xT), tf.reshape(b, [c.hidden, 1])) as tf.Tensor2D
    return { pre, out: matmul(tf.reshape(a, [1, c.hidden]) as tf.Tensor2D, tf.relu(pre)) }
  }
  const mse = (out: tf.Tensor, s: DeviceSplit) => tf.mean(tf.square(tf.sub(out, s.y))) as tf.Scalar

  return {
    specs: twoLayerReluSpecs(c),
    params,
    trainLoss() {
      return () => mse(forward(train).out, train)
    },
    measure() {
      const scalars: Record<string, tf.Scalar> = {}
      let pattern: tf.Tensor | undefined
      for (const [split, s] of [['train', train], ['test', test]] as const) {
        const { pre, out } = forward(s)
        const abs = tf.abs(tf.sub(out, s.y))
        scalars[`${split}_loss`] = mse(out, s)
        scalars[`${split}_acc`] = tf.mean(tf.cast(tf.less(abs, tolerance), 'float32')) as tf.Scalar
        if (split === 'train') {
          scalars.min_train_margin = tf.sub(tolerance, tf.max(abs)) as tf.Scalar
          pattern = tf.transpose(tf.cast(tf.greater(pre, 0), 'float32'))
        }
      }
      return { scalars, pattern }
    },
    dispose() {
      for (const s of [train, test]) {
        s.xT.dispose()
        s.y.dispose()
      }
    },
  }
}
