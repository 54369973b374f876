import type { RunConfig } from './run-config'

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'imported'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** One run of the library, as every front end sees it. */
export interface RunRecord {
  id: number
  name: string
  preset: string | null
  status: RunStatus
  config: RunConfig
  backend: string | null
  /** Which engine computed the gradients (the fast path, or tfjs autodiff), set when training starts. */
  engine: string | null
  appVersion: string
  tags: string[]
  notes: string
  totalSteps: number
  stepsDone: number
  msPerStep: number | null
  wallSeconds: number
  error: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

/** The latest measurements and clocks of a run. */
export interface RunSummary {
  step: number
  trainLoss: number | null
  testLoss: number | null
  trainAcc: number | null
  testAcc: number | null
  minTrainMargin: number | null
  paramNorm: number | null
  /** First step with train accuracy ≥ 0.99, or null. */
  tMem: number | null
  /** First step with test accuracy ≥ 0.99, or null. */
  tGen: number | null
}

/** One metric over a run: parallel arrays, ordered by step. */
export interface MetricSeries {
  name: string
  steps: number[]
  values: number[]
  wallSeconds: number[]
}

/** Progress a training worker streams to whoever started it. */
export type TrainingEvent =
  | {
      type: 'started'
      runId: number
      backend: string
      /** Which engine computes the gradients: the fast path (and why), or tfjs autodiff. */
      engine: string
      backendReasons: string[]
      fromStep: number
      totalSteps: number
    }
  | { type: 'tick'; runId: number; step: number; totalSteps: number; stepsPerSecond: number }
  | { type: 'eval'; runId: number; step: number; totalSteps: number; metrics: Record<string, number> }
  | { type: 'finished'; runId: number; status: RunStatus; step: number; msPerStep: number }
  /** `interrupted`: stopped by the machine (a full disk) at its last checkpoint, resumable. */
  | { type: 'failed'; runId: number; message: string; interrupted?: boolean }
