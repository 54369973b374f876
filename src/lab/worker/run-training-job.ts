import { isLabError } from '../../shared/lab-error'
import type { TrainingEvent } from '../../shared/run-types'
import { useBackend } from '../backends/select-backend'
import { RunStore } from '../store/run-store'
import { Trainer } from '../training/trainer'
import { computeClocks } from '../analysis/clocks'
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
    const run = store.getRun(runId)
    const active = await useBackend(job.backend)
    const checkpoint = job.resume ? store.loadCheckpoint(runId) : undefined
    store.truncateFrom(runId, checkpoint?.step ?? 0)
    store.markRunning(runId, process.pid, active.name)
    trainer = new Trainer(run.config, checkpoint)
    const total = run.config.steps
    emit({
      type: 'started',
      runId,
      backend: active.name,
      backendReasons: active.probes.filter((p) => !p.available || p.software).map((p) => `${p.name}: ${p.reason}`),
      fromStep: trainer.stepsDone,
      totalSteps: total,
    })
    const outcome = await trainer.run({
      onEval: (r) => {
        store.appendMetrics(runId, Object.entries(r.metrics).map(([name, value]) => ({ name, value, step: r.step, wallSeconds: r.wallSeconds })))
        emit({ type: 'eval', runId, step: r.step, totalSteps: total, metrics: r.metrics })
      },
      onSnapshot: (step, tensors) => store.writeSnapshot(runId, step, tensors),
      onCheckpoint: (cp) => store.saveCheckpoint(runId, cp),
      onTick: (step, stepsPerSecond) => emit({ type: 'tick', runId, step, totalSteps: total, stepsPerSecond }),
      shouldStop,
    })
    const status = outcome.stopped ? 'cancelled' : 'completed'
    store.finishRun(runId, status, { stepsDone: outcome.step, msPerStep: outcome.msPerStep, wallSeconds: outcome.wallSeconds })
    store.saveClocks(runId, computeClocks(store.readSeries(runId)))
    emit({ type: 'finished', runId, status, step: outcome.step, msPerStep: outcome.msPerStep })
  } catch (e) {
    const message = isLabError(e) ? e.message : String((e as Error)?.stack ?? e)
    try {
      store.finishRun(runId, 'failed', { stepsDone: trainer?.stepsDone ?? 0, error: message })
    } catch {
      // The run may not exist; the event below still reports the failure.
    }
    emit({ type: 'failed', runId, message })
  } finally {
    trainer?.dispose()
    store.close()
  }
}
