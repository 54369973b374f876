import type { LabApi } from '../../shared/api'
import { readSeriesWindow, metricInfo } from '../store/series-query'
import { readTensor, snapshotList } from '../store/snapshot-query'
import type { LabContext } from './service-context'

type RunsApi = Pick<
  LabApi,
  'runs:list' | 'runs:facets' | 'runs:get' | 'runs:update' | 'runs:tag' | 'runs:delete' | 'runs:metrics' | 'runs:series' | 'snapshots:list' | 'snapshots:tensor'
>

/** The library's handlers: query, edit and delete runs, read their series and snapshots. */
export function runsHandlers(ctx: LabContext): RunsApi {
  const { store, emit } = ctx
  const exists = (runId: number) => store.getRun(runId)
  // A queued run of a sweep this lab is training will be picked up by its queue.
  const inRunningSweep = (runId: number) =>
    (store.db.prepare('SELECT sweep_id FROM sweep_runs WHERE run_id = ?').all(runId) as { sweep_id: number }[]).some((r) => ctx.sweeps.has(r.sweep_id))
  return {
    'runs:list': async (query) => {
      // Runs whose worker died since (killed with the app) show as interrupted, not running.
      store.markInterrupted()
      return store.queryRuns(query)
    },
    'runs:facets': async () => store.facets(),
    'runs:get': async ({ runId }) => store.runItem(runId),
    'runs:update': async ({ runId, ...edit }) => {
      store.updateRun(runId, edit)
      emit('runs:changed', { runIds: [runId], change: 'updated' })
      return store.runItem(runId)
    },
    'runs:tag': async ({ runIds, add, remove }) => {
      const updated = store.tagRuns(runIds, add, remove)
      if (updated > 0) emit('runs:changed', { runIds, change: 'updated' })
      return { updated }
    },
    'runs:delete': async ({ runIds }) => {
      store.markInterrupted()
      const deleted = store.deleteRuns(runIds, (id) => {
        const { status } = store.getRun(id)
        return ctx.training.has(id) || status === 'running' || (status === 'queued' && inRunningSweep(id))
      })
      emit('runs:changed', { runIds: [...new Set(runIds)], change: 'deleted' })
      return { deleted }
    },
    'runs:metrics': async ({ runId }) => {
      exists(runId)
      return metricInfo(store.db, runId)
    },
    'runs:series': async ({ runId, ...window }) => {
      exists(runId)
      return readSeriesWindow(store.db, runId, window)
    },
    'snapshots:list': async ({ runId }) => {
      exists(runId)
      return snapshotList(store.db, runId)
    },
    'snapshots:tensor': async ({ runId, step, tensor }) => {
      exists(runId)
      return readTensor(store.db, runId, step, tensor)
    },
  }
}
