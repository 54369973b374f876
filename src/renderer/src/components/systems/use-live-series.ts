import { computed, onUnmounted, shallowRef, watch, type ComputedRef, type Ref } from 'vue'
import type { CurveInput } from '../../../../shared/figures'
import { createLiveCurves, type LiveCurves } from '../../composables/live-curves'

export interface LiveSeries {
  /** The run's curves; recomputed as live evaluations arrive. */
  curves: ComputedRef<CurveInput[]>
  loaded: ComputedRef<boolean>
  error: ComputedRef<string | null>
  /** Loads the stored history downsampled to the chart's width (once per run). */
  load(width: number): void
}

/**
 * A run's stored series followed live (createLiveCurves), reopened when the run changes and
 * disposed on unmount, so that no evaluation listener outlives the view.
 */
export function useLiveSeries(runId: () => number, names: readonly string[]): LiveSeries {
  const live: Ref<LiveCurves | null> = shallowRef(null)
  let width = 0
  watch(
    runId,
    (id) => {
      live.value?.dispose()
      live.value = createLiveCurves(id, names)
      if (width > 0) void live.value.load(width)
    },
    { immediate: true },
  )
  onUnmounted(() => live.value?.dispose())
  return {
    curves: computed(() => {
      void live.value?.version.value
      return Object.values(live.value?.curves ?? {})
    }),
    loaded: computed(() => live.value?.loaded.value ?? false),
    error: computed(() => live.value?.error.value ?? null),
    load(w: number) {
      // The history is downsampled to the chart's pixel width: more points than pixels draw nothing new.
      if (width > 0 || w <= 0) return
      width = w
      void live.value?.load(w)
    },
  }
}
