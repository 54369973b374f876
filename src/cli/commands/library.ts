import { LabError } from '../../shared/lab-error'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { RunStore } from '../../lab/store/run-store'
import { formatTable } from '../format-table'
import { parseRunId } from '../run-id'
import { runDetailJson, runResultJson } from '../run-json'

interface LibraryOptions {
  db?: string
  json?: boolean
}

function withStore<T>(options: LibraryOptions, readonly: boolean, body: (store: RunStore) => T): T {
  const store = RunStore.open(resolveLibraryPath(options.db), { readonly })
  try {
    return body(store)
  } finally {
    store.close()
  }
}

const pct = (v: number | null) => (v === null ? '-' : v.toFixed(3))

/** `grokking-lab runs`: every run in the library with its status and latest accuracies. */
export function runsCommand(options: LibraryOptions): number {
  // Opened writable so runs whose worker died are shown as interrupted, not running.
  return withStore(options, false, (store) => {
    const runs = store.listRuns().map((r) => runResultJson(store, r.id))
    if (options.json) {
      console.log(JSON.stringify(runs))
      return 0
    }
    if (runs.length === 0) {
      console.log(`no runs yet in ${store.path}; try: grokking-lab train --preset modadd-mlp-small`)
      return 0
    }
    console.log(
      formatTable(
        ['id', 'name', 'status', 'steps', 'backend', 'train acc', 'test acc', 'T_mem', 'T_gen'],
        runs.map((r) => [r.runId, r.name, r.status, r.steps, r.backend ?? '-', pct(r.trainAcc), pct(r.testAcc), r.T_mem ?? '-', r.T_gen ?? '-']),
      ),
    )
    return 0
  })
}

/** `grokking-lab show RUN`: config, summary, metrics and snapshots of one run. */
export function showCommand(runArg: string, options: LibraryOptions): number {
  return withStore(options, false, (store) => {
    const detail = runDetailJson(store, parseRunId(runArg))
    if (options.json) {
      console.log(JSON.stringify(detail))
      return 0
    }
    const { run, summary } = detail
    console.log(`run ${run.id} "${run.name}" ${run.status}, ${run.stepsDone}/${run.totalSteps} steps on ${run.backend ?? '-'}${run.engine ? `, ${run.engine}` : ''} (app ${run.appVersion})`)
    console.log(`config ${JSON.stringify(run.config)}`)
    console.log(`train loss ${summary.trainLoss ?? '-'} acc ${pct(summary.trainAcc)}  test loss ${summary.testLoss ?? '-'} acc ${pct(summary.testAcc)}`)
    console.log(`T_mem ${summary.T_mem ?? '-'}  T_gen ${summary.T_gen ?? '-'}  ms/step ${run.msPerStep?.toFixed(1) ?? '-'}`)
    console.log(formatTable(['metric', 'points', 'last step', 'last', 'min', 'max'], detail.metrics.map((m) => [m.name, m.points, m.lastStep, m.last, m.min, m.max])))
    console.log(`${detail.snapshots.count} snapshots (steps ${detail.snapshots.steps.join(', ')}); checkpoint at step ${detail.checkpointStep ?? '-'}`)
    if (run.error) console.log(`error: ${run.error}`)
    return 0
  })
}

/** `grokking-lab delete RUN`: removes a run and everything stored with it. */
export function deleteCommand(runArg: string, options: LibraryOptions): number {
  return withStore(options, false, (store) => {
    const run = store.getRun(parseRunId(runArg))
    if (run.status === 'running') throw new LabError(`run ${run.id} is training right now; stop it (Ctrl-C) before deleting it`)
    store.deleteRun(run.id)
    if (options.json) console.log(JSON.stringify({ deleted: run.id }))
    else console.log(`deleted run ${run.id} "${run.name}"`)
    return 0
  })
}
