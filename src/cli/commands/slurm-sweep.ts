import fs from 'node:fs'
import path from 'node:path'
import { LabError } from '../../shared/lab-error'
import type { BackendName } from '../../shared/backend'
import { APP_VERSION } from '../../lab/app-version'
import { planSlurmSweep, slurmPaths, writeFileAtomic, writeSlurmPlan } from '../../lab/cluster/slurm-plan'
import { findOnPath, sbatchScript, shellQuote, submitScript, thisLabCommand } from '../../lab/cluster/sbatch-script'
import { parseGridAxis } from '../../lab/sweeps/sweep-grid'
import { defaultSweepName, planSweepRuns } from '../../lab/sweeps/sweep-plan'
import { resolveConfig, type ConfigSource } from '../resolve-config'
import { positiveInt } from '../int-option'

/** The sweep command's options that a Slurm sweep reads. */
export interface SlurmSweepOptions extends ConfigSource {
  slurm?: string
  grid?: string[]
  seeds?: string
  concurrency?: string
  batch?: string
  resume?: string
  name?: string
  backend: string
  json?: boolean
  partition?: string
  time?: string
  gpusPerTask?: string
  cpusPerTask?: string
  arrayParallelism?: string
  sbatchArg?: string[]
  labCommand?: string
  submit?: boolean
}

/** The pass-through options, which mean nothing without --slurm. */
const PASS_THROUGH = ['partition', 'time', 'gpusPerTask', 'cpusPerTask', 'arrayParallelism', 'sbatchArg', 'labCommand'] as const
const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

/** Refuses Slurm's pass-through options on a local sweep (they would be ignored silently). */
export function checkLocalSweepOptions(options: SlurmSweepOptions): void {
  const given = PASS_THROUGH.filter((k) => options[k] !== undefined)
  if (given.length > 0) throw new LabError(`${given.map(flag).join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only to a Slurm sweep; add --slurm DIR`)
}

/**
 * `grokking-lab sweep … --slurm DIR`: plans the sweep into DIR (runs, seeds, and the batches a
 * local sweep would train, one array task each), writes DIR/sweep.sbatch, and submits it when
 * sbatch is on the PATH. Returns the exit code.
 */
export function slurmSweepCommand(options: SlurmSweepOptions): number {
  const dir = path.resolve(options.slurm!)
  if (options.resume !== undefined) {
    throw new LabError(`--resume continues a local sweep; a Slurm sweep continues when you run 'sbatch ${slurmPaths(dir).script}' again (finished tasks end at once)`)
  }
  if (!options.grid?.length) throw new LabError('give at least one --grid key=v1,v2,…')
  const { config: base, preset } = resolveConfig(options)
  const axes = options.grid.map(parseGridAxis)
  const seeds = positiveInt('seeds', options.seeds) ?? 1
  const runs = planSweepRuns(base, axes, seeds)
  const name = options.name ?? defaultSweepName(preset, axes)
  const plan = planSlurmSweep(
    { name, preset, baseConfig: base, axes, seeds, appVersion: APP_VERSION, runs },
    { batch: positiveInt('batch', options.batch), concurrency: positiveInt('concurrency', options.concurrency) ?? 1, backend: options.backend as BackendName | 'auto' },
  )
  const script = sbatchScript(dir, {
    tasks: plan.tasks.length,
    jobName: `lab-${name}`,
    partition: options.partition,
    time: options.time,
    gpusPerTask: options.gpusPerTask,
    cpusPerTask: options.cpusPerTask === undefined ? undefined : String(positiveInt('cpus-per-task', options.cpusPerTask)),
    arrayParallelism: positiveInt('array-parallelism', options.arrayParallelism),
    sbatchArgs: options.sbatchArg,
    labCommand: options.labCommand ?? thisLabCommand(),
  })
  writeSlurmPlan(dir, plan)
  const paths = slurmPaths(dir)
  fs.writeFileSync(paths.script, script, { mode: 0o755 })
  const sbatch = options.submit === false ? null : findOnPath('sbatch')
  const jobId = sbatch ? submitScript(sbatch, paths.script) : null
  if (jobId) writeFileAtomic(paths.submitted, JSON.stringify({ jobId, submittedAt: new Date().toISOString() }))
  const summary = `sweep "${name}": ${runs.length} runs as ${plan.tasks.length} array tasks, planned in ${dir}`
  if (options.json) console.log(JSON.stringify({ dir, script: paths.script, runs: runs.length, tasks: plan.tasks.length, jobId }))
  else if (jobId) {
    console.log(`${summary}\nsubmitted job array ${jobId}; follow it with 'squeue -j ${jobId}', then bring the runs home with:\n  grokking-lab sweep-collect ${shellQuote(dir)}`)
  } else {
    const why = options.submit === false ? '--no-submit given' : 'sbatch is not on the PATH here'
    console.log(`${summary}\n${why}; on the cluster's login node submit it with:\n  sbatch ${shellQuote(paths.script)}\nthen bring the runs home with: grokking-lab sweep-collect ${shellQuote(dir)}`)
  }
  return 0
}
