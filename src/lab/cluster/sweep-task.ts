import { hostname } from 'node:os'
import { LabError } from '../../shared/lab-error'
import type { TrainingEvent } from '../../shared/run-types'
import { RunStore } from '../store/run-store'
import { runSweep } from '../sweeps/run-sweep'
import { SweepStore } from '../sweeps/sweep-store'
import { readSlurmPlan, slurmPaths, type SlurmPlan } from './slurm-plan'
import { readTaskStatus, writeTaskStatus, type TaskStatusFile } from './task-status'

/** How often a running task rewrites its status file. */
const STATUS_EVERY_MS = 500

/** The array task's index from the command line; LabError unless it names one of the plan's tasks. */
export function taskIndex(plan: SlurmPlan, raw: string): number {
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n >= plan.tasks.length) {
    throw new LabError(`task '${raw}' is not one of this sweep's tasks (0…${plan.tasks.length - 1}); Slurm passes it as $SLURM_ARRAY_TASK_ID`)
  }
  return n
}

/**
 * Trains array task N of the Slurm sweep in DIR into its own library (tasks/task-N.db), resuming
 * from checkpoints when Slurm restarts it. SIGTERM (requeue, preemption, time limit) stops the
 * runs at a checkpoint. On exit the library is left self-contained (no WAL file beside it), so a
 * collector on another machine can read it. Resolves to the exit code: 0 when every run completed.
 */
export async function runSweepTask(dir: string, rawTask: string, opts: { threads?: number } = {}): Promise<number> {
  // A task's library is scratch that sweep-collect merges into the user's (backed up there). A
  // backup child here would only hold the file open past the switch out of WAL below, and die
  // half-done with the job.
  process.env.GROKKING_LAB_BACKUPS = 'off'
  const plan = readSlurmPlan(dir)
  const task = taskIndex(plan, rawTask)
  if (readTaskStatus(dir, task)?.state === 'done') return 0
  const dbPath = slurmPaths(dir).taskDb(task)
  const sweepId = openTaskSweep(dbPath, plan, task)
  const env = process.env
  const status: TaskStatusFile = {
    task,
    state: 'running',
    host: hostname(),
    pid: process.pid,
    jobId: env.SLURM_ARRAY_JOB_ID ? `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}` : (env.SLURM_JOB_ID ?? null),
    restarts: Number(env.SLURM_RESTART_COUNT ?? 0) || 0,
    startedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    runs: [],
  }
  const byId = readRuns(dbPath, sweepId, status)
  const save = () => {
    status.updatedAt = new Date().toISOString()
    writeTaskStatus(dir, status)
  }
  save()
  let lastSave = Date.now()
  const onEvent = (e: TrainingEvent) => {
    const r = byId.get(e.runId)
    if (!r) return
    if (e.type === 'tick' || e.type === 'eval') r.step = e.step
    if (e.type === 'started') Object.assign(r, { status: 'running', fromStep: e.fromStep })
    if (e.type === 'finished') Object.assign(r, { status: e.status, step: e.step })
    if (e.type === 'failed') r.status = 'failed'
    if (e.type === 'finished' || e.type === 'failed' || Date.now() - lastSave > STATUS_EVERY_MS) {
      lastSave = Date.now()
      save()
    }
  }
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  try {
    const threads = opts.threads ?? (Number(env.SLURM_CPUS_PER_TASK) || undefined)
    await runSweep(dbPath, sweepId, { concurrency: 1, batch: plan.tasks[task].length, backend: plan.backend, threads, signal: controller.signal, onEvent })
  } catch (e) {
    status.error = (e as Error).message
  } finally {
    process.off('SIGTERM', stop)
    process.off('SIGINT', stop)
  }
  readRuns(dbPath, sweepId, status, true)
  const statuses = status.runs.map((r) => r.status)
  status.state = statuses.every((s) => s === 'completed') ? 'done' : statuses.includes('failed') || status.error ? 'failed' : 'interrupted'
  save()
  return status.state === 'done' ? 0 : 1
}

/** Opens (creating on the first start) the task's library with its part of the sweep; returns the sweep's id there. */
function openTaskSweep(dbPath: string, plan: SlurmPlan, task: number): number {
  const store = RunStore.open(dbPath)
  try {
    const sweeps = new SweepStore(store)
    const existing = sweeps.sweepIdByUuid(plan.sweep.uuid)
    if (existing !== null) return existing
    const { uuid, name, preset, baseConfig, axes, seeds, appVersion } = plan.sweep
    const runs = plan.tasks[task].map((i) => plan.runs[i])
    return sweeps.createSweep({ uuid, name, preset, baseConfig, axes, seeds, appVersion, runs })
  } finally {
    store.close()
  }
}

/**
 * Reads the task's runs into its status. `close` also folds the write-ahead log into the file
 * (journal_mode DELETE), so the library is one self-contained file when the task ends.
 */
function readRuns(dbPath: string, sweepId: number, status: TaskStatusFile, close = false): Map<number, TaskStatusFile['runs'][number]> {
  const store = RunStore.open(dbPath)
  try {
    const byId = new Map<number, TaskStatusFile['runs'][number]>()
    status.runs = new SweepStore(store).sweepRuns(sweepId).map(({ run }) => {
      const uuid = store.runUuid(run.id)
      const fromStep = status.runs.find((r) => r.uuid === uuid)?.fromStep ?? 0
      const r = { uuid, status: run.status, step: run.stepsDone, totalSteps: run.totalSteps, fromStep }
      byId.set(run.id, r)
      return r
    })
    if (close) store.db.pragma('journal_mode = DELETE')
    return byId
  } finally {
    store.close()
  }
}
