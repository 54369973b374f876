import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import type { ClockThresholds, Clocks } from '../../../../shared/analysis-types'
import type { MetricInfo, RunListItem, SeriesData } from '../../../../shared/api'
import type { CurveInput } from '../../../../shared/figures'
import { lab } from '../../api'
import { errorMessage } from '../../format'
import type { Evaluation } from '../../stores/training'
import { useTrainingStore } from '../../stores/training'

/** A step window of a zoomed chart. */
export interface StepWindow {
  from: number
  to: number
}

export interface RunClockData {
  runId: number
  item: ShallowRef<RunListItem | null>
  metrics: ShallowRef<MetricInfo[]>
  /** The curves to draw: the whole history, with a zoomed window's finer points spliced in. */
  curves: ShallowRef<Record<string, CurveInput>>
  clocks: ShallowRef<Clocks | null>
  error: Ref<string | null>
  /** Loads the run's record and metric names. */
  loadInfo(): Promise<void>
  /** Loads the history of these metrics at about `width` points each. */
  load(names: readonly string[], width: number): Promise<void>
  /** Fetches finer points for a step window (null: back to the whole history). */
  refine(window: StepWindow | null, width: number): Promise<void>
  /** Recomputes the clocks at these thresholds (none: the lab's defaults). */
  loadClocks(thresholds?: Partial<ClockThresholds>): Promise<void>
  dispose(): void
}

function toCurves(series: SeriesData[]): Record<string, CurveInput> {
  const out: Record<string, CurveInput> = {}
  for (const s of series) out[s.name] = { name: s.name, steps: [...s.steps], values: [...s.values] }
  return out
}

/** The coarse curve outside the window and the fine one inside it, in step order. */
function splice(coarse: CurveInput, fine: CurveInput | undefined, w: StepWindow): CurveInput {
  if (!fine) return coarse
  const steps: number[] = []
  const values: number[] = []
  const take = (c: CurveInput, keep: (s: number) => boolean) => {
    for (let i = 0; i < c.steps.length; i++) {
      if (!keep(c.steps[i])) continue
      steps.push(c.steps[i])
      values.push(c.values[i])
    }
  }
  take(coarse, (s) => s < w.from)
  take(fine, () => true)
  take(coarse, (s) => s > w.to)
  return { name: coarse.name, steps, values }
}

/**
 * One run's data for the clock plots. Live evaluations are appended to the history as they arrive
 * (held while a load is in flight so none is lost or doubled); answers that a newer request has
 * overtaken are dropped, so a fast zoom or threshold edit never draws a stale state.
 */
export function createRunClockData(runId: number): RunClockData {
  const training = useTrainingStore()
  const item = shallowRef<RunListItem | null>(null)
  const metrics = shallowRef<MetricInfo[]>([])
  const curves = shallowRef<Record<string, CurveInput>>({})
  const clocks = shallowRef<Clocks | null>(null)
  const error = ref<string | null>(null)
  let base: Record<string, CurveInput> = {}
  let fine: { window: StepWindow; curves: Record<string, CurveInput> } | null = null
  let names: string[] = []
  let loading = false
  let held: Evaluation[] = []
  let loadToken = 0
  let refineToken = 0
  let clockToken = 0
  let disposed = false

  function publish(): void {
    const out: Record<string, CurveInput> = {}
    for (const [name, c] of Object.entries(base)) out[name] = fine ? splice(c, fine.curves[name], fine.window) : c
    curves.value = out
  }

  function append(evals: Evaluation[]): void {
    for (const e of evals) {
      for (const name of names) {
        const value = e.metrics[name]
        if (value === undefined) continue
        const c = (base[name] ??= { name, steps: [], values: [] })
        if (c.steps.length && e.step <= c.steps[c.steps.length - 1]) continue
        c.steps.push(e.step)
        c.values.push(value)
      }
    }
    publish()
  }

  const off = training.onEvals(runId, (evals) => (loading ? held.push(...evals) : append(evals)))

  async function guard(task: () => Promise<void>): Promise<void> {
    try {
      await task()
      if (!disposed) error.value = null
    } catch (e) {
      if (!disposed) error.value = errorMessage(e)
    }
  }

  return {
    runId,
    item,
    metrics,
    curves,
    clocks,
    error,
    loadInfo: () =>
      guard(async () => {
        const [record, list] = await Promise.all([lab.invoke('runs:get', { runId }), lab.invoke('runs:metrics', { runId })])
        if (disposed) return
        item.value = record
        metrics.value = list
      }),
    load: (wanted, width) =>
      guard(async () => {
        const token = ++loadToken
        loading = true
        try {
          const series = await lab.invoke('runs:series', { runId, names: [...wanted], width: Math.max(50, Math.round(width)) })
          if (disposed || token !== loadToken) return
          names = [...wanted]
          base = toCurves(series)
          fine = null
          const pending = held
          held = []
          append(pending)
        } finally {
          if (token === loadToken) loading = false
        }
      }),
    refine: (window, width) =>
      guard(async () => {
        const token = ++refineToken
        if (!window) {
          fine = null
          return publish()
        }
        const from = Math.floor(window.from)
        const to = Math.ceil(window.to)
        const series = await lab.invoke('runs:series', { runId, names, from, to, width: Math.max(50, Math.round(width)) })
        if (disposed || token !== refineToken) return
        fine = { window: { from, to }, curves: toCurves(series) }
        publish()
      }),
    loadClocks: (thresholds) =>
      guard(async () => {
        const token = ++clockToken
        const answer = await lab.invoke('analysis:clocks', { runId, ...thresholds })
        if (!disposed && token === clockToken) clocks.value = answer
      }),
    dispose() {
      disposed = true
      off()
    },
  }
}
