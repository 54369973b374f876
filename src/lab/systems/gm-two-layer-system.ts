import * as tf from '@tensorflow/tfjs'
import { LabError } from '../../shared/lab-error'
import type { RunConfig } from '../../shared/run-config'
import type { ModelParam } from '../models/model'
import { matmul } from '../models/ops'
import { makeGmSplits, gmTwoLayerSpecs, type GmSplit } from './gm-data'
import { createGmSimulatedSystem } from './gm-simulated-system'
import { circleMetrics } from './gm-circle-measures'
import { makeGmRealityCheck } from './gm-reality-check'
import { makeTangentCheck } from './gm-tangent-check'
import type { TrainingSystem } from './training-system'

interface DeviceSplit {
  x: tf.Tensor2D
  y: tf.Tensor2D
  labelIndex: tf.Tensor1D
}

function toDevice(s: GmSplit): DeviceSplit {
  return { x: tf.tensor2d(Float32Array.from(s.x), [s.n, s.p]), y: tf.tensor2d(Float32Array.from(s.y), [s.n, s.p]), labelIndex: tf.tensor1d(s.label, 'int32') }
}

/**
 * Musat 2025's two-layer model Ŷ = σ(XE)W (no biases) on modular pairs with x = e_a + e_b and
 * one-hot targets; loss = MSE over all n·p entries; accuracy by argmax. `dynamics: predicted`
 * builds the simulation of Eq. 20 instead (gm-simulated-system.ts).
 */
export function createGmTwoLayerSystem(c: RunConfig, params: ModelParam[]): TrainingSystem {
  if (c.batch_size) throw new LabError('gm-two-layer trains full-batch only: leave batch_size unset (null)')
  const splits = makeGmSplits(c)
  if (c.dynamics === 'predicted') return createGmSimulatedSystem(c, params, splits)
  const get = (name: string) => params.find((q) => q.name === name)!.variable as tf.Variable<tf.Rank.R2>
  const [E, W] = [get('E'), get('W')]
  const train = toDevice(splits.train)
  const test = toDevice(splits.test)
  const sigma = (z: tf.Tensor2D) => (c.activation === 'relu' ? tf.relu(z) : tf.square(z)) as tf.Tensor2D
  const forward = (s: DeviceSplit) => {
    const pre = matmul(s.x, E)
    return { pre, out: matmul(sigma(pre), W) }
  }
  const mse = (out: tf.Tensor, s: DeviceSplit) => tf.mean(tf.square(tf.sub(out, s.y))) as tf.Scalar
  const check = makeGmRealityCheck(c, splits.train)
  const tangent = makeTangentCheck(c, splits.train)

  return {
    specs: gmTwoLayerSpecs(c),
    params,
    trainLoss(step) {
      // θ before this step's update starts a window of the tangent check; host copies, read here.
      if (tangent?.wants(step)) tangent.mark(step, E.dataSync(), W.dataSync())
      return () => mse(forward(train).out, train)
    },
    measure() {
      const scalars: Record<string, tf.Scalar> = {}
      let pattern: tf.Tensor | undefined
      for (const [split, s] of [['train', train], ['test', test]] as const) {
        const { pre, out } = forward(s)
        scalars[`${split}_loss`] = mse(out, s)
        scalars[`${split}_acc`] = tf.mean(tf.cast(tf.equal(tf.argMax(out, 1), s.labelIndex), 'float32')) as tf.Scalar
        if (split === 'train') {
          const correct = tf.sum(tf.mul(out, s.y), 1)
          const bestOther = tf.max(tf.sub(out, tf.mul(s.y, 1e30)), 1)
          scalars.min_train_margin = tf.min(tf.sub(correct, bestOther)) as tf.Scalar
          if (c.activation === 'relu') pattern = tf.cast(tf.greater(pre, 0), 'float32')
        }
      }
      return { scalars, pattern }
    },
    hostMetrics(weights, step) {
      const byName = new Map(weights.map((w) => [w.name, w.data]))
      const [e, w] = [byName.get('E')!, byName.get('W')!]
      return { ...check(e, w), ...(tangent?.measure(step, e, w) ?? {}), ...circleMetrics(e, c.p, c.hidden) }
    },
    dispose() {
      for (const s of [train, test]) {
        s.x.dispose()
        s.y.dispose()
        s.labelIndex.dispose()
      }
    },
  }
}
