import type { LabEvents } from '../../shared/api'

type Progress = LabEvents['run:progress']

interface RunState {
  progress: Progress
  dirty: boolean
  lastSent: number
  timer: NodeJS.Timeout | null
}

/**
 * Folds a worker's tick and eval events into at most one `run:progress` per run every
 * `intervalMs`: a fast run ticks hundreds of times a second, far more than a page can draw, but
 * no evaluation may be lost, so each event carries every eval since the previous one.
 */
export class ProgressThrottle {
  private readonly runs = new Map<number, RunState>()

  constructor(
    private readonly send: (progress: Progress) => void,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a tick (position and speed) of a run. */
  tick(runId: number, step: number, totalSteps: number, stepsPerSecond: number): void {
    const state = this.state(runId, totalSteps)
    state.progress.step = Math.max(state.progress.step, step)
    state.progress.stepsPerSecond = stepsPerSecond
    this.schedule(state)
  }

  /** Records an evaluation of a run; it goes out with the next progress event. */
  eval(runId: number, step: number, totalSteps: number, metrics: Record<string, number>): void {
    const state = this.state(runId, totalSteps)
    state.progress.step = Math.max(state.progress.step, step)
    state.progress.evals.push({ step, metrics })
    this.schedule(state)
  }

  /** Sends what is pending for a run now and forgets it (before its run:ended). */
  flush(runId: number): void {
    const state = this.runs.get(runId)
    if (!state) return
    this.emit(state)
    this.runs.delete(runId)
  }

  /** Drops every timer without sending (the service is closing). */
  dispose(): void {
    for (const state of this.runs.values()) if (state.timer) clearTimeout(state.timer)
    this.runs.clear()
  }

  private state(runId: number, totalSteps: number): RunState {
    let state = this.runs.get(runId)
    if (!state) {
      state = { progress: { runId, step: 0, totalSteps, stepsPerSecond: null, evals: [] }, dirty: false, lastSent: -Infinity, timer: null }
      this.runs.set(runId, state)
    }
    state.progress.totalSteps = totalSteps
    return state
  }

  private schedule(state: RunState): void {
    state.dirty = true
    if (state.timer) return
    const wait = state.lastSent + this.intervalMs - this.now()
    if (wait <= 0) this.emit(state)
    else {
      state.timer = setTimeout(() => this.emit(state), wait)
      state.timer.unref?.()
    }
  }

  private emit(state: RunState): void {
    if (state.timer) clearTimeout(state.timer)
    state.timer = null
    if (!state.dirty) return
    const { progress } = state
    this.send({ ...progress, evals: progress.evals })
    progress.evals = []
    state.dirty = false
    state.lastSent = this.now()
  }
}
