import type { LabApi, LabParsedRequest, SweepSummary } from '../../shared/api'
import path from 'node:path'
import { LabError } from '../../shared/lab-error'
import { assertFitsInMemory } from '../../shared/memory-estimate'
import { APP_VERSION } from '../app-version'
import { defaultSweepName, planSweepRuns } from '../sweeps/sweep-plan'
import { sweepReport } from '../sweeps/sweep-report'
import { SweepStore, sweepProgress, type SweepRecord, type SweepRun } from '../sweeps/sweep-store'
import { INTERACTIVE_WORKER_NICENESS } from '../worker/training-host'
import { requestConfig } from './request-config'
import type { LabContext } from './service-context'

/** More runs than one request should create in one go (and a page list at once). */
const MAX_SWEEP_RUNS = 10_000

type SweepApi = Pick<LabApi, 'sweeps:start' | 'sweeps:list' | 'sweeps:get' | 'sweeps:report' | 'sweeps:slurm-status' | 'sweeps:slurm-collect'>

/** Sweeps: created as the CLI's `sweep` creates them, trained in the background by runSweep's worker queue. */
export function sweepHandlers(ctx: LabContext): SweepApi {
  const { store, emit } = ctx
  const sweeps = new SweepStore(store)
  return {
    'sweeps:start': async (request) => {
      const count = request.grid.reduce((n, axis) => n * axis.values.length, request.seeds)
      if (count > MAX_SWEEP_RUNS) throw new LabError(`that sweep has ${count} runs; at most ${MAX_SWEEP_RUNS} start at once, so split the grid`)
      const base = requestConfig(request.preset, request.config)
      const preset = request.preset ?? null
      const runs = planSweepRuns(base, request.grid, request.seeds)
      assertFitsInMemory(runs.map((r) => r.config))
      const sweepId = sweeps.createSweep({
        name: request.name ?? defaultSweepName(preset, request.grid),
        preset,
        baseConfig: base,
        axes: request.grid,
        seeds: request.seeds,
        appVersion: APP_VERSION,
        runs,
      })
      const created = sweeps.sweepRuns(sweepId)
      for (const r of created) emit('run:created', { run: r.run })
      trainInBackground(ctx, sweepId, request)
      return { sweepId, runIds: created.map((r) => r.run.id) }
    },
    'sweeps:list': async () => sweeps.listSweeps().map((s) => summary(s, sweeps.sweepRuns(s.id))),
    'sweeps:get': async ({ sweepId }) => {
      const sweep = sweeps.getSweep(sweepId)
      const runs = sweeps.sweepRuns(sweepId)
      return { ...summary(sweep, runs), baseConfig: sweep.baseConfig, runs: runs.map((r) => ({ runId: r.run.id, status: r.run.status, point: r.point })) }
    },
    'sweeps:report': async ({ sweepId }) => sweepReport(store, sweepId),
    // A Slurm sweep's folder is read as it is: its tasks write their status files there as they train.
    'sweeps:slurm-status': async ({ dir }) => {
      // Loaded on first use, like run-sweep below: the cluster modules reach the batch planner and tfjs.
      const [{ slurmSweepStatus }, { collectedRuns }] = await Promise.all([import('../cluster/task-status'), import('../cluster/collect')])
      const status = slurmSweepStatus(path.resolve(dir))
      return { ...status, collected: collectedRuns(store, status.dir), sweepId: sweeps.sweepIdByUuid(status.sweepUuid) }
    },
    'sweeps:slurm-collect': async ({ dir }) => {
      const { collectSlurmSweep } = await import('../cluster/collect')
      const result = collectSlurmSweep(store, path.resolve(dir))
      const runIds = sweeps.sweepRuns(result.sweepId).map((r) => r.run.id)
      if (result.added + result.updated > 0) emit('runs:changed', { runIds, change: 'updated' })
      return result
    },
  }
}

/** Runs the sweep's worker queue without holding up the request; close() aborts it (workers checkpoint). */
function trainInBackground(ctx: LabContext, sweepId: number, request: LabParsedRequest<'sweeps:start'>): void {
  const { emit, training } = ctx
  const controller = new AbortController()
  ctx.sweeps.set(sweepId, controller)
  // Loaded on first use: the queue's batch planning pulls in tfjs, which serving pages never needs.
  import('../sweeps/run-sweep')
    .then(({ runSweep }) =>
      runSweep(ctx.dbPath, sweepId, {
        concurrency: request.concurrency,
        backend: request.backend,
        signal: controller.signal,
        onEvent: training.onEvent,
        niceness: INTERACTIVE_WORKER_NICENESS,
        onWorker: (handle, runIds) => training.attach(handle, runIds, sweepId),
        onProgress: (p) => emit('sweep:progress', { sweepId, total: p.total, done: p.done, running: [...p.running], failed: [...p.failed] }),
      }),
    )
    .catch((e) => console.error(`[lab] sweep ${sweepId} stopped:`, e))
    .finally(() => ctx.sweeps.delete(sweepId))
}

function summary(s: SweepRecord, runs: SweepRun[]): SweepSummary {
  return { id: s.id, name: s.name, preset: s.preset, axes: s.axes, seeds: s.seeds, createdAt: s.createdAt, ...sweepProgress(s, runs) }
}
