import type { BackendName } from '../../shared/backend'
import { assertFitsInMemory } from '../../shared/memory-estimate'
import type { TrainingEvent } from '../../shared/run-types'
import { RunStore } from '../store/run-store'
import { startTraining, type TrainingHandle } from '../worker/training-host'
import { cpus } from 'node:os'
import { defaultBatch, planUnits, type SweepUnit } from './batch-plan'
import { SweepStore } from './sweep-store'

export interface SweepProgress {
  done: number
  total: number
  running: number[]
  failed: number[]
  /** Why the sweep stopped before its end, when the machine stopped a run (a full disk): that run's one line. */
  interrupted?: string
}

/** Statuses a sweep (re)starts: never started, or stopped without finishing. */
const PENDING = new Set(['queued', 'interrupted', 'cancelled'])

export interface SweepOptions {
  concurrency: number
  backend: BackendName | 'auto'
  /** Most runs one worker trains as a batch (the fast path's batched runs); 1 = one run per worker; default: defaultBatch. */
  batch?: number
  onEvent?: (e: TrainingEvent) => void
  onProgress?: (p: SweepProgress) => void
  /** Each worker as it starts, with the runs it trains (so a host can cancel them one by one). */
  onWorker?: (handle: TrainingHandle, runIds: number[]) => void
  /** Stops launching workers and cancels the running ones (they checkpoint); a host passing it handles SIGINT itself. */
  signal?: AbortSignal
  /** Compute threads per worker; default: the machine's cores split over `concurrency` (a Slurm task passes its allocation). */
  threads?: number
  /** How much the workers yield to others (a sweep started from the window passes INTERACTIVE_WORKER_NICENESS). */
  niceness?: number
}

/**
 * Trains every unfinished run of a sweep, at most `concurrency` worker processes at a time, runs
 * of one shape batched up to `batch` per worker. Interrupted or cancelled runs continue from their
 * checkpoints, so killing the sweep (or the machine) and calling this again picks up where it
 * stopped. Resolves when nothing is pending.
 */
export async function runSweep(dbPath: string, sweepId: number, opts: SweepOptions): Promise<SweepProgress> {
  const store = RunStore.open(dbPath)
  let units: SweepUnit[]
  let total: number
  let pendingCount: number
  try {
    const runs = new SweepStore(store).sweepRuns(sweepId)
    total = runs.length
    const pending = runs
      .filter((r) => PENDING.has(r.run.status))
      .map((r) => ({ id: r.run.id, config: r.run.config, fromStep: r.run.status === 'queued' ? null : store.checkpointStep(r.run.id) }))
    pendingCount = pending.length
    // Here and not at planning: a resumed sweep or a Slurm task may train on another machine than planned it.
    assertFitsInMemory(pending.map((r) => r.config))
    units = planUnits(pending, opts.batch ?? defaultBatch(pending.length, opts.concurrency))
  } finally {
    store.close()
  }
  const progress: SweepProgress = { done: total - pendingCount, total, running: [], failed: [] }
  const threads = opts.threads ?? Math.max(1, Math.floor(cpus().length / opts.concurrency))
  const active = new Set<TrainingHandle>()
  let stopping = opts.signal?.aborted ?? false
  const onSigint = () => {
    stopping = true
    active.forEach((h) => h.cancel())
  }
  if (opts.signal) opts.signal.addEventListener('abort', onSigint)
  else process.on('SIGINT', onSigint)
  try {
    await new Promise<void>((resolve) => {
      const launch = () => {
        while (!stopping && active.size < opts.concurrency && units.length > 0) {
          const unit = units.shift()!
          const onEvent = (e: TrainingEvent) => {
            if (e.type === 'failed' && e.interrupted) {
              // A full disk stops every run alike: start no more, let the running ones checkpoint,
              // and leave the rest queued for --resume once there is space.
              progress.interrupted ??= e.message
              stopping = true
              active.forEach((h) => h.cancel())
            } else if (e.type === 'failed') progress.failed.push(e.runId)
            if (e.type === 'finished' && e.status === 'completed') progress.done += 1
            if (e.type === 'failed' || e.type === 'finished') {
              progress.running = progress.running.filter((id) => id !== e.runId)
              opts.onProgress?.(progress)
            }
            opts.onEvent?.(e)
          }
          const job = unit.ids.length === 1 ? { dbPath, runId: unit.ids[0], backend: opts.backend, resume: unit.resume } : { dbPath, runIds: unit.ids, backend: opts.backend, resume: unit.resume }
          const handle = startTraining(job, onEvent, { threads, niceness: opts.niceness })
          opts.onWorker?.(handle, unit.ids)
          active.add(handle)
          progress.running.push(...unit.ids)
          opts.onProgress?.(progress)
          handle.done.then(() => {
            active.delete(handle)
            progress.running = progress.running.filter((id) => !unit.ids.includes(id))
            opts.onProgress?.(progress)
            launch()
          })
        }
        if (active.size === 0) resolve()
      }
      launch()
    })
  } finally {
    process.off('SIGINT', onSigint)
    opts.signal?.removeEventListener('abort', onSigint)
  }
  return progress
}
