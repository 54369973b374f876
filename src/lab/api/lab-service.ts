import type { LabApi } from '../../shared/api'
import { RunStore } from '../store/run-store'
import { analysisHandlers } from './analysis-handlers'
import { exportHandlers } from './export-handlers'
import { infoHandlers } from './info-handlers'
import { runsHandlers } from './runs-handlers'
import type { LabContext, LabEmit, LabServiceOptions } from './service-context'
import { sweepHandlers } from './sweep-handlers'
import { trainingHandlers } from './training-handlers'
import { TrainingRegistry } from './training-registry'

export type { LabEmit, LabServiceOptions } from './service-context'

/** The lab behind the typed API, with a way to stop it. */
export type LabService = LabApi & {
  /** Cancels the workers (they checkpoint), waits a little for them to exit, and closes the library. */
  close(): Promise<void>
}

/** How long close() waits for workers to checkpoint before closing anyway (they finish on their own). */
const STOP_TIMEOUT_MS = 15_000

/**
 * The lab behind the typed API: the Electron main process and the browser-mode server both serve
 * this object, one handler per channel of API_CONTRACT, each taking an already validated request
 * (see dispatch.ts). Reads go to the library (WAL: safe while workers write); training goes to
 * worker processes whose events reach every page through `emit`.
 */
export function createLabService(options: LabServiceOptions, emit: LabEmit): LabService {
  const store = RunStore.open(options.dbPath)
  const ctx: LabContext = { ...options, store, emit, training: new TrainingRegistry(store, emit), sweeps: new Map() }
  const api: LabApi = {
    ...infoHandlers(ctx),
    ...runsHandlers(ctx),
    ...analysisHandlers(ctx),
    ...trainingHandlers(ctx),
    ...sweepHandlers(ctx),
    // Export builds its figures through the same (validated) channels the page reads.
    ...exportHandlers(ctx, () => api),
  }
  let closing: Promise<void> | undefined
  return {
    ...api,
    close: () =>
      (closing ??= (async () => {
        for (const controller of ctx.sweeps.values()) controller.abort()
        await ctx.training.stopAll(STOP_TIMEOUT_MS)
        store.close()
      })()),
  }
}
