import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { TrainingEvent } from '../../shared/run-types'
import type { BatchJob, TrainingJob, WorkerCommand } from './training-job'

export interface TrainingHandle {
  /** The worker's process id (tests kill it to prove a kill loses nothing). */
  pid: number
  /** Asks the worker to stop after its next checkpoint. */
  cancel(): void
  /** Resolves when the worker exits, with the last event it sent (if any) and its stderr tail. */
  done: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; last?: TrainingEvent; stderr: string }>
}

/** The worker entry; a bundled app (Electron) points GROKKING_LAB_WORKER_SCRIPT at its own copy. */
const workerScript = () => process.env.GROKKING_LAB_WORKER_SCRIPT ?? fileURLToPath(new URL('../../../bin/train-worker.mjs', import.meta.url))

/**
 * Starts a training worker process for `job`, off the caller's event loop. Progress arrives
 * through `onEvent`. The worker's own console output (tfjs and Dawn banners) is captured, not
 * printed, and returned with `done` for error reports.
 */
export function startTraining(
  job: TrainingJob | BatchJob,
  onEvent: (e: TrainingEvent) => void,
  opts: { script?: string; threads?: number } = {},
): TrainingHandle {
  // Workers sharing the machine split its cores rather than each taking all of them.
  const env = opts.threads ? { ...process.env, GROKKING_LAB_THREADS: String(opts.threads) } : process.env
  const child: ChildProcess = fork(opts.script ?? workerScript(), [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env })
  let stderr = ''
  const keep = (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let last: TrainingEvent | undefined
  child.on('message', (e: TrainingEvent | { type: 'bye' }) => {
    if (e.type === 'bye') return
    last = e
    onEvent(e)
  })
  const send = (cmd: WorkerCommand) => {
    if (child.connected) child.send(cmd)
  }
  send('runIds' in job ? { type: 'start-batch', job } : { type: 'start', job })
  const done = new Promise<Awaited<TrainingHandle['done']>>((resolve) => {
    child.on('exit', (exitCode, signal) => resolve({ exitCode, signal, last, stderr }))
  })
  return { pid: child.pid!, cancel: () => send({ type: 'cancel' }), done }
}
