import { ref, type Ref } from 'vue'
import type { CurveInput } from '../../../shared/figures'
import { lab } from '../api'
import { errorMessage } from '../format'
import type { Evaluation } from '../stores/training'
import { useTrainingStore } from '../stores/training'

/** The metrics the curves views draw. */
export const CURVE_METRICS = ['train_loss', 'test_loss', 'train_acc', 'test_acc'] as const

export interface LiveCurves {
  runId: number
  /** Plain arrays that only grow; `version` changes when they do. */
  curves: Record<string, CurveInput>
  /** Whether a curve was downsampled by the server (first-crossing steps are then approximate). */
  downsampled: Ref<boolean>
  version: Ref<number>
  loaded: Ref<boolean>
  error: Ref<string | null>
  /** Loads the stored history; `live`: the run trains, so every curve is there from the start, empty until its first point. */
  load(width: number, opts?: { live?: boolean }): Promise<void>
  dispose(): void
}

/**
 * A run's curves: the stored history from `runs:series` (downsampled to the chart's width), then
 * every live evaluation appended as it arrives. Evaluations that arrive while the history loads
 * are held and merged after it, so nothing between the two is lost or drawn twice.
 */
export function createLiveCurves(runId: number, names: readonly string[] = CURVE_METRICS): LiveCurves {
  const training = useTrainingStore()
  const curves: Record<string, CurveInput> = {}
  const version = ref(0)
  const loaded = ref(false)
  const downsampled = ref(false)
  const error = ref<string | null>(null)
  let held: Evaluation[] = []
  let disposed = false

  function append(evals: Evaluation[]): void {
    let changed = false
    for (const e of evals) {
      for (const name of names) {
        const value = e.metrics[name]
        if (value === undefined) continue
        let curve = curves[name]
        if (!curve) curve = curves[name] = { name, steps: [], values: [] }
        const last = curve.steps.length ? curve.steps[curve.steps.length - 1] : -Infinity
        if (e.step <= last) continue
        curve.steps.push(e.step)
        curve.values.push(value)
        changed = true
      }
    }
    if (changed) version.value++
  }

  const off = training.onEvals(runId, (evals) => {
    if (loaded.value) append(evals)
    else held.push(...evals)
  })

  async function load(width: number, opts: { live?: boolean } = {}): Promise<void> {
    try {
      const series = await lab.invoke('runs:series', { runId, names: [...names], width: Math.max(50, Math.round(width)) })
      if (disposed) return
      for (const key of Object.keys(curves)) delete curves[key]
      for (const s of series) curves[s.name] = { name: s.name, steps: s.steps, values: s.values }
      // A curve that appeared with the first evaluation was a new series, a whole redraw of the
      // chart in the middle of a run; made now, the first points are appended to it like the rest.
      if (opts.live) for (const name of names) curves[name] ??= { name, steps: [], values: [] }
      downsampled.value = series.some((s) => s.downsampled)
      loaded.value = true
      error.value = null
      const pending = held
      held = []
      append(pending)
      version.value++
    } catch (e) {
      if (!disposed) error.value = errorMessage(e)
    }
  }

  return {
    runId,
    curves,
    downsampled,
    version,
    loaded,
    error,
    load,
    dispose() {
      disposed = true
      off()
    },
  }
}
