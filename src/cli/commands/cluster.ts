import { resolveLibraryPath } from '../../lab/store/default-location'
import { RunStore } from '../../lab/store/run-store'
import { collectSlurmSweep } from '../../lab/cluster/collect'
import { mergeLibrary, openSourceLibrary, type MergeResult } from '../../lab/cluster/merge-library'
import { runSweepTask } from '../../lab/cluster/sweep-task'
import { readTaskStatus, slurmSweepStatus } from '../../lab/cluster/task-status'
import { formatTable } from '../format-table'

/** `grokking-lab sweep-task DIR N`: what array task N runs on its node; exit 0 when its runs completed. */
export async function sweepTaskCommand(dir: string, task: string): Promise<number> {
  const code = await runSweepTask(dir, task)
  // One line for the task's Slurm log (logs/task-N.out), appended across requeues.
  const s = readTaskStatus(dir, Number(task))
  if (s) console.log(`task ${s.task}${s.jobId ? ` (job ${s.jobId}, restart ${s.restarts})` : ''} on ${s.host}: ${s.state}; ${s.runs.map((r) => `${r.status} ${r.step}/${r.totalSteps}${r.fromStep ? ` from ${r.fromStep}` : ''}`).join(', ')}${s.error ? `; ${s.error}` : ''}`)
  return code
}

/** `grokking-lab sweep-collect DIR`: merges the ended tasks' finished runs into the library; idempotent. */
export function sweepCollectCommand(dir: string, options: { db?: string; json?: boolean }): number {
  const store = RunStore.open(resolveLibraryPath(options.db))
  try {
    const r = collectSlurmSweep(store, dir)
    const status = slurmSweepStatus(dir)
    if (options.json) console.log(JSON.stringify({ ...r, tasks: status.counts }))
    else {
      const waiting = r.tasksWaiting > 0 ? `; ${plural(r.tasksWaiting, 'task')} still pending or running (collect again later)` : ''
      console.log(`sweep ${r.sweepId}: ${plural(r.added, 'run')} added, ${r.updated} updated, ${r.unchanged} already here, from ${plural(r.tasksRead, 'ended task')}${waiting}`)
      console.log(`'grokking-lab sweep-report ${r.sweepId}' reports it; 'grokking-lab export --figure phase --sweep ${r.sweepId} --out phase.pdf' draws its phase map`)
    }
    return 0
  } finally {
    store.close()
  }
}

/** `grokking-lab sweep-status DIR`: each array task's state and steps, read from DIR. */
export function sweepStatusCommand(dir: string, options: { json?: boolean }): number {
  const s = slurmSweepStatus(dir)
  if (options.json) console.log(JSON.stringify(s))
  else {
    console.log(`"${s.name}": ${s.runs} runs in ${s.tasks.length} tasks${s.jobId ? `, job ${s.jobId}` : ''}: ` +
      Object.entries(s.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', '))
    console.log(formatTable(['task', 'state', 'runs', 'steps', 'host', 'restarts', 'updated'],
      s.tasks.map((t) => [t.task, t.state, t.runs, `${t.step}/${t.totalSteps}`, t.host ?? '-', t.restarts, t.updatedAt ?? '-'])))
  }
  return 0
}

/** `grokking-lab import-db FILE…`: merges other lab libraries' runs (not training) into this one; idempotent. */
export function importDbCommand(files: string[], options: { db?: string; json?: boolean }): number {
  const store = RunStore.open(resolveLibraryPath(options.db))
  try {
    // Every file is opened (and so checked) before any is merged, so one bad path leaves the library untouched.
    const sources: { file: string; db: ReturnType<typeof openSourceLibrary> }[] = []
    const results: MergeResult[] = []
    try {
      for (const file of files) sources.push({ file, db: openSourceLibrary(file, store) })
      for (const { file, db } of sources) results.push(mergeLibrary(store, db, file))
    } finally {
      for (const { db } of sources) db.close()
    }
    if (options.json) console.log(JSON.stringify(results))
    else {
      for (const r of results) {
        console.log(`${r.file}: ${plural(r.added, 'run')} added, ${r.updated} updated, ${r.unchanged} already here` +
          `${r.skipped ? `, ${r.skipped} still training there (left out)` : ''}${r.sweeps ? `, ${plural(r.sweeps, 'sweep')} added` : ''}`)
      }
    }
    return 0
  } finally {
    store.close()
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
