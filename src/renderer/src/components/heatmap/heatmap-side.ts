import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import type { SnapshotList } from '../../../../shared/api'
import { errorMessage } from '../../format'
import { loadSnapshotList, type LoadedTensor, type TensorCache } from './tensor-cache'

/** One heatmap's source: a run, its snapshot list, a step index and the tensor shown there. */
export interface HeatmapSide {
  runId: Ref<number>
  list: Ref<SnapshotList | null>
  index: Ref<number>
  step: Ref<number | null>
  /** The tensor at the current step, or the last one shown while the next loads (no flicker). */
  current: Ref<LoadedTensor | null>
  /** Max |value| over every loaded step of the tensor (the shared scale). */
  sharedMax: Ref<number>
  /** Steps of the list loaded so far, for "scale over n of m steps". */
  loadedSteps: Ref<number>
  error: Ref<string | null>
  reloadList(): Promise<void>
  dispose(): void
}

/** State of one side of the panel, reading tensors through the panel's shared cache. */
export function createHeatmapSide(cache: TensorCache, runId: Ref<number>, tensor: Ref<string | null>, initialIndex: 'first' | 'last'): HeatmapSide {
  const list = shallowRef<SnapshotList | null>(null)
  const index = ref(0)
  const current = shallowRef<LoadedTensor | null>(null)
  const error = ref<string | null>(null)
  // Bumped whenever a prefetched step arrives, so the shared scale recomputes without deep reactivity.
  const arrivals = ref(0)
  let prefetch: { stop(): void } | null = null

  const step = computed(() => list.value?.steps[index.value] ?? null)

  async function reloadList(): Promise<void> {
    const id = runId.value
    try {
      const next = await loadSnapshotList(id)
      if (id !== runId.value) return
      const before = list.value
      const wasLast = !before || index.value >= before.steps.length - 1
      list.value = next
      if (!before) index.value = initialIndex === 'last' ? Math.max(0, next.steps.length - 1) : 0
      else if (wasLast && initialIndex === 'last') index.value = Math.max(0, next.steps.length - 1)
      else index.value = Math.min(index.value, Math.max(0, next.steps.length - 1))
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  watch(runId, () => {
    list.value = null
    current.value = null
    void reloadList()
  }, { immediate: true })

  const hasTensor = computed(() => !!tensor.value && !!list.value?.tensors.some((t) => t.name === tensor.value))

  watch([runId, tensor, step, hasTensor], async ([id, name, s, ok]) => {
    if (!name || s == null) return
    if (!ok) {
      current.value = null
      error.value = list.value ? `run #${id} has no tensor ${name}` : error.value
      return
    }
    const hit = cache.peek(id, name, s)
    if (hit) {
      current.value = hit
      error.value = null
      return
    }
    try {
      const loaded = await cache.get(id, name, s)
      if (id === runId.value && name === tensor.value && s === step.value) {
        current.value = loaded
        error.value = null
      }
    } catch (e) {
      error.value = errorMessage(e)
    }
  }, { immediate: true })

  // Prefetch every step of the tensor, so the shared scale covers all snapshots and scrubbing never waits.
  watch([runId, tensor, () => list.value?.steps.length, hasTensor], ([id, name, , ok]) => {
    prefetch?.stop()
    prefetch = null
    if (!name || !ok || !list.value) return
    prefetch = cache.prefetch(id, name, list.value.steps, () => arrivals.value++)
  }, { immediate: true })

  const loadedSteps = computed(() => {
    void arrivals.value
    void current.value
    const name = tensor.value
    if (!name || !list.value) return 0
    return list.value.steps.filter((s) => cache.peek(runId.value, name, s)).length
  })

  const sharedMax = computed(() => {
    void arrivals.value
    void current.value
    const name = tensor.value
    let m = 0
    if (!name || !list.value) return m
    for (const s of list.value.steps) {
      const t = cache.peek(runId.value, name, s)
      if (t && t.maxAbs > m) m = t.maxAbs
    }
    return m
  })

  return { runId, list, index, step, current, sharedMax, loadedSteps, error, reloadList, dispose: () => prefetch?.stop() }
}
