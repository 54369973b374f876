import type { LabApi } from '../../shared/api'
import type { BackendName } from '../../shared/backend'
import { LabError } from '../../shared/lab-error'
import { assertFitsInMemory } from '../../shared/memory-estimate'
import { APP_VERSION } from '../app-version'
import { normalizeTags } from '../store/run-edit'
import { assertResumable } from '../worker/resumable'
import { INTERACTIVE_WORKER_NICENESS, startTraining } from '../worker/training-host'
import { requestConfig } from './request-config'
import type { LabContext } from './service-context'

type TrainingApi = Pick<LabApi, 'training:start' | 'training:cancel' | 'training:resume' | 'training:active'>

/** Starting, cancelling and resuming runs; every run trains in its own worker process, never here. */
export function trainingHandlers(ctx: LabContext): TrainingApi {
  const { store, emit, training } = ctx
  const launch = (runId: number, backend: BackendName | 'auto', resume: boolean) => {
    emit('run:created', { run: store.getRun(runId) })
    const handle = startTraining({ dbPath: ctx.dbPath, runId, backend, resume }, training.onEvent, { niceness: INTERACTIVE_WORKER_NICENESS })
    training.attach(handle, [runId], null)
  }
  return {
    'training:start': async (request) => {
      const config = requestConfig(request.preset, request.config)
      assertFitsInMemory(config)
      const runId = store.createRun({
        name: request.name ?? request.preset ?? 'custom',
        preset: request.preset ?? null,
        config,
        appVersion: APP_VERSION,
        tags: normalizeTags(request.tags),
      })
      launch(runId, request.backend, false)
      return { runId }
    },
    'training:cancel': async ({ runId }) => {
      if (!training.cancel(runId)) {
        const run = store.getRun(runId)
        throw new LabError(`run ${runId} is not training in this lab (it is ${run.status}); only runs started here can be cancelled here`)
      }
      return { runId }
    },
    'training:resume': async ({ runId, backend }) => {
      if (training.has(runId)) throw new LabError(`run ${runId} is training right now; it cannot be resumed twice`)
      store.markInterrupted()
      const run = store.getRun(runId)
      assertResumable(run)
      assertFitsInMemory(run.config)
      // As `grokking-lab resume`: unless a backend is named, continue on the one the run trained on.
      launch(runId, backend === 'auto' ? ((run.backend as BackendName | null) ?? 'auto') : backend, true)
      return { runId }
    },
    'training:active': async () => training.active(),
  }
}
