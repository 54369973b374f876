import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LabError } from '../../shared/lab-error'

/** What passes through to sbatch, and the command the array tasks run the lab with. */
export interface SbatchOptions {
  tasks: number
  jobName: string
  partition?: string
  time?: string
  gpusPerTask?: string
  cpusPerTask?: string
  arrayParallelism?: number
  /** Further `#SBATCH` lines, each as sbatch takes it on its command line (`--mem=4G`, `--account=lab`). */
  sbatchArgs?: string[]
  /** Shell words that start the lab on a node, e.g. `grokking-lab` or `node /opt/lab/bin/grokking-lab.mjs`. */
  labCommand: string
}

/** Quotes a word for bash, so folders with spaces survive. */
export const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)

/** The lab's own CLI as this process runs it (node's path and bin/grokking-lab.mjs), quoted for bash. */
export function thisLabCommand(): string {
  const cli = fileURLToPath(new URL('../../../bin/grokking-lab.mjs', import.meta.url))
  return `${shellQuote(process.execPath)} ${shellQuote(cli)}`
}

/**
 * The job-array script: one task per batch of the plan, each running `sweep-task DIR N`. Tasks may be
 * requeued (preemption, `scontrol requeue`): a task continues from its runs' checkpoints.
 */
export function sbatchScript(dir: string, o: SbatchOptions): string {
  const abs = path.resolve(dir)
  const array = `0-${o.tasks - 1}${o.arrayParallelism ? `%${o.arrayParallelism}` : ''}`
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${o.jobName.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'grokking-lab'}`,
    `#SBATCH --array=${array}`,
    `#SBATCH --output=${path.join(abs, 'logs', 'task-%a.out')}`,
    '#SBATCH --open-mode=append',
    '#SBATCH --requeue',
  ]
  if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`)
  if (o.time) lines.push(`#SBATCH --time=${o.time}`)
  if (o.cpusPerTask) lines.push(`#SBATCH --cpus-per-task=${o.cpusPerTask}`)
  if (o.gpusPerTask) lines.push(`#SBATCH --gpus-per-task=${o.gpusPerTask}`)
  for (const a of o.sbatchArgs ?? []) {
    if (/[\r\n]/.test(a)) throw new LabError(`--sbatch-arg '${a}' holds a line break; give one sbatch option per --sbatch-arg`)
    lines.push(`#SBATCH ${a}`)
  }
  lines.push(
    '',
    '# Each task trains its batch into its own library in tasks/ (no SQLite file is shared between nodes);',
    '# a requeued task continues from its checkpoints. Collect the results with: grokking-lab sweep-collect DIR',
    `${o.labCommand} sweep-task ${shellQuote(abs)} "$SLURM_ARRAY_TASK_ID"`,
    '',
  )
  return lines.join('\n')
}

/** sbatch's path when it is on the PATH, else null. */
export function findOnPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const file = path.join(dir, command)
    try {
      fs.accessSync(file, fs.constants.X_OK)
      if (fs.statSync(file).isFile()) return file
    } catch {
      // not here
    }
  }
  return null
}

/** Submits the script with `sbatch --parsable`; returns the array's job id, or throws LabError with sbatch's words. */
export function submitScript(sbatch: string, script: string): string {
  const r = spawnSync(sbatch, ['--parsable', script], { encoding: 'utf8' })
  if (r.error) throw new LabError(`cannot run ${sbatch}: ${r.error.message}`)
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}`
    throw new LabError(`sbatch refused ${script}: ${why}; the plan stays in its folder, so fix the options and run 'sbatch ${script}'`)
  }
  // --parsable prints "jobid" or "jobid;cluster".
  return r.stdout.trim().split(';')[0]
}
