import { LabError } from '../../shared/lab-error'
import type { RunRecord } from '../../shared/run-types'

/** Throws LabError saying why when a run cannot be resumed (finished, training, imported); the CLI and the API share it. */
export function assertResumable(run: RunRecord): void {
  if (run.status === 'completed') throw new LabError(`run ${run.id} is already completed (${run.stepsDone} steps); nothing to resume`)
  if (run.status === 'running') throw new LabError(`run ${run.id} is training right now; it cannot be resumed twice`)
  if (run.status === 'imported') throw new LabError(`run ${run.id} was imported, not trained here; it cannot be resumed`)
}
