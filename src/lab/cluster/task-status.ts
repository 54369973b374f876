import fs from 'node:fs'
import { readSlurmPlan, slurmPaths, writeFileAtomic } from './slurm-plan'

import type { SlurmSweepInfo, SlurmTaskInfo, SlurmTaskState } from '../../shared/api'

export type TaskState = SlurmTaskState
/** One task as the app and `sweep-status` see it. */
export type TaskView = SlurmTaskInfo
/** A Slurm sweep's progress, read from its folder alone (the plan and the tasks' status files). */
export type SlurmSweepStatus = Omit<SlurmSweepInfo, 'collected' | 'sweepId'>

/** What an array task writes beside its library as it goes (tasks/task-N.status.json). */
export interface TaskStatusFile {
  task: number
  state: Exclude<TaskState, 'pending'>
  host: string
  pid: number
  jobId: string | null
  /** How often Slurm has restarted this task (requeue, preemption). */
  restarts: number
  startedAt: string
  updatedAt: string
  /** fromStep: the checkpoint step the run (re)started from in this attempt (0: from the start). */
  runs: { uuid: string; status: string; step: number; totalSteps: number; fromStep: number }[]
  error?: string
}

/** Writes a task's status file (atomically: the app may read it at any moment). */
export function writeTaskStatus(dir: string, status: TaskStatusFile): void {
  writeFileAtomic(slurmPaths(dir).taskStatus(status.task), JSON.stringify(status))
}

/** The task's status file, or null when it has not started (or the file is unreadable mid-copy). */
export function readTaskStatus(dir: string, task: number): TaskStatusFile | null {
  try {
    return JSON.parse(fs.readFileSync(slurmPaths(dir).taskStatus(task), 'utf8'))
  } catch {
    return null
  }
}

/** The array job's id as `sweep --slurm` recorded it when it submitted, else null. */
export function submittedJobId(dir: string): string | null {
  try {
    return String(JSON.parse(fs.readFileSync(slurmPaths(dir).submitted, 'utf8')).jobId)
  } catch {
    return null
  }
}

/** Every task of the sweep in DIR with its state and steps; throws LabError when DIR holds no Slurm sweep. */
export function slurmSweepStatus(dir: string): SlurmSweepStatus {
  const plan = readSlurmPlan(dir)
  const tasks = plan.tasks.map((ids, task): TaskView => {
    const s = readTaskStatus(dir, task)
    const totalSteps = ids.reduce((n, i) => n + plan.runs[i].config.steps, 0)
    if (!s) return { task, state: 'pending', runs: ids.length, step: 0, totalSteps, host: null, jobId: null, restarts: 0, updatedAt: null, error: null }
    return {
      task,
      state: s.state,
      runs: ids.length,
      step: s.runs.reduce((n, r) => n + r.step, 0),
      totalSteps,
      host: s.host,
      jobId: s.jobId,
      restarts: s.restarts,
      updatedAt: s.updatedAt,
      error: s.error ?? null,
    }
  })
  const counts: Record<TaskState, number> = { pending: 0, running: 0, done: 0, failed: 0, interrupted: 0 }
  for (const t of tasks) counts[t.state] += 1
  return { dir, name: plan.sweep.name, sweepUuid: plan.sweep.uuid, jobId: submittedJobId(dir), runs: plan.runs.length, tasks, counts }
}
