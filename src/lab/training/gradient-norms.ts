import * as tf from '@tensorflow/tfjs'
import type { ModelParam } from '../models/model'

/** [‖∇head‖², ‖∇rest‖²], on the backend (read back once per evaluation) or already on the host. */
export type GroupNorms = tf.Tensor | number[]

/** Reads [‖∇head‖², ‖∇rest‖²] back as metrics and disposes the tensor. */
export async function readGradientMetrics(norms: GroupNorms): Promise<Record<string, number>> {
  const [headSq, restSq] = Array.isArray(norms) ? norms : await norms.data()
  if (!Array.isArray(norms)) norms.dispose()
  const head = Math.sqrt(headSq)
  const rest = Math.sqrt(restSq)
  return { 'grad_norm/head': head, 'grad_norm/rest': rest, grad_ratio_head: rest > 0 ? head / rest : Number.NaN }
}

/** [‖∇head‖², ‖∇rest‖²]: TC's effective-gradient comparison of classifier head and embedding block. Call inside tf.tidy. */
export function groupSquaredNorms(params: ModelParam[], grads: Record<string, tf.Tensor>): tf.Tensor {
  // Pairwise adds, not tf.addN: WebGPU's AddN binds one buffer per input and fails past 8 inputs.
  const sq = (group: 'head' | 'rest') =>
    params
      .filter((q) => (q.group === 'head') === (group === 'head'))
      .map((q) => tf.sum(tf.square(grads[q.name])))
      .reduce((a, b) => tf.add(a, b), tf.scalar(0))
  return tf.stack([sq('head'), sq('rest')])
}

/** The same on host gradients (the fast path's). */
export function hostGroupNorms(params: ModelParam[], grads: Record<string, Float32Array>): number[] {
  const sums = [0, 0]
  for (const q of params) {
    const g = grads[q.name]
    let sq = 0
    for (let i = 0; i < g.length; i++) sq += g[i] * g[i]
    sums[q.group === 'head' ? 0 : 1] += sq
  }
  return sums
}
