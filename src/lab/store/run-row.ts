import type { RunRecord, RunStatus, RunSummary } from '../../shared/run-types'

/** A row of `runs` as SQLite returns it. */
export interface RunRow {
  id: number
  name: string
  preset: string | null
  status: RunStatus
  config_json: string
  backend: string | null
  engine: string | null
  app_version: string
  tags_json: string
  notes: string
  total_steps: number
  steps_done: number
  ms_per_step: number | null
  wall_seconds: number
  error: string | null
  worker_pid: number | null
  created_at: string
  started_at: string | null
  finished_at: string | null
  /** The run's identity across libraries (schema 7 on; every run has one). */
  uuid: string
}

/** A row of `run_summary` as SQLite returns it. */
export interface SummaryRow {
  step: number
  train_loss: number | null
  test_loss: number | null
  train_acc: number | null
  test_acc: number | null
  min_train_margin: number | null
  param_norm: number | null
  t_mem: number | null
  t_gen: number | null
}

/** The run as front ends see it. */
export function toRecord(r: RunRow): RunRecord {
  return {
    id: r.id,
    name: r.name,
    preset: r.preset,
    status: r.status,
    config: JSON.parse(r.config_json),
    backend: r.backend,
    engine: r.engine ?? null,
    appVersion: r.app_version,
    tags: JSON.parse(r.tags_json),
    notes: r.notes,
    totalSteps: r.total_steps,
    stepsDone: r.steps_done,
    msPerStep: r.ms_per_step,
    wallSeconds: r.wall_seconds,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  }
}

/** The summary as front ends see it. */
export function toSummary(r: SummaryRow): RunSummary {
  return {
    step: r.step,
    trainLoss: r.train_loss,
    testLoss: r.test_loss,
    trainAcc: r.train_acc,
    testAcc: r.test_acc,
    minTrainMargin: r.min_train_margin,
    paramNorm: r.param_norm,
    tMem: r.t_mem,
    tGen: r.t_gen,
  }
}
