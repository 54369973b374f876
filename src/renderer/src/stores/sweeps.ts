import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SweepDetail, SweepSummary } from '../../../shared/api'
import type { SweepReport } from '../../../shared/analysis-types'
import { lab } from '../api'
import { errorMessage } from '../format'
import { debounced, refCounted } from './attach'

/** Sweeps of the library, their progress from sweep:progress events, and reports once done. */
export const useSweepsStore = defineStore('sweeps', () => {
  const list = ref<SweepSummary[]>([])
  const details = ref<Record<number, SweepDetail>>({})
  const reports = ref<Record<number, SweepReport>>({})
  const error = ref<string | null>(null)
  const loading = ref(false)
  // Detail views being shown: run:ended reloads them so each run's status stays current.
  const watched = new Map<number, number>()

  async function loadList(): Promise<void> {
    loading.value = true
    try {
      list.value = await lab.invoke('sweeps:list', {})
      error.value = null
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function loadDetail(sweepId: number): Promise<void> {
    try {
      const detail = await lab.invoke('sweeps:get', { sweepId })
      details.value[sweepId] = detail
      error.value = null
      if (isDone(detail.progress) && !reports.value[sweepId]) await loadReport(sweepId)
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  async function loadReport(sweepId: number): Promise<void> {
    try {
      reports.value[sweepId] = await lab.invoke('sweeps:report', { sweepId })
    } catch (e) {
      error.value = errorMessage(e)
    }
  }

  const reloadWatched = debounced(() => {
    for (const id of watched.keys()) void loadDetail(id)
  }, 400)

  const attach = refCounted(() => [
    lab.on('sweep:progress', (p) => {
      const progress = { total: p.total, done: p.done, running: p.running, failed: p.failed }
      const summary = list.value.find((s) => s.id === p.sweepId)
      if (summary) summary.progress = progress
      else void loadList()
      const detail = details.value[p.sweepId]
      if (detail) {
        detail.progress = progress
        if (watched.has(p.sweepId)) reloadWatched()
      }
    }),
    lab.on('run:ended', () => {
      if (watched.size > 0) reloadWatched()
    }),
    lab.onReconnect(() => {
      void loadList()
      reloadWatched()
    }),
    () => reloadWatched.cancel(),
  ])

  /** Keeps one sweep's detail current while a view shows it. */
  function watchSweep(sweepId: number): () => void {
    watched.set(sweepId, (watched.get(sweepId) ?? 0) + 1)
    void loadDetail(sweepId)
    return () => {
      const n = (watched.get(sweepId) ?? 1) - 1
      if (n <= 0) watched.delete(sweepId)
      else watched.set(sweepId, n)
    }
  }

  return { list, details, reports, error, loading, attach, loadList, loadDetail, loadReport, watchSweep }
})

/** Every run of the sweep has completed or failed (`done` counts completed runs only). */
export function isDone(progress: { total: number; done: number; running: number[]; failed: number[] }): boolean {
  return progress.total > 0 && progress.running.length === 0 && progress.done + progress.failed.length >= progress.total
}
