import type * as tf from '@tensorflow/tfjs'
import type { FastPathStatus } from '../fast/engine-choice'
import type { LaterMeasurement, MemberMeasurement } from '../fast/fast-path'
import type { ModelParam, ParamSpec } from '../models/model'
import type { HostOptimizer } from '../training/host-optimizer'

/** Measurement tensors of one evaluation, computed inside the caller's tf.tidy. */
export interface SystemMeasurements {
  /** Scalars keyed by metric name (train_loss, test_loss, train_acc, …). */
  scalars: Record<string, tf.Scalar>
  /** A ReLU on/off pattern of the train set, for the churn (systems with a ReLU layer). */
  pattern?: tf.Tensor
}

/**
 * A trainable system of SCIENCE.md: a task's data and a model's tensors, a training loss and the
 * system's own measurements. The trainer supplies everything generic (optimizer, norms, energy,
 * clocks, snapshots, checkpoints), so a new paper's system is one small module.
 */
export interface TrainingSystem {
  specs: ParamSpec[]
  params: ModelParam[]
  /**
   * The loss minimized at step s (full batch, or that step's minibatch), as a function to
   * differentiate. Call inside tf.tidy; the batch is made here, outside the function, because
   * tf.variableGrads frees what the function creates before the backward pass needs it.
   */
  trainLoss(step: number): () => tf.Scalar
  /** The system's metric tensors at the current weights. Call inside tf.tidy. */
  measure(): SystemMeasurements
  /** Sets up an optional fast path (it may load a native library) and says which engine trains. */
  prepare?(): Promise<FastPathStatus>
  /**
   * While a fast path trains: the weights as host arrays, which the trainer's host optimizer updates
   * in place (the tf variables are refreshed from them when read). Undefined: tfjs trains.
   */
  hostParams?(): Record<string, Float32Array> | undefined
  /**
   * Whether the fast path trains on its device (the GPU): weights and optimizer state stay there,
   * the trainer calls deviceUpdate instead of applying gradients, and pullHost before it reads hostParams.
   */
  trainsOnDevice?(): boolean
  /** Hands the fast path the trainer's optimizer (its state and per-step constants). */
  useOptimizer?(optimizer: HostOptimizer): void
  /** One update on the device at step s; with `withGradients` also the gradients, read back. */
  deviceUpdate?(step: number, withGradients: boolean): Promise<Record<string, Float32Array> | undefined>
  /** Brings the device's weights into hostParams(), and with `withOptimizer` its state into the optimizer (nothing when they are current). */
  pullHost?(withOptimizer: boolean): Promise<void>
  /** The fast path's gradients at step s, by tensor name. */
  fastGradients?(step: number): Promise<Record<string, Float32Array>>
  /** The fast path's measurements at the host weights (replacing measure()), or undefined. */
  measureHost?(): Promise<Record<string, number> | undefined>
  /**
   * While the fast path trains on its device: the measurements at the device's weights, submitted
   * and not waited for (they arrive with those weights and, on full batches, the gradients there).
   */
  measureLater?(): Promise<LaterMeasurement<MemberMeasurement>>
  /** Metrics computed on the host from the weights at evaluation step `step` (small matrices: SVDs, Schatten floors). */
  hostMetrics?(weights: { name: string; shape: number[]; data: Float32Array }[], step: number): Record<string, number>
  dispose(): void
}
