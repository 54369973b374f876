import type { TrainingEvent } from '../../shared/run-types'
import { useBackend, type ActiveBackend } from '../backends/select-backend'
import { batchesThatFit } from '../fast/batch-fit'
import { FastPathBatch } from '../fast/fast-path'
import type { RunConfig } from '../../shared/run-config'
import { RunStore } from '../store/run-store'
import { trainInLockstep } from '../training/lockstep'
import { Trainer } from '../training/trainer'
import { closeRun, failRun, openRun, recordingCallbacks, startedEvent } from './run-recording'
import { runTrainingJob } from './run-training-job'
import type { BatchJob } from './training-job'

/**
 * Trains several runs of one shape as one batch on the fast path (a sweep's seeds, λ, α…), each
 * written to the library as its own run; as several batches one after another when one would not
 * fit the GPU's memory (batchesThatFit). Where the fast path does not apply, trains them one after
 * another instead. Every run ends on a checkpoint, so a killed batch resumes.
 */
export async function runBatchJob(job: BatchJob, emit: (e: TrainingEvent) => void, shouldStop: () => boolean): Promise<void> {
  const store = RunStore.open(job.dbPath)
  try {
    let groups: number[][] = [job.runIds.map((_, i) => i)]
    let backend: ActiveBackend
    let configs: RunConfig[]
    try {
      backend = await useBackend(job.backend)
      configs = job.runIds.map((id) => store.getRun(id).config)
      groups = await batchesThatFit(configs, backend.name)
    } catch (e) {
      job.runIds.forEach((runId) => failRun(store, runId, 0, e, emit))
      return
    }
    for (const group of groups) {
      // The later batches of a cancelled job stay queued, as the runs of a cancelled sweep do.
      if (shouldStop()) return
      const part = { ...job, runIds: group.map((i) => job.runIds[i]) }
      await trainOneBatch(store, part, group.map((i) => configs[i]), backend, emit, shouldStop)
    }
  } finally {
    store.close()
  }
}

/** One batch of the job's runs, on `store`: trained in lockstep, or one by one without a fast path. */
async function trainOneBatch(
  store: RunStore,
  job: BatchJob,
  configs: RunConfig[],
  backend: ActiveBackend,
  emit: (e: TrainingEvent) => void,
  shouldStop: () => boolean,
): Promise<void> {
  const trainers: Trainer[] = []
  let batch: FastPathBatch | undefined
  try {
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
  }
}
