import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { LabError } from '../../shared/lab-error'
import type { BackendName } from '../../shared/backend'
import type { RunConfig } from '../../shared/run-config'
import { defaultBatch, planUnits } from '../sweeps/batch-plan'
import type { GridAxis } from '../sweeps/sweep-grid'
import type { NewSweep } from '../sweeps/sweep-store'

/** The plan file's format version: a task refuses a plan it does not know. */
export const PLAN_VERSION = 1

/** A Slurm sweep as written into its folder: the sweep, every run with its UUID, and the batch of each array task. */
export interface SlurmPlan {
  version: number
  sweep: { uuid: string; name: string; preset: string | null; baseConfig: RunConfig; axes: GridAxis[]; seeds: number; appVersion: string }
  runs: { uuid: string; name: string; config: RunConfig; point: Record<string, unknown> }[]
  /** tasks[N]: indices into runs that array task N trains as one unit (one batch, or one run). */
  tasks: number[][]
  backend: BackendName | 'auto'
  createdAt: string
}

/** Where things live inside a Slurm sweep's folder. */
export const slurmPaths = (dir: string) => ({
  plan: path.join(dir, 'plan.json'),
  script: path.join(dir, 'sweep.sbatch'),
  submitted: path.join(dir, 'submitted.json'),
  logs: path.join(dir, 'logs'),
  tasks: path.join(dir, 'tasks'),
  taskDb: (n: number) => path.join(dir, 'tasks', `task-${n}.db`),
  taskStatus: (n: number) => path.join(dir, 'tasks', `task-${n}.status.json`),
})

/**
 * The plan of a sweep's runs as array tasks: the units local sweeps train (planUnits, with the same
 * default batch for `concurrency` workers), each becoming one task. UUIDs are fixed here so every
 * task, and every later collect, names the same runs.
 */
export function planSlurmSweep(sweep: Omit<NewSweep, 'uuid'>, opts: { batch?: number; concurrency: number; backend: BackendName | 'auto' }): SlurmPlan {
  const pending = sweep.runs.map((r, i) => ({ id: i, config: r.config, fromStep: null }))
  const units = planUnits(pending, opts.batch ?? defaultBatch(pending.length, opts.concurrency))
  return {
    version: PLAN_VERSION,
    sweep: { uuid: randomUUID(), name: sweep.name, preset: sweep.preset, baseConfig: sweep.baseConfig, axes: sweep.axes, seeds: sweep.seeds, appVersion: sweep.appVersion },
    // Named as createSweep names a local sweep's runs, so collected runs read the same.
    runs: sweep.runs.map((r, i) => ({ uuid: randomUUID(), name: `${sweep.name} #${i + 1}`, config: r.config, point: r.point })),
    tasks: units.map((u) => u.ids),
    backend: opts.backend,
    createdAt: new Date().toISOString(),
  }
}

/** Creates DIR (refusing one that already holds a plan) and writes the plan into it. */
export function writeSlurmPlan(dir: string, plan: SlurmPlan): void {
  const p = slurmPaths(dir)
  if (fs.existsSync(p.plan)) {
    throw new LabError(`${dir} already holds a Slurm sweep; pick a new folder, or run 'sbatch ${p.script}' again to continue that one`)
  }
  try {
    fs.mkdirSync(p.tasks, { recursive: true })
    fs.mkdirSync(p.logs, { recursive: true })
  } catch (e) {
    throw new LabError(`cannot create the Slurm sweep folder ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass a writable --slurm DIR`)
  }
  writeFileAtomic(p.plan, JSON.stringify(plan, null, 1))
}

/** Reads DIR's plan; throws LabError when DIR holds none or it is not one this lab reads. */
export function readSlurmPlan(dir: string): SlurmPlan {
  const file = slurmPaths(dir).plan
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    throw new LabError(`${dir} holds no Slurm sweep (no plan.json); 'grokking-lab sweep … --slurm DIR' writes one`)
  }
  let plan: SlurmPlan
  try {
    plan = JSON.parse(text)
  } catch {
    throw new LabError(`${file} is not valid JSON; it was damaged after 'sweep --slurm' wrote it`)
  }
  if (plan?.version !== PLAN_VERSION || !Array.isArray(plan.tasks) || !Array.isArray(plan.runs) || !plan.sweep?.uuid) {
    throw new LabError(`${file} is not a Slurm sweep plan this lab reads (version ${String(plan?.version)}, expected ${PLAN_VERSION})`)
  }
  return plan
}

/** Writes a file by renaming a finished temporary one over it, so a reader never sees half of it. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, text)
  fs.renameSync(tmp, file)
}
