import * as tf from '@tensorflow/tfjs'
import { LabError } from '../../shared/lab-error'
import type { RunConfig } from '../../shared/run-config'
import { balancednessGap, endToEnd } from '../analysis/deep-linear'
import { frobeniusSquared, scale, type DenseMatrix } from '../analysis/dense-matrix'
import { effectiveRank, nuclearNorm, schattenPowerSum, singularValues } from '../analysis/spectral'
import type { ModelParam, ParamSpec } from '../models/model'
import { makeCrossEntropy, matmul, oneHotMatrix } from '../models/ops'
import { makeModularDataset } from '../tasks/modular-arithmetic'
import { makeLowRankTeacher } from '../tasks/low-rank-teacher'
import { classificationMetrics } from './classification-metrics'
import type { TrainingSystem } from './training-system'

// Layout: W_l is stored [out_l, in_l] (PyTorch's nn.Linear and analysis/deep-linear.ts), so the
// end-to-end map is M = W_L ⋯ W_1 with no conversion. The forward runs on transposed activations,
// Hᵀ_l = W_l Hᵀ_{l−1} starting from Xᵀ [in, N], so no weight is ever transposed; only the small
// [classes, N] output is, once.

/** One split as tensors: transposed inputs [in, N], one-hot labels [N, out] and label indices. */
interface LinearSplit {
  xT: tf.Tensor2D
  labels: tf.Tensor2D
  labelIndex: tf.Tensor1D
}

/** Input and output sizes of the deep linear net for the config's task. */
function ioSizes(c: RunConfig): [number, number] {
  return c.task === 'modular' ? [2 * c.p, c.p] : [c.dim, c.classes]
}

/** Tensor specs W_1…W_L, [out, in] each, Gaussian with std 1/√fan_in; W_L is the head. */
export function deepLinearSpecs(c: RunConfig): ParamSpec[] {
  const [input, output] = ioSizes(c)
  const widths = [input, ...Array.from({ length: c.depth - 1 }, () => c.hidden), output]
  return Array.from({ length: c.depth }, (_, l) => ({
    name: `W_${l + 1}`,
    shape: [widths[l + 1], widths[l]],
    group: l === c.depth - 1 ? ('head' as const) : ('embedding' as const),
    init: { kind: 'normal' as const, std: 1 / Math.sqrt(widths[l]) },
  }))
}

/** Splits of the config's task: low-rank teacher inputs, or [onehot(a); onehot(b)] of size 2p. */
function makeSplits(c: RunConfig): { train: LinearSplit; test: LinearSplit } {
  const [input, output] = ioSizes(c)
  const toSplit = (xT: Float32Array, label: Int32Array): LinearSplit => ({
    xT: tf.tensor2d(xT, [input, label.length]),
    labels: oneHotMatrix(label, output),
    labelIndex: tf.tensor1d(label, 'int32'),
  })
  if (c.task === 'modular') {
    const data = makeModularDataset(c.p, c.op, c.frac, c.seed)
    const pairs = (s: typeof data.train) => {
      const n = s.label.length
      const xT = new Float32Array(input * n)
      for (let i = 0; i < n; i++) {
        xT[s.a[i] * n + i] = 1
        xT[(c.p + s.b[i]) * n + i] = 1
      }
      return toSplit(xT, s.label)
    }
    return { train: pairs(data.train), test: pairs(data.test) }
  }
  const data = makeLowRankTeacher(c)
  const rows = (s: typeof data.train) => {
    const xT = new Float32Array(input * s.n)
    for (let i = 0; i < s.n; i++) for (let j = 0; j < input; j++) xT[j * s.n + i] = s.x[i * input + j]
    return toSplit(xT, s.label)
  }
  return { train: rows(data.train), test: rows(data.test) }
}

/** The deep linear net of TC (logits = W_L⋯W_1 x) on the low-rank teacher or one-hot modular pairs. */
export function createDeepLinearSystem(c: RunConfig, params: ModelParam[]): TrainingSystem {
  // The theory (TC's clocks) is about gradient flow; minibatches would silently change the system.
  if (c.batch_size) throw new LabError('deep-linear trains full-batch only: leave batch_size unset (null)')
  const { train, test } = makeSplits(c)
  const logits = (xT: tf.Tensor2D) => tf.transpose(params.reduce((h, q) => matmul(q.variable as tf.Tensor2D, h), xT))
  const lambdas = params.map((q) => c.wd_per_layer[q.name] ?? c.wd)

  return {
    specs: deepLinearSpecs(c),
    params,
    trainLoss() {
      return () => makeCrossEntropy(train.labels)(logits(train.xT))
    },
    measure() {
      const scalars: Record<string, tf.Scalar> = {}
      for (const [split, data] of [['train', train], ['test', test]] as const) {
        const m = classificationMetrics(logits(data.xT), data.labels, data.labelIndex, split === 'train')
        scalars[`${split}_loss`] = m.loss
        scalars[`${split}_acc`] = m.acc
        if (m.minMargin) scalars.min_train_margin = m.minMargin
      }
      return { scalars }
    },
    hostMetrics(weights) {
      const byName = new Map(weights.map((w) => [w.name, w]))
      const layers = params.map((q) => {
        const w = byName.get(q.name)!
        return { data: w.data, rows: w.shape[0], cols: w.shape[1] }
      })
      return deepLinearMetrics(layers, lambdas)
    },
    dispose() {
      for (const s of [train, test]) {
        s.xT.dispose()
        s.labels.dispose()
        s.labelIndex.dispose()
      }
    },
  }
}

/**
 * Spectral and energy measures of layers W_1…W_L ([out, in], application order) with decays λ_l:
 * the floor of Σ(λ_l/2)‖W_l‖² over factorizations of M is (L/2)·λ̄·‖M‖_{S_{2/L}}^{2/L} with λ̄ the
 * geometric mean of the λ_l (rescaling W_l by √(λ̄/λ_l) reduces it to the equal-λ case), which is
 * (λL/2)‖M‖_{S_{2/L}}^{2/L} when every λ_l = λ. Balancedness is measured on those rescaled layers.
 */
export function deepLinearMetrics(layers: DenseMatrix[], lambdas: number[]): Record<string, number> {
  const L = layers.length
  const sigma = singularValues(endToEnd(layers))
  const lambdaBar = Math.exp(lambdas.reduce((s, l) => s + Math.log(l), 0) / L)
  const floor = ((L * lambdaBar) / 2) * schattenPowerSum(sigma, 2 / L)
  const energy = layers.reduce((s, w, l) => s + (lambdas[l] / 2) * frobeniusSquared(w), 0)
  const rescaled = lambdaBar > 0 ? layers.map((w, l) => scale(w, Math.sqrt(lambdas[l] / lambdaBar))) : layers
  return {
    e2e_nuclear: nuclearNorm(sigma),
    e2e_effective_rank: effectiveRank(sigma),
    schatten_floor: floor,
    energy_gap: energy - floor,
    // gap / energy: scale-free, so one threshold reads the same for every λ and width.
    relative_energy_gap: energy > 0 ? (energy - floor) / energy : 0,
    balancedness_gap: balancednessGap(rescaled),
  }
}
