import type { FastShape } from './model-graphs'
import type { EvalMetrics, MemberParams, RowFeed } from './row-feed'
import type { OptimizerSlots } from './gpu/gpu-optimizer'

/**
 * What the fast path asks of an engine that trains K models of one kind and shape side by side
 * (the embed-MLP and transformer-1L: onnxruntime on the CPU, or WGSL kernels on a WebGPU device,
 * gpu/embed-mlp-gpu.ts and gpu/transformer-gpu.ts). Weights come in as host arrays
 * and gradients go out as host arrays, so the trainer's host optimizer serves both; a resident
 * engine also trains on its own device, and its calls then take `undefined` for the weights.
 */
export interface FastEngine {
  readonly shape: FastShape
  /** Engines that can keep the weights and the optimizer on their device (ResidentEngine). */
  readonly resident?: ResidentEngine
  /** Each member's mean cross-entropy on `rows` and its gradients by tensor name. */
  gradients(members: MemberParams[] | undefined, rows: RowFeed): Promise<{ loss: Float32Array; grads: MemberParams[] }>
  /**
   * gradients() and, from the same forward pass, the train-set measurements of metrics(…, true):
   * the evaluation steps of a full-batch run.
   */
  gradientsWithMetrics(members: MemberParams[] | undefined, rows: RowFeed): Promise<{ grads: MemberParams[]; metrics: EvalMetrics }>
  /**
   * Each member's loss and accuracy on `rows`; with `train` also the minimum margin, the share of
   * active ReLUs and their churn against the engine's last train-set measurement (all-off at first).
   */
  metrics(members: MemberParams[] | undefined, rows: RowFeed, train?: boolean): Promise<EvalMetrics>
  /** Logits [K·N·p] on `rows`. */
  logits(members: MemberParams[] | undefined, rows: RowFeed): Promise<Float32Array>
  dispose(): Promise<void>
}

/** Training on the device: weights and optimizer state stay there between steps, nothing is read back. */
export interface ResidentEngine {
  /** Puts the members' weights and optimizer state on the device, which holds the truth from then on. */
  load(members: MemberParams[], slots: OptimizerSlots[]): Promise<void>
  /** One update per member (`gradientsReady`: this round's gradients are already on the device). */
  train(rows: RowFeed, constants: Record<string, number[]>[], gradientsReady: boolean): Promise<void>
  /**
   * An evaluation in one round trip (each readback costs about a millisecond through Dawn): the
   * train-set measurements (with `step`, from the pass that also leaves this round's gradients on
   * the device, read back too), the test set's, and the weights. Resolves once the work is
   * submitted; its results arrive while later calls run (a few may be on their way at once).
   */
  evaluate(train: RowFeed, test: RowFeed | undefined, step: boolean): Promise<PendingEvaluation>
  /** The weights the device holds, and the optimizer state with `withSlots` (`before`: before the last update, kept for batches). */
  readState(before?: boolean, withSlots?: boolean): Promise<{ params: MemberParams[]; slots?: OptimizerSlots[] }>
}

/** An evaluation submitted to the device, its readback on its way (wrapped: awaiting the call does not wait for it). */
export interface PendingEvaluation {
  results: Promise<ResidentEvaluation>
}

export interface ResidentEvaluation {
  train: EvalMetrics
  test?: EvalMetrics
  /** This round's gradients (when asked for the step). */
  grads?: MemberParams[]
  params: MemberParams[]
}
