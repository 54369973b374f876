import * as tf from '@tensorflow/tfjs'
import type { LabModel, TokenBatch } from '../models/model'
import { makeCrossEntropy } from '../models/ops'

export interface EvaluateInput {
  model: LabModel
  train: TokenBatch
  test: TokenBatch
  /** θ₀, in the model's param order, for the relative distance from init. */
  initial: tf.Tensor[]
  weightDecay: (tensorName: string) => number
  /** The train set's ReLU on/off pattern at the previous evaluation, for the churn. */
  previousPattern?: tf.Tensor
}

export interface Evaluation {
  metrics: Record<string, number>
  /** This evaluation's ReLU pattern (kept: the caller disposes it). */
  pattern: tf.Tensor
}

/**
 * Per-eval measurements of SCIENCE.md, computed on the backend and read back in one transfer:
 * train/test loss and accuracy, min train margin, per-tensor Frobenius norms, ‖θ‖₂,
 * ‖θ − θ₀‖/‖θ₀‖, the structural energy Σ (λ_l/2)‖W_l‖²_F, and the ReLU pattern churn: the
 * share of (train example, neuron) on/off states that changed since the previous evaluation.
 */
export async function evaluate(input: EvaluateInput): Promise<Evaluation> {
  const { model, train, test, initial, previousPattern } = input
  const names: string[] = []
  let pattern: tf.Tensor | undefined
  const packed = tf.tidy(() => {
    const scalars: tf.Scalar[] = []
    const push = (name: string, t: tf.Tensor) => {
      names.push(name)
      scalars.push(t as tf.Scalar)
    }
    for (const [split, batch] of [['train', train], ['test', test]] as const) {
      const { logits, hiddenPre } = model.forward(batch)
      push(`${split}_loss`, makeCrossEntropy(batch.labels)(logits))
      push(`${split}_acc`, tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), batch.labelIndex), 'float32')))
      if (split === 'train') {
        const correct = tf.sum(tf.mul(logits, batch.labels), 1)
        const bestOther = tf.max(tf.sub(logits, tf.mul(batch.labels, 1e30)), 1)
        push('min_train_margin', tf.min(tf.sub(correct, bestOther)))
        pattern = tf.keep(tf.cast(tf.greater(hiddenPre, 0), 'float32'))
        push('relu_active', tf.mean(pattern))
        if (previousPattern) push('relu_churn', tf.mean(tf.abs(tf.sub(pattern, previousPattern))))
      }
    }
    model.params.forEach((q, i) => {
      push(`sq/${q.name}`, tf.sum(tf.square(q.variable)))
      push(`sqdiff/${q.name}`, tf.sum(tf.square(tf.sub(q.variable, initial[i]))))
      push(`sq0/${q.name}`, tf.sum(tf.square(initial[i])))
    })
    return tf.stack(scalars)
  })
  const values = await packed.data()
  packed.dispose()
  const raw: Record<string, number> = {}
  names.forEach((n, i) => (raw[n] = values[i]))

  const out: Record<string, number> = {}
  for (const key of ['train_loss', 'train_acc', 'test_loss', 'test_acc', 'min_train_margin', 'relu_active', 'relu_churn']) {
    if (key in raw) out[key] = raw[key]
  }
  let sq = 0
  let sqDiff = 0
  let sq0 = 0
  let energy = 0
  for (const q of model.params) {
    const s = raw[`sq/${q.name}`]
    out[`norm/${q.name}`] = Math.sqrt(s)
    sq += s
    sqDiff += raw[`sqdiff/${q.name}`]
    sq0 += raw[`sq0/${q.name}`]
    energy += (input.weightDecay(q.name) / 2) * s
  }
  out.param_norm = Math.sqrt(sq)
  out.rel_dist_init = sq0 > 0 ? Math.sqrt(sqDiff / sq0) : 0
  out.structural_energy = energy
  return { metrics: out, pattern: pattern! }
}
