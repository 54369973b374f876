import type { SnapshotList } from '../../../../shared/api'
import { maxAbs } from '../../../../shared/figures/heatmap-data'
import { lab } from '../../api'

/** One tensor at one step, decoded once: its max |value| is taken at load so scales never rescan it. */
export interface LoadedTensor {
  key: string
  runId: number
  name: string
  step: number
  shape: number[]
  data: Float32Array
  maxAbs: number
}

export interface TensorCache {
  /** Loads (once) and keeps the tensor; a failed load is forgotten so the next call retries. */
  get(runId: number, name: string, step: number): Promise<LoadedTensor>
  /** The tensor if it has already arrived, without loading anything. */
  peek(runId: number, name: string, step: number): LoadedTensor | undefined
  /** Loads every step of a list in the background, a few at a time; stop() abandons the rest. */
  prefetch(runId: number, name: string, steps: readonly number[], onLoad: () => void): { stop(): void }
  clear(): void
}

const keyOf = (runId: number, name: string, step: number) => `${runId}\u0000${name}\u0000${step}`

/** A per-panel cache of snapshot tensors keyed by (run, tensor, step); Float32Arrays are kept as they arrive. */
export function createTensorCache(): TensorCache {
  const pending = new Map<string, Promise<LoadedTensor>>()
  const done = new Map<string, LoadedTensor>()

  function get(runId: number, name: string, step: number): Promise<LoadedTensor> {
    const key = keyOf(runId, name, step)
    const hit = pending.get(key)
    if (hit) return hit
    const load = lab.invoke('snapshots:tensor', { runId, step, tensor: name }).then((t) => {
      const loaded: LoadedTensor = { key, runId, name, step, shape: t.shape, data: t.data, maxAbs: maxAbs(t.data) }
      done.set(key, loaded)
      return loaded
    })
    load.catch(() => pending.delete(key))
    pending.set(key, load)
    return load
  }

  function prefetch(runId: number, name: string, steps: readonly number[], onLoad: () => void): { stop(): void } {
    let stopped = false
    const queue = steps.filter((s) => !done.has(keyOf(runId, name, s)))
    // Two at a time: enough to hide latency without starving the step the user is looking at.
    const worker = async (): Promise<void> => {
      while (!stopped && queue.length) {
        const step = queue.pop()!
        try {
          await get(runId, name, step)
          if (!stopped) onLoad()
        } catch {
          // A step that fails to load simply stays out of the shared scale; the view shows its own error.
        }
      }
    }
    void worker()
    void worker()
    return { stop: () => (stopped = true) }
  }

  return {
    get,
    peek: (runId, name, step) => done.get(keyOf(runId, name, step)),
    prefetch,
    clear: () => {
      pending.clear()
      done.clear()
    },
  }
}

/** The snapshot list of a run. */
export function loadSnapshotList(runId: number): Promise<SnapshotList> {
  return lab.invoke('snapshots:list', { runId })
}

/** Index of the last snapshot at or before `step` (0 when every snapshot is later). */
export function indexAtOrBefore(steps: readonly number[], step: number): number {
  let lo = 0
  let hi = steps.length - 1
  let best = 0
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (steps[mid] <= step) {
      best = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return best
}
