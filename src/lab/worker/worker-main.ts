import os from 'node:os'
import type { TrainingEvent } from '../../shared/run-types'
import { runBatchJob } from './run-batch-job'
import { runTrainingJob } from './run-training-job'
import type { WorkerCommand } from './training-job'

/**
 * Body of the training worker process: waits for a 'start' command over IPC, trains, streams
 * events back, and stops gracefully (after a checkpoint) on 'cancel', SIGINT or SIGTERM.
 */
export function workerMain(): void {
  if (!process.send) throw new Error('the training worker must be started with an IPC channel')
  yieldToWindow(Number(process.env.GROKKING_LAB_WORKER_NICENESS ?? 0))
  let stop = false
  const send = (e: TrainingEvent) => {
    if (process.connected) process.send?.(e)
  }
  process.on('SIGINT', () => (stop = true))
  process.on('SIGTERM', () => (stop = true))
  // The host is gone (killed): stop at the next step, checkpointed, so the run can be resumed.
  process.on('disconnect', () => (stop = true))
  // With the host gone its pipes are closed: a stray console write must not kill the worker before
  // it has checkpointed and recorded how the run ended.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => (stop = true))
  // Likewise an event sent just as the host dies: process.send reports the broken channel as an
  // 'error' event on process, which would otherwise crash the worker unrecorded.
  process.on('error', () => (stop = true))
  process.on('message', (cmd: WorkerCommand) => {
    if (cmd.type === 'cancel') stop = true
    if (cmd.type === 'start' || cmd.type === 'start-batch') {
      const work = cmd.type === 'start' ? runTrainingJob(cmd.job, send, () => stop) : runBatchJob(cmd.job, send, () => stop)
      // Exit explicitly once the last event is flushed: native backends (Dawn) can hold the loop open.
      work.finally(() => {
        if (process.connected) process.send?.({ type: 'bye' }, () => process.exit(0))
        else process.exit(0)
      })
    }
  })
}

/**
 * Lowers this process's priority by `niceness` (a worker started for a window). Linux keeps a
 * niceness per thread, so this runs before tfjs starts its threads, which inherit it.
 */
function yieldToWindow(niceness: number): void {
  if (!(niceness > 0)) return
  try {
    os.setPriority(Math.min(19, os.getPriority() + niceness))
  } catch {
    // Not permitted here: the worker keeps the caller's priority.
  }
}
