import * as tf from '@tensorflow/tfjs'
import type { ModelKind } from '../../shared/run-config'
import { Rng, RNG_STREAM } from '../random'

/** How a tensor is initialised before the init scale α multiplies it. */
export type InitRule =
  | { kind: 'normal'; std: number }
  | { kind: 'uniform'; bound: number }
  | { kind: 'zeros' }
  | { kind: 'constant'; value: number }

/** Which block a tensor belongs to; the effective-gradient ratio compares 'head' with the rest. */
export type ParamGroup = 'embedding' | 'attention' | 'mlp' | 'head'

export interface ParamSpec {
  name: string
  shape: number[]
  group: ParamGroup
  init: InitRule
}

export interface ModelParam {
  name: string
  group: ParamGroup
  variable: tf.Variable
}

/** A pair batch: `select*` map a per-token table [p, k] to per-example rows [N, k]. */
export interface TokenBatch {
  size: number
  selectA: (table: tf.Tensor2D) => tf.Tensor2D
  selectB: (table: tf.Tensor2D) => tf.Tensor2D
  /** One-hot labels [N, p]. */
  labels: tf.Tensor2D
  labelIndex: tf.Tensor1D
  dispose(): void
}

/** A trainable model on the modular-arithmetic task. */
export interface LabModel {
  kind: ModelKind
  p: number
  params: ModelParam[]
  /** Logits [N, p]; differentiable with respect to every param. */
  logits(batch: TokenBatch): tf.Tensor2D
  /** Logits and the ReLU layer's pre-activations [N, hidden], for pattern-churn measurements. */
  forward(batch: TokenBatch): { logits: tf.Tensor2D; hiddenPre: tf.Tensor2D }
}

/** Draws every spec's initial values from the seeded init stream, in spec order, times `scale`. */
export function initialValues(specs: ParamSpec[], seed: number, scale: number): Float32Array[] {
  const rng = new Rng(seed, RNG_STREAM.init)
  return specs.map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1)
    const values = new Float32Array(size)
    const rule = spec.init
    for (let i = 0; i < size; i++) {
      if (rule.kind === 'normal') values[i] = rule.std * rng.normal() * scale
      else if (rule.kind === 'uniform') values[i] = rng.uniform(-rule.bound, rule.bound) * scale
      else if (rule.kind === 'constant') values[i] = rule.value * scale
    }
    return values
  })
}

/** Creates tf variables for specs from given values (fresh init or a checkpoint). */
export function createParams(specs: ParamSpec[], values: Float32Array[]): ModelParam[] {
  return specs.map((spec, i) => ({
    name: spec.name,
    group: spec.group,
    variable: tf.variable(tf.tensor(values[i], spec.shape), true, undefined),
  }))
}
