import fs from 'node:fs'
import type { SlurmCollectResult } from '../../shared/api'
import type { RunStatus } from '../../shared/run-types'
import type { RunStore } from '../store/run-store'
import { SweepStore } from '../sweeps/sweep-store'
import { mergeLibrary, openSourceLibrary, type MergeResult } from './merge-library'
import { readSlurmPlan, slurmPaths } from './slurm-plan'
import { readTaskStatus } from './task-status'

/** Runs a collect brings home: finished ones. Interrupted runs stay in their task until it completes them. */
const FINISHED: ReadonlySet<RunStatus> = new Set(['completed', 'failed'])

/** What `sweep-collect` did. */
export type CollectResult = SlurmCollectResult

/**
 * Merges the finished runs of a Slurm sweep's ended tasks into the library, under one sweep record
 * (matched by the plan's UUID). A task still running is not read: its library is being written,
 * perhaps on another machine over a network file system. Idempotent; can run while the array runs.
 */
export function collectSlurmSweep(dst: RunStore, dir: string): CollectResult {
  const plan = readSlurmPlan(dir)
  const sweeps = new SweepStore(dst)
  let sweepId = sweeps.sweepIdByUuid(plan.sweep.uuid)
  if (sweepId === null) sweepId = sweeps.createSweep({ ...plan.sweep, runs: [] })
  const result: CollectResult = { dir, sweepId, tasksRead: 0, tasksWaiting: 0, added: 0, updated: 0, unchanged: 0, runs: plan.runs.length }
  plan.tasks.forEach((_, task) => {
    const state = readTaskStatus(dir, task)?.state
    const file = slurmPaths(dir).taskDb(task)
    if (state === undefined || state === 'running' || !fs.existsSync(file)) {
      result.tasksWaiting += 1
      return
    }
    const src = openSourceLibrary(file, dst)
    let merged: MergeResult
    try {
      merged = mergeLibrary(dst, src, file, FINISHED)
    } finally {
      src.close()
    }
    result.tasksRead += 1
    result.added += merged.added
    result.updated += merged.updated
    result.unchanged += merged.unchanged
  })
  return result
}

/** How many of the plan's runs the library holds (by UUID): the app's "collected" count. */
export function collectedRuns(dst: RunStore, dir: string): number {
  const plan = readSlurmPlan(dir)
  const has = dst.db.prepare('SELECT 1 FROM runs WHERE uuid = ?')
  return plan.runs.filter((r) => has.get(r.uuid) !== undefined).length
}
