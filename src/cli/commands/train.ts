import { LabError } from '../../shared/lab-error'
import { assertFitsInMemory } from '../../shared/memory-estimate'
import type { BackendName } from '../../shared/backend'
import type { TrainingEvent } from '../../shared/run-types'
import { APP_VERSION } from '../../lab/app-version'
import { resolveLibraryPath } from '../../lab/store/default-location'
import { RunStore } from '../../lab/store/run-store'
import { assertResumable } from '../../lab/worker/resumable'
import { startTraining } from '../../lab/worker/training-host'
import { createProgressView } from '../progress-view'
import { resolveConfig, type ConfigSource } from '../resolve-config'
import { parseRunId } from '../run-id'
import { runResultJson } from '../run-json'

export interface TrainOptions extends ConfigSource {
  backend: string
  db?: string
  json?: boolean
  name?: string
  tag?: string[]
}

/** `grokking-lab train`: creates a run in the library and trains it in a worker process. */
export async function trainCommand(options: TrainOptions): Promise<number> {
  const { config, preset } = resolveConfig(options)
  // Before the library is touched: a run that cannot fit leaves nothing behind.
  assertFitsInMemory(config)
  const dbPath = resolveLibraryPath(options.db)
  const store = RunStore.open(dbPath)
  let runId: number
  try {
    runId = store.createRun({
      name: options.name ?? preset ?? 'custom',
      preset,
      config,
      appVersion: APP_VERSION,
      tags: options.tag ?? [],
    })
  } finally {
    store.close()
  }
  return trainInWorker(dbPath, runId, options.backend, false, Boolean(options.json))
}

/** `grokking-lab resume RUN`: continues an interrupted or cancelled run from its checkpoint. */
export async function resumeCommand(runArg: string, options: { backend?: string; db?: string; json?: boolean }): Promise<number> {
  const dbPath = resolveLibraryPath(options.db)
  const store = RunStore.open(dbPath)
  let backend: string
  try {
    const run = store.getRun(parseRunId(runArg))
    assertResumable(run)
    assertFitsInMemory(run.config)
    backend = options.backend ?? run.backend ?? 'auto'
  } finally {
    store.close()
  }
  return trainInWorker(dbPath, parseRunId(runArg), backend, true, Boolean(options.json))
}

async function trainInWorker(dbPath: string, runId: number, backend: string, resume: boolean, json: boolean): Promise<number> {
  const view = createProgressView({ json, tty: Boolean(process.stdout.isTTY) })
  let failure: string | undefined
  let interrupted = false
  const handle = startTraining({ dbPath, runId, backend: backend as BackendName | 'auto', resume }, (e: TrainingEvent) => {
    if (e.type === 'failed') {
      failure = e.message
      interrupted = e.interrupted === true
    }
    view.onEvent(e)
  })
  let interrupts = 0
  const onSigint = () => {
    interrupts += 1
    if (interrupts === 1) {
      process.stderr.write('\nstopping after the next checkpoint (Ctrl-C again to kill; the run stays resumable)\n')
      handle.cancel()
    } else {
      process.kill(handle.pid, 'SIGKILL')
    }
  }
  process.on('SIGINT', onSigint)
  const exit = await handle.done
  process.off('SIGINT', onSigint)
  view.stop()
  if (failure !== undefined) throw new LabError(interrupted ? failure : `run ${runId} failed: ${failure}`)
  if (exit.last?.type !== 'finished') {
    throw new Error(`the training worker exited (${exit.signal ?? `code ${exit.exitCode}`}) before finishing run ${runId}; ` +
      `'grokking-lab resume ${runId}' continues it.\n${exit.stderr.trim()}`)
  }
  const store = RunStore.open(dbPath, { readonly: true })
  try {
    const result = runResultJson(store, runId)
    if (json) console.log(JSON.stringify(result))
    else {
      console.log(`run ${runId} ${result.status} after ${result.steps} steps on ${result.backend} (${result.msPerStep?.toFixed(1)} ms/step)`)
      console.log(`train acc ${result.trainAcc}  test acc ${result.testAcc}  T_mem ${result.T_mem ?? '-'}  T_gen ${result.T_gen ?? '-'}`)
    }
  } finally {
    store.close()
  }
  return 0
}
