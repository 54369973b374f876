import { isLabError } from '../../shared/lab-error'
import type { TrainingEvent } from '../../shared/run-types'
import type { ActiveBackend } from '../backends/select-backend'
import { computeClocks } from '../analysis/clocks'
import { progressMeasuresBlocker, recordProgressMeasures } from '../analysis/run-progress-measures'
import type { RunStore } from '../store/run-store'
import type { Checkpoint, Trainer, TrainerCallbacks, TrainOutcome } from '../training/trainer'
import { isStorageFull, storageFullMessage } from '../store/storage-full'

/** Readies a library run for training: its config, the checkpoint to resume from, and the rows after it removed. */
export function openRun(store: RunStore, runId: number, resume: boolean, backend: ActiveBackend) {
  const run = store.getRun(runId)
  const checkpoint: Checkpoint | undefined = resume ? store.loadCheckpoint(runId) : undefined
  store.truncateFrom(runId, checkpoint?.step ?? 0)
  store.markRunning(runId, process.pid, backend.name)
  return { run, checkpoint }
}

/** The 'started' event of a run, once its trainer has set up its engine (recorded with the run). */
export async function startedEvent(store: RunStore, runId: number, trainer: Trainer, backend: ActiveBackend): Promise<TrainingEvent> {
  const engine = await trainer.engine()
  store.setEngine(runId, engine.reason)
  return {
    type: 'started',
    runId,
    backend: backend.name,
    engine: engine.reason,
    backendReasons: backend.probes.filter((p) => !p.available || p.software).map((p) => `${p.name}: ${p.reason}`),
    fromStep: trainer.stepsDone,
    totalSteps: trainer.config.steps,
  }
}

/** Trainer callbacks that write a run's metrics, snapshots and checkpoints to the library and report progress. */
export function recordingCallbacks(store: RunStore, runId: number, total: number, emit: (e: TrainingEvent) => void, shouldStop: () => boolean): TrainerCallbacks {
  return {
    onEval: (r) => {
      store.appendMetrics(runId, Object.entries(r.metrics).map(([name, value]) => ({ name, value, step: r.step, wallSeconds: r.wallSeconds })))
      emit({ type: 'eval', runId, step: r.step, totalSteps: total, metrics: r.metrics })
    },
    onSnapshot: (step, tensors) => store.writeSnapshot(runId, step, tensors),
    onCheckpoint: (cp) => store.saveCheckpoint(runId, cp),
    onTick: (step, stepsPerSecond) => emit({ type: 'tick', runId, step, totalSteps: total, stepsPerSecond }),
    shouldStop,
  }
}

/**
 * Records how a run ended (with its clocks) and reports it. A finished modular run first gets its
 * progress measures (restricted and excluded loss at every snapshot), which need its final key
 * frequencies and so can only be made now; a failure there is reported but does not fail the run.
 */
export async function closeRun(store: RunStore, runId: number, outcome: TrainOutcome, emit: (e: TrainingEvent) => void): Promise<void> {
  const status = outcome.stopped ? 'cancelled' : 'completed'
  if (!outcome.stopped && !progressMeasuresBlocker(store.getRun(runId).config)) {
    try {
      await recordProgressMeasures(store, runId)
    } catch (e) {
      console.error(`[lab] run ${runId}: progress measures failed: ${(e as Error).message}`)
    }
  }
  store.finishRun(runId, status, { stepsDone: outcome.step, msPerStep: outcome.msPerStep, wallSeconds: outcome.wallSeconds })
  store.saveClocks(runId, computeClocks(store.readSeries(runId)))
  emit({ type: 'finished', runId, status, step: outcome.step, msPerStep: outcome.msPerStep })
}

/** Marks a run failed with the error's message and reports it; a full disk interrupts it instead. */
export function failRun(store: RunStore, runId: number, stepsDone: number, e: unknown, emit: (e: TrainingEvent) => void): void {
  if (isStorageFull(e)) {
    // The checkpoint is where resume starts; rows past it are dropped when it does.
    let step = 0
    try {
      step = store.checkpointStep(runId) ?? 0
    } catch {
      // Unreadable too: resume starts from the beginning.
    }
    const message = storageFullMessage(e, store.path, runId, step)
    try {
      store.finishRun(runId, 'interrupted', { stepsDone: step, error: message })
    } catch {
      // No room even for the status: the next open marks a run without a live worker interrupted.
    }
    emit({ type: 'failed', runId, message, interrupted: true })
    return
  }
  const message = isLabError(e) ? e.message : String((e as Error)?.stack ?? e)
  try {
    store.finishRun(runId, 'failed', { stepsDone, error: message })
  } catch {
    // The run may not exist; the event below still reports the failure.
  }
  emit({ type: 'failed', runId, message })
}
