import { onMounted, onUnmounted, ref, shallowRef } from 'vue'
import type { RunListItem } from '../../../shared/api'
import { errorMessage } from '../format'

// Workers send several events a second; one reload per burst is plenty for a table.
const REFRESH_DELAY_MS = 400

/**
 * The library's runs, loaded on mount and reloaded (at most once per REFRESH_DELAY_MS) whenever
 * a training event arrives; the subscription ends when the component unmounts.
 */
export function useRuns() {
  const runs = shallowRef<RunListItem[]>([])
  const error = ref<string | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let unsubscribe: (() => void) | undefined
  let latest = 0

  async function refresh(): Promise<void> {
    const request = ++latest
    try {
      const list = await window.lab.invoke('runs:list')
      // A slower, older reply must not overwrite a newer one.
      if (request !== latest) return
      runs.value = list
      error.value = null
    } catch (e) {
      if (request === latest) error.value = errorMessage(e)
    }
  }

  function scheduleRefresh(): void {
    if (timer !== undefined) return
    timer = setTimeout(() => {
      timer = undefined
      void refresh()
    }, REFRESH_DELAY_MS)
  }

  onMounted(() => {
    unsubscribe = window.lab.on('training:event', scheduleRefresh)
    void refresh()
  })
  onUnmounted(() => {
    unsubscribe?.()
    clearTimeout(timer)
  })

  return { runs, error, refresh }
}
