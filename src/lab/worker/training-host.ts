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
 * How much a worker started for a window yields to it (a niceness, 0–19): the page and the server
 * that feeds it must win a contended core, or a live chart's update waits behind a training step.
 * On an idle machine the worker still gets every free cycle.
 */
export const INTERACTIVE_WORKER_NICENESS = 10

/**
 * Starts a training worker process for `job`, off the caller's event loop. Progress arrives
 * through `onEvent`. The worker's own console output (tfjs and Dawn banners) is captured, not
 * printed, and returned with `done` for error reports.
 */
export function startTraining(
  job: TrainingJob | BatchJob,
  onEvent: (e: TrainingEvent) => void,
  opts: { script?: string; threads?: number; niceness?: number } = {},
): TrainingHandle {
  const env: NodeJS.ProcessEnv = { ...process.env }
  // Workers sharing the machine split its cores rather than each taking all of them.
  if (opts.threads) env.GROKKING_LAB_THREADS = String(opts.threads)
  // The worker lowers its own priority before it starts its compute threads, which inherit it.
  if (opts.niceness) env.GROKKING_LAB_WORKER_NICENESS = String(opts.niceness)
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
