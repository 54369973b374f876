import type { RunConfig } from '../../shared/run-config'
import { batchShapeKey, hasFastPath } from '../fast/engine-choice'

/** Most runs per batch: 8 small runs share a step's fixed costs well. */
const DEFAULT_BATCH = 8

/**
 * Runs per batch when the caller does not say: up to DEFAULT_BATCH, but fewer so that the runs
 * spread over `concurrency` workers (8 runs on 2 workers: two batches of 4, not one of 8 and an idle
 * worker). It counts every pending run, so runs of several shapes may still leave a worker idle.
 */
export function defaultBatch(pending: number, concurrency: number): number {
  return Math.max(1, Math.min(DEFAULT_BATCH, Math.ceil(pending / concurrency)))
}

/** A unit of a sweep's queue: one worker trains these runs, as a batch when there are several. */
export interface SweepUnit {
  ids: number[]
  resume: boolean
}

export interface PendingRun {
  id: number
  config: RunConfig
  /** The step its checkpoint holds (resumed runs), or null for a fresh run. */
  fromStep: number | null
}

/** Whether runs of this config can train batched (a model with a fast path). */
export function batchable(c: RunConfig): boolean {
  return c.task === 'modular' && hasFastPath(c.model) && c.fast_path === 'auto'
}

/**
 * Groups a sweep's pending runs into units of at most `maxBatch` runs that share everything but
 * per-member values (seed, λ, α, optimizer settings) and start from the same step, in queue order.
 */
export function planUnits(pending: PendingRun[], maxBatch: number): SweepUnit[] {
  const groups = new Map<string, PendingRun[]>()
  const units: SweepUnit[] = []
  for (const r of pending) {
    if (maxBatch <= 1 || !batchable(r.config)) {
      units.push({ ids: [r.id], resume: r.fromStep !== null })
      continue
    }
    const key = JSON.stringify([batchShapeKey(r.config), r.fromStep])
    const group = groups.get(key) ?? []
    groups.set(key, group)
    group.push(r)
    if (group.length === maxBatch) {
      units.push({ ids: group.map((g) => g.id), resume: r.fromStep !== null })
      groups.delete(key)
    }
  }
  for (const group of groups.values()) units.push({ ids: group.map((g) => g.id), resume: group[0].fromStep !== null })
  return units
}
