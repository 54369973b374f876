import type { ActiveRun } from '../../shared/api'
import type { TrainingEvent } from '../../shared/run-types'
import type { RunStore } from '../store/run-store'
import type { TrainingHandle } from '../worker/training-host'
import { ProgressThrottle } from './event-throttle'
import type { LabEmit } from './service-context'

interface ActiveEntry extends ActiveRun {
  handle: TrainingHandle
}

/**
 * The runs this lab is training, each in a worker process, and the translation of their workers'
 * TrainingEvents into LabEvents: run:started, throttled run:progress, run:ended with the clocks the
 * worker stored. A worker that dies without saying how its runs ended (killed, crashed) still ends
 * them: they are marked interrupted and reported so.
 */
export class TrainingRegistry {
  private readonly runs = new Map<number, ActiveEntry>()
  private readonly throttle: ProgressThrottle
  private closed = false

  constructor(private readonly store: RunStore, private readonly emit: LabEmit) {
    this.throttle = new ProgressThrottle((p) => emit('run:progress', p))
  }

  /** Tracks a worker's runs until they end; its events must reach `onEvent`. */
  attach(handle: TrainingHandle, runIds: number[], sweepId: number | null): void {
    for (const runId of runIds) {
      const run = this.store.getRun(runId)
      this.runs.set(runId, { runId, sweepId, handle, step: run.stepsDone, totalSteps: run.totalSteps, stepsPerSecond: null, backend: null, engine: null })
    }
    void handle.done.then((exit) => {
      for (const runId of runIds) {
        if (this.closed || this.runs.get(runId)?.handle !== handle) continue
        this.runs.delete(runId)
        this.throttle.flush(runId)
        this.store.markInterrupted()
        const run = this.store.getRun(runId)
        const how = exit.signal ?? `code ${exit.exitCode}`
        this.emit('run:ended', { runId, status: run.status, step: run.stepsDone, error: `the training worker exited (${how}) before the run ended; resume it to continue`, clocks: null })
      }
    })
  }

  /** Handles one worker event (pass it as startTraining's onEvent). */
  readonly onEvent = (e: TrainingEvent): void => {
    const entry = this.runs.get(e.runId)
    switch (e.type) {
      case 'started':
        if (entry) Object.assign(entry, { backend: e.backend, engine: e.engine, step: e.fromStep, totalSteps: e.totalSteps })
        this.emit('run:started', { runId: e.runId, backend: e.backend, engine: e.engine, fromStep: e.fromStep, totalSteps: e.totalSteps })
        return
      case 'tick':
        if (entry) Object.assign(entry, { step: Math.max(entry.step, e.step), stepsPerSecond: e.stepsPerSecond })
        this.throttle.tick(e.runId, e.step, e.totalSteps, e.stepsPerSecond)
        return
      case 'eval':
        if (entry) entry.step = Math.max(entry.step, e.step)
        this.throttle.eval(e.runId, e.step, e.totalSteps, e.metrics)
        return
      case 'finished':
        this.end(e.runId)
        this.emit('run:ended', { runId: e.runId, status: e.status, step: e.step, error: null, clocks: this.store.loadClocks(e.runId) ?? null })
        return
      case 'failed':
        this.end(e.runId)
        this.emit('run:ended', { runId: e.runId, status: e.interrupted ? 'interrupted' : 'failed', step: entry?.step ?? 0, error: e.message, clocks: null })
    }
  }

  /** Whether this lab is training the run now. */
  has(runId: number): boolean {
    return this.runs.has(runId)
  }

  /** The runs training now with their latest progress. */
  active(): ActiveRun[] {
    return [...this.runs.values()].map(({ handle: _handle, ...run }) => run)
  }

  /** Asks the run's worker to stop after its next checkpoint (a batch worker stops all its runs); false when it is not training here. */
  cancel(runId: number): boolean {
    const entry = this.runs.get(runId)
    entry?.handle.cancel()
    return entry !== undefined
  }

  /** Cancels every worker and waits (at most `timeoutMs`) for them to checkpoint and exit. */
  async stopAll(timeoutMs: number): Promise<void> {
    const handles = new Set([...this.runs.values()].map((e) => e.handle))
    handles.forEach((h) => h.cancel())
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))
    await Promise.race([Promise.all([...handles].map((h) => h.done)), timeout])
    clearTimeout(timer)
    this.closed = true
    this.throttle.dispose()
  }

  private end(runId: number): void {
    this.runs.delete(runId)
    this.throttle.flush(runId)
  }
}
