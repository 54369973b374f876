// What a training run hands its caller: evaluations, snapshots, checkpoints and the loop's state
// between steps (the Trainer's contract, apart from the class, which is in trainer.ts).
import type { OptimizerState } from './optimizer'

/** Weights and optimizer state after `step` updates: enough to continue the run exactly. */
export interface Checkpoint {
  step: number
  wallSeconds: number
  params: Record<string, Float32Array>
  optimizer: OptimizerState
}

export interface TensorData {
  name: string
  shape: number[]
  data: Float32Array
}

export interface EvalRecord {
  step: number
  wallSeconds: number
  metrics: Record<string, number>
}

/** What the trainer reports; each may be async (the store writes there). */
export interface TrainerCallbacks {
  onEval?(record: EvalRecord): void | Promise<void>
  onSnapshot?(step: number, tensors: TensorData[]): void | Promise<void>
  onCheckpoint?(checkpoint: Checkpoint): void | Promise<void>
  /** Called at most every `tickMs` with the step reached and the recent speed. */
  onTick?(step: number, stepsPerSecond: number): void
  /** Polled between steps; true stops the run after a checkpoint. */
  shouldStop?(): boolean
}

/** The state of one run's training loop between steps (see Trainer.begin). */
export interface TrainingSession {
  cb: TrainerCallbacks
  tickMs: number
  started: number
  startStep: number
  lastTick: number
  lastTickStep: number
  lastYield: number
  stopped: boolean
}

export interface TrainOutcome {
  stopped: boolean
  step: number
  /** Mean wall time per update in this session, evaluations included. */
  msPerStep: number
  wallSeconds: number
}
