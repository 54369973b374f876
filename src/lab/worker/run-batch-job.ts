import type { TrainingEvent } from '../../shared/run-types'
import { useBackend } from '../backends/select-backend'
import { FastPathBatch } from '../fast/fast-path'
import { RunStore } from '../store/run-store'
import { trainInLockstep } from '../training/lockstep'
import { Trainer } from '../training/trainer'
import { closeRun, failRun, openRun, recordingCallbacks, startedEvent } from './run-recording'
import { runTrainingJob } from './run-training-job'
import type { BatchJob } from './training-job'

/**
 * Trains several runs of one shape as one batch on the fast path (a sweep's seeds, λ, α…), each
 * written to the library as its own run. Where the fast path does not apply, trains them one
 * after another instead. Every run ends on a checkpoint, so a killed batch resumes.
 */
export async function runBatchJob(job: BatchJob, emit: (e: TrainingEvent) => void, shouldStop: () => boolean): Promise<void> {
  const store = RunStore.open(job.dbPath)
  const trainers: Trainer[] = []
  let batch: FastPathBatch | undefined
  try {
    const backend = await useBackend(job.backend)
    const configs = job.runIds.map((id) => store.getRun(id).config)
    const made = await FastPathBatch.create(configs)
    if (!made.batch) {
      for (const runId of job.runIds) if (!shouldStop()) await runTrainingJob({ ...job, runId }, emit, shouldStop)
      return
    }
    batch = made.batch
    for (const [k, runId] of job.runIds.entries()) {
      const { run, checkpoint } = openRun(store, runId, job.resume, backend)
      trainers.push(new Trainer(run.config, checkpoint, { batch, member: k }))
    }
    for (const [k, runId] of job.runIds.entries()) emit(await startedEvent(store, runId, trainers[k], backend))
    const callbacks = job.runIds.map((runId, k) => recordingCallbacks(store, runId, configs[k].steps, emit, shouldStop))
    const outcomes = await trainInLockstep(trainers, callbacks)
    for (const [k, o] of outcomes.entries()) await closeRun(store, job.runIds[k], o, emit)
  } catch (e) {
    job.runIds.forEach((runId, k) => failRun(store, runId, trainers[k]?.stepsDone ?? 0, e, emit))
  } finally {
    trainers.forEach((t) => t.dispose())
    await batch?.dispose()
    store.close()
  }
}
