import type { TrainingEvent } from '../../shared/run-types'
import { useBackend } from '../backends/select-backend'
import { RunStore } from '../store/run-store'
import { Trainer } from '../training/trainer'
import { closeRun, failRun, openRun, recordingCallbacks, startedEvent } from './run-recording'
import type { TrainingJob } from './training-job'

/**
 * Trains one run of the library to its end, or until `shouldStop`, writing metrics, snapshots and
 * checkpoints as it goes and reporting progress through `emit`. Used inside the worker process;
 * the store is the single writer for this run.
 */
export async function runTrainingJob(job: TrainingJob, emit: (e: TrainingEvent) => void, shouldStop: () => boolean): Promise<void> {
  const store = RunStore.open(job.dbPath)
  const runId = job.runId
  let trainer: Trainer | undefined
  try {
    const backend = await useBackend(job.backend)
    const { run, checkpoint } = openRun(store, runId, job.resume, backend)
    trainer = new Trainer(run.config, checkpoint)
    emit(await startedEvent(store, runId, trainer, backend))
    const outcome = await trainer.run(recordingCallbacks(store, runId, run.config.steps, emit, shouldStop))
    await closeRun(store, runId, outcome, emit)
  } catch (e) {
    failRun(store, runId, trainer?.stepsDone ?? 0, e, emit)
  } finally {
    trainer?.dispose()
    store.close()
  }
}
