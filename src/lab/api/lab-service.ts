import type { LabApi, LabEvents, RunListItem } from '../../shared/api'
import { LabError } from '../../shared/lab-error'
import { parseRunConfig } from '../../shared/run-config'
import type { TrainingEvent } from '../../shared/run-types'
import type { BackendName } from '../../shared/backend'
import { APP_VERSION } from '../app-version'
import { probeBackends } from '../backends/select-backend'
import { getPreset, PRESETS } from '../presets'
import { RunStore } from '../store/run-store'
import { startTraining, type TrainingHandle } from '../worker/training-host'

type Emit = <E extends keyof LabEvents>(event: E, payload: LabEvents[E]) => void

/**
 * The lab behind the typed API: the Electron main process and the browser-mode server both serve
 * this object. Reads go to the library (WAL: safe while a worker writes); training goes to worker
 * processes whose events are forwarded through `emit`.
 */
export function createLabService(dbPath: string, emit: Emit): LabApi & { close(): void } {
  const store = RunStore.open(dbPath)
  const workers = new Map<number, TrainingHandle>()
  const item = (runId: number): RunListItem => ({ run: store.getRun(runId), summary: store.summary(runId) ?? null })

  return {
    'app:info': async () => ({ version: APP_VERSION, dbPath }),
    'presets:list': async () => PRESETS.map((p) => ({ name: p.name, description: p.description, config: parseRunConfig(p.config) })),
    'backends:list': async () => probeBackends(),
    'runs:list': async () => {
      store.markInterrupted()
      return store.listRuns().map((r) => item(r.id))
    },
    'runs:get': async (runId) => item(runId),
    'runs:series': async (runId, names) => store.readSeries(runId, names),
    'runs:snapshot-steps': async (runId) => store.snapshotSteps(runId),
    'runs:snapshot': async (runId, step) =>
      store.readSnapshot(runId, step).map((t) => ({ name: t.name, shape: t.shape, values: Array.from(t.data) })),
    'runs:delete': async (runId) => {
      if (workers.has(runId)) throw new LabError(`run ${runId} is training; cancel it before deleting it`)
      store.deleteRun(runId)
    },
    'training:start': async (request) => {
      const base = request.preset ? getPreset(request.preset).config : {}
      const config = parseRunConfig({ ...base, ...request.config })
      const runId = store.createRun({
        name: request.name ?? request.preset ?? 'custom',
        preset: request.preset ?? null,
        config,
        appVersion: APP_VERSION,
      })
      const handle = startTraining({ dbPath, runId, backend: (request.backend ?? 'auto') as BackendName | 'auto', resume: false }, (e: TrainingEvent) =>
        emit('training:event', e),
      )
      workers.set(runId, handle)
      handle.done.then(() => workers.delete(runId))
      return { runId }
    },
    'training:cancel': async (runId) => {
      const handle = workers.get(runId)
      if (!handle) throw new LabError(`run ${runId} is not training in this session`)
      handle.cancel()
    },
    close() {
      for (const handle of workers.values()) handle.cancel()
      store.close()
    },
  }
}
