import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import type { ModelParam } from '../models/model'
import { circleMetrics } from './gm-circle-measures'
import { closedForm, eq20Delta, predict, squaredLossMetrics, type ClosedForm } from './gm-closed-form'
import { gmTwoLayerSpecs, paperLambda, type GmSplit } from './gm-data'
import type { TrainingSystem } from './training-system'

/**
 * Musat 2025's simulated dynamics (Sec. 4, Eq. 20) as a training system: W is always the closed
 * form Hᵀ(HHᵀ + λI)⁻¹Y for the current E (λ = n·p·wd/2, the same λ a real run of this config minimizes with; wd 0 = the zero-loss limit, width > n), and step s
 * sets E ← E + lr·ΔE with ΔE = Xᵀ((A Y Yᵀ A H) ⊙ σ'(XE)) − E, A = (HHᵀ + λI)⁻¹: gradient descent
 * on the reduced cost in time rescaled by 2λ. It does its own update (the trainer's "device" hook,
 * on the host), so the trainer's optimizer never touches the weights; snapshots, checkpoints,
 * metrics and clocks are the trainer's as for any run.
 */
export function createGmSimulatedSystem(c: RunConfig, params: ModelParam[], splits: { train: GmSplit; test: GmSplit }): TrainingSystem {
  const { train, test } = splits
  const width = c.hidden
  const lambda = paperLambda(c, train.n)
  const host = {
    E: Float32Array.from(params.find((q) => q.name === 'E')!.variable.dataSync()),
    W: new Float32Array(width * c.p),
  }
  // The closed form at the current E: it gives W now and A for the next step's ΔE (one solve a step).
  let current: ClosedForm = closedForm(train, host.E, width, c.activation, lambda)
  host.W.set(current.w)
  params.find((q) => q.name === 'W')!.variable.assign(tf.tensor2d(host.W.slice(), [width, c.p]))

  const pseudoGradients = (delta: Float64Array) => ({ E: Float32Array.from(delta, (v) => -v), W: new Float32Array(host.W.length) })

  return {
    specs: gmTwoLayerSpecs(c),
    params,
    trainLoss() {
      throw new Error('dynamics=predicted has no training loss to differentiate: the system steps itself')
    },
    measure() {
      throw new Error('dynamics=predicted measures on the host (measureHost)')
    },
    async prepare() {
      return { active: true, reason: `simulated Eq. 20 dynamics (Musat 2025) on the host, W in closed form (λ ${lambda})` }
    },
    hostParams: () => host,
    trainsOnDevice: () => true,
    async deviceUpdate(_step, withGradients) {
      const delta = eq20Delta(train, host.E, current)
      for (let i = 0; i < host.E.length; i++) host.E[i] += c.lr * delta[i]
      current = closedForm(train, host.E, width, c.activation, lambda)
      host.W.set(current.w)
      return withGradients ? pseudoGradients(delta) : undefined
    },
    async pullHost() {},
    async fastGradients() {
      return pseudoGradients(eq20Delta(train, host.E, current))
    },
    async measureHost() {
      const tr = squaredLossMetrics(train, predict(train, host.E, host.W, width, c.activation))
      const te = squaredLossMetrics(test, predict(test, host.E, host.W, width, c.activation))
      return { train_loss: tr.loss, train_acc: tr.acc, min_train_margin: tr.minMargin, test_loss: te.loss, test_acc: te.acc, ...circleMetrics(host.E, c.p, width) }
    },
    dispose() {},
  }
}
