import * as tf from '@tensorflow/tfjs'
import type { TrainingSystem } from '../systems/training-system'

export interface EvaluateInput {
  system: TrainingSystem
  /** θ₀, in the system's param order, for the relative distance from init. */
  initial: tf.Tensor[]
  weightDecay: (tensorName: string) => number
  /** The train set's ReLU on/off pattern at the previous evaluation, for the churn. */
  previousPattern?: tf.Tensor
  /** The system's measurements already made on the host (a fast path): measure() is not called. */
  hostMeasurements?: Record<string, number>
}

export interface Evaluation {
  metrics: Record<string, number>
  /** This evaluation's ReLU pattern, if the system has one (kept: the caller disposes it). */
  pattern?: tf.Tensor
}

/**
 * Per-eval measurements of SCIENCE.md, computed on the backend and read back in one transfer: the
 * system's own (losses, accuracies, margin…), per-tensor Frobenius norms, ‖θ‖₂, ‖θ − θ₀‖/‖θ₀‖, the
 * structural energy Σ (λ_l/2)‖W_l‖²_F, and the ReLU pattern churn: the share of (train example,
 * neuron) on/off states that changed since the previous evaluation.
 */
export async function evaluate(input: EvaluateInput): Promise<Evaluation> {
  const { system, initial, previousPattern } = input
  const names: string[] = []
  let pattern: tf.Tensor | undefined
  const packed = tf.tidy(() => {
    const scalars: tf.Scalar[] = []
    const push = (name: string, t: tf.Tensor) => {
      names.push(name)
      scalars.push(t as tf.Scalar)
    }
    const measured = input.hostMeasurements ? { scalars: {} } : system.measure()
    for (const [name, t] of Object.entries(measured.scalars)) push(name, t)
    if ('pattern' in measured && measured.pattern) {
      pattern = tf.keep(measured.pattern)
      push('relu_active', tf.mean(pattern))
      if (previousPattern) push('relu_churn', tf.mean(tf.abs(tf.sub(pattern, previousPattern))))
    }
    system.params.forEach((q, i) => {
      push(`sq/${q.name}`, tf.sum(tf.square(q.variable)))
      push(`sqdiff/${q.name}`, tf.sum(tf.square(tf.sub(q.variable, initial[i]))))
      push(`sq0/${q.name}`, tf.sum(tf.square(initial[i])))
    })
    return tf.stack(scalars)
  })
  const values = await packed.data()
  packed.dispose()
  const out: Record<string, number> = { ...input.hostMeasurements }
  names.forEach((n, i) => {
    if (!n.includes('/')) out[n] = values[i]
  })
  const raw = (n: string) => values[names.indexOf(n)]
  let sq = 0
  let sqDiff = 0
  let sq0 = 0
  let energy = 0
  for (const q of system.params) {
    const s = raw(`sq/${q.name}`)
    out[`norm/${q.name}`] = Math.sqrt(s)
    sq += s
    sqDiff += raw(`sqdiff/${q.name}`)
    sq0 += raw(`sq0/${q.name}`)
    energy += (input.weightDecay(q.name) / 2) * s
  }
  out.param_norm = Math.sqrt(sq)
  out.rel_dist_init = sq0 > 0 ? Math.sqrt(sqDiff / sq0) : 0
  out.structural_energy = energy
  return { metrics: out, pattern }
}
