import type { BackendName } from '../../shared/backend'
import type { TrainingEvent } from '../../shared/run-types'
import { RunStore } from '../store/run-store'
import { startTraining, type TrainingHandle } from '../worker/training-host'
import { SweepStore } from './sweep-store'

export interface SweepProgress {
  done: number
  total: number
  running: number[]
  failed: number[]
}

/** Statuses a sweep (re)starts: never started, or stopped without finishing. */
const PENDING = new Set(['queued', 'interrupted', 'cancelled'])

/**
 * Trains every unfinished run of a sweep, at most `concurrency` worker processes at a time.
 * Interrupted or cancelled runs continue from their checkpoints, so killing the sweep (or the
 * machine) and calling this again picks up where it stopped. Resolves when nothing is pending.
 */
export async function runSweep(
  dbPath: string,
  sweepId: number,
  opts: { concurrency: number; backend: BackendName | 'auto'; onEvent?: (e: TrainingEvent) => void; onProgress?: (p: SweepProgress) => void },
): Promise<SweepProgress> {
  const store = RunStore.open(dbPath)
  let pending: { id: number; resume: boolean }[]
  let total: number
  try {
    const runs = new SweepStore(store).sweepRuns(sweepId)
    total = runs.length
    pending = runs.filter((r) => PENDING.has(r.run.status)).map((r) => ({ id: r.run.id, resume: r.run.status !== 'queued' }))
  } finally {
    store.close()
  }
  const progress: SweepProgress = { done: total - pending.length, total, running: [], failed: [] }
  const active = new Set<TrainingHandle>()
  let stopping = false
  const onSigint = () => {
    stopping = true
    active.forEach((h) => h.cancel())
  }
  process.on('SIGINT', onSigint)
  try {
    await new Promise<void>((resolve) => {
      const launch = () => {
        while (!stopping && active.size < opts.concurrency && pending.length > 0) {
          const next = pending.shift()!
          let failed = false
          const handle = startTraining({ dbPath, runId: next.id, backend: opts.backend, resume: next.resume }, (e) => {
            if (e.type === 'failed') failed = true
            opts.onEvent?.(e)
          })
          active.add(handle)
          progress.running.push(next.id)
          opts.onProgress?.(progress)
          handle.done.then(({ last }) => {
            active.delete(handle)
            progress.running = progress.running.filter((id) => id !== next.id)
            if (failed) progress.failed.push(next.id)
            else if (last?.type === 'finished' && last.status === 'completed') progress.done += 1
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
  }
  return progress
}
