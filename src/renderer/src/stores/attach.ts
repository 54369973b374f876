import { onScopeDispose } from 'vue'

/**
 * Reference-counted event subscriptions for a store: the listeners that `register` returns are
 * installed while at least one view is attached, removed when the last one detaches, and removed
 * when the store is disposed. Returns `attach`, which returns its own `detach`.
 */
export function refCounted(register: () => (() => void)[]): () => () => void {
  let count = 0
  let removers: (() => void)[] = []
  const removeAll = () => {
    for (const remove of removers) remove()
    removers = []
  }
  onScopeDispose(() => {
    removeAll()
    count = 0
  })
  return () => {
    if (count++ === 0) removers = register()
    let detached = false
    return () => {
      if (detached) return
      detached = true
      if (--count === 0) removeAll()
    }
  }
}

/**
 * Runs `flush` at most once per animation frame, so that a burst of events costs one reactive
 * update. Hidden tabs get no frames; a timer keeps them current at a slower pace.
 */
export function frameBatcher(flush: () => void): { schedule(): void; cancel(): void } {
  let frame: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const run = () => {
    frame = undefined
    timer = undefined
    flush()
  }
  return {
    schedule() {
      if (frame !== undefined || timer !== undefined) return
      if (typeof document !== 'undefined' && document.hidden) timer = setTimeout(run, 250)
      else frame = requestAnimationFrame(run)
    },
    cancel() {
      if (frame !== undefined) cancelAnimationFrame(frame)
      clearTimeout(timer)
      frame = undefined
      timer = undefined
    },
  }
}

/** Calls `fn` once, `ms` after the last of a burst of calls. */
export function debounced(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const call = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      fn()
    }, ms)
  }
  call.cancel = () => clearTimeout(timer)
  return call
}
