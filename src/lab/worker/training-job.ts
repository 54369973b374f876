import type { BackendName } from '../../shared/backend'

/** What a training worker is asked to do: train (or resume) one run of a library. */
export interface TrainingJob {
  dbPath: string
  runId: number
  backend: BackendName | 'auto'
  /** Continue from the run's checkpoint instead of step 0. */
  resume: boolean
}

/** Runs of one shape trained together as a batch (all fresh, or all resumed from the same step). */
export interface BatchJob {
  dbPath: string
  runIds: number[]
  backend: BackendName | 'auto'
  resume: boolean
}

/** Messages a host sends to its worker. */
export type WorkerCommand = { type: 'start'; job: TrainingJob } | { type: 'start-batch'; job: BatchJob } | { type: 'cancel' }
