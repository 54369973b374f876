import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ActiveRun, LabEvents } from '../../../shared/api'
import type { Clocks } from '../../../shared/analysis-types'
import type { RunStatus } from '../../../shared/run-types'
import { lab } from '../api'
import { errorMessage } from '../format'
import { frameBatcher, refCounted } from './attach'

export type Evaluation = LabEvents['run:progress']['evals'][number]

/** What the page knows of a run that is (or just was) training, from training:active and events. */
export interface LiveRun {
  runId: number
  sweepId: number | null
  status: RunStatus
  step: number
  totalSteps: number
  stepsPerSecond: number | null
  backend: string | null
  engine: string | null
  error: string | null
  /** From run:ended. */
  clocks: Clocks | null
  /** Metrics of the latest evaluation. */
  lastMetrics: Record<string, number> | null
}

type EvalListener = (evals: Evaluation[]) => void

const TRAINING: ReadonlySet<RunStatus> = new Set(['queued', 'running'])

/**
 * Runs training now and their live progress. Events are buffered and applied once per animation
 * frame; evaluations go to whoever watches that run (`onEvals`), never into reactive state, so a
 * long curve costs nothing to keep.
 */
export const useTrainingStore = defineStore('training', () => {
  const runs = ref<Record<number, LiveRun>>({})
  const error = ref<string | null>(null)
  const evalListeners = new Map<number, Set<EvalListener>>()
  // When each run's run:ended was applied: a training:active answer sent before that is stale for it.
  const endedAt = new Map<number, number>()
  const startedAt = new Map<number, number>()

  let pending: { [E in keyof LabEvents]: { event: E; payload: LabEvents[E] } }[keyof LabEvents][] = []
  const batcher = frameBatcher(flush)

  function entry(runId: number): LiveRun {
    const existing = runs.value[runId]
    if (existing) return existing
    const created: LiveRun = { runId, sweepId: null, status: 'running', step: 0, totalSteps: 0, stepsPerSecond: null, backend: null, engine: null, error: null, clocks: null, lastMetrics: null }
    runs.value[runId] = created
    return runs.value[runId]
  }

  function flush(): void {
    const batch = pending
    pending = []
    const evals = new Map<number, Evaluation[]>()
    for (const item of batch) {
      if (item.event === 'run:created') {
        const { run } = item.payload
        if (TRAINING.has(run.status)) Object.assign(entry(run.id), { status: run.status, totalSteps: run.totalSteps, step: run.stepsDone })
      } else if (item.event === 'run:started') {
        const p = item.payload
        Object.assign(entry(p.runId), { status: 'running', backend: p.backend, engine: p.engine, step: p.fromStep, totalSteps: p.totalSteps, error: null, clocks: null })
        endedAt.delete(p.runId)
        startedAt.set(p.runId, performance.now())
      } else if (item.event === 'run:progress') {
        const p = item.payload
        const live = entry(p.runId)
        live.step = p.step
        live.totalSteps = p.totalSteps
        if (p.stepsPerSecond != null) live.stepsPerSecond = p.stepsPerSecond
        if (p.evals.length > 0) {
          live.lastMetrics = p.evals[p.evals.length - 1].metrics
          if (evalListeners.has(p.runId)) {
            const list = evals.get(p.runId) ?? []
            list.push(...p.evals)
            evals.set(p.runId, list)
          }
        }
      } else if (item.event === 'run:ended') {
        const p = item.payload
        Object.assign(entry(p.runId), { status: p.status, step: p.step, error: p.error, clocks: p.clocks, stepsPerSecond: null })
        endedAt.set(p.runId, performance.now())
      }
    }
    for (const [runId, list] of evals) for (const listener of [...(evalListeners.get(runId) ?? [])]) listener(list)
  }

  function push<E extends keyof LabEvents>(event: E, payload: LabEvents[E]): void {
    pending.push({ event, payload } as (typeof pending)[number])
    batcher.schedule()
  }

  function applyActive(list: ActiveRun[], askedAt: number): void {
    const active = new Set(list.map((a) => a.runId))
    for (const a of list) {
      if ((endedAt.get(a.runId) ?? -Infinity) > askedAt) continue
      const known = runs.value[a.runId]
      Object.assign(entry(a.runId), {
        status: 'running',
        sweepId: a.sweepId,
        // Progress events may already be ahead of this answer.
        step: known?.status === 'running' ? Math.max(known.step, a.step) : a.step,
        totalSteps: a.totalSteps,
        stepsPerSecond: a.stepsPerSecond,
        backend: a.backend,
        engine: a.engine,
      })
    }
    // A run that ended while the event stream was down: forget it, views reload it from the library.
    for (const live of Object.values(runs.value)) {
      if (TRAINING.has(live.status) && !active.has(live.runId) && (startedAt.get(live.runId) ?? -Infinity) < askedAt) delete runs.value[live.runId]
    }
  }

  /** Reloads what is training now (mount of a view, reload of the page, reconnect of the stream). */
  async function sync(): Promise<void> {
    const askedAt = performance.now()
    try {
      applyActive(await lab.invoke('training:active', {}), askedAt)
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  const attach = refCounted(() => {
    void sync()
    return [
      lab.on('run:created', (p) => push('run:created', p)),
      lab.on('run:started', (p) => push('run:started', p)),
      lab.on('run:progress', (p) => push('run:progress', p)),
      lab.on('run:ended', (p) => push('run:ended', p)),
      lab.onReconnect(() => void sync()),
      () => {
        batcher.cancel()
        pending = []
      },
    ]
  })

  /** Calls `listener` with each frame's new evaluations of this run; returns the remover. */
  function onEvals(runId: number, listener: EvalListener): () => void {
    let set = evalListeners.get(runId)
    if (!set) evalListeners.set(runId, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0) evalListeners.delete(runId)
    }
  }

  function forget(runId: number): void {
    delete runs.value[runId]
  }

  const active = computed(() => Object.values(runs.value).filter((r) => TRAINING.has(r.status)))

  return { runs, active, error, attach, sync, onEvals, forget }
})
