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
  /** The weights on the host (a fast path), with θ₀ by name: the norms are then summed here, not on the backend. */
  hostWeights?: { current: Record<string, Float32Array>; initial: Record<string, Float32Array> }
}

interface TensorSums {
  sq: number
  sqDiff: number
  sq0: number
}

/** ‖W‖², ‖W − W₀‖² and ‖W₀‖² of host arrays. */
function hostSums(w: Float32Array, w0: Float32Array): TensorSums {
  let sq = 0
  let sqDiff = 0
  let sq0 = 0
  for (let i = 0; i < w.length; i++) {
    const d = w[i] - w0[i]
    sq += w[i] * w[i]
    sqDiff += d * d
    sq0 += w0[i] * w0[i]
  }
  return { sq, sqDiff, sq0 }
}

/** Per-tensor norms, ‖θ‖₂, the relative distance from init and the structural energy from per-tensor sums. */
function normMetrics(sums: Map<string, TensorSums>, weightDecay: (name: string) => number): Record<string, number> {
  const out: Record<string, number> = {}
  let sq = 0
  let sqDiff = 0
  let sq0 = 0
  let energy = 0
  for (const [name, s] of sums) {
    out[`norm/${name}`] = Math.sqrt(s.sq)
    sq += s.sq
    sqDiff += s.sqDiff
    sq0 += s.sq0
    energy += (weightDecay(name) / 2) * s.sq
  }
  out.param_norm = Math.sqrt(sq)
  out.rel_dist_init = sq0 > 0 ? Math.sqrt(sqDiff / sq0) : 0
  out.structural_energy = energy
  return out
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
  if (input.hostMeasurements && input.hostWeights) {
    const { current, initial: start } = input.hostWeights
    const sums = new Map(system.params.map((q) => [q.name, hostSums(current[q.name], start[q.name])]))
    return { metrics: { ...input.hostMeasurements, ...normMetrics(sums, input.weightDecay) } }
  }
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
  const sums = new Map(system.params.map((q) => [q.name, { sq: raw(`sq/${q.name}`), sqDiff: raw(`sqdiff/${q.name}`), sq0: raw(`sq0/${q.name}`) }]))
  Object.assign(out, normMetrics(sums, input.weightDecay))
  return { metrics: out, pattern }
}
