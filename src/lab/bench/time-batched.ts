import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { FastPathBatch } from '../fast/fast-path'
import { trainInLockstep } from '../training/lockstep'
import { Trainer } from '../training/trainer'

export interface BatchedTiming {
  backend: string
  preset: string
  runs: number
  steps: number
  /** Whether the runs trained as one batch (false: the fast path did not apply on this backend). */
  batched: boolean
  oneRunMs: number
  batchMs: number
  /** batchMs / oneRunMs: the acceptance target is < 3 for 8 runs. */
  ratio: number
}

/**
 * Times `runs` seeds of `config` trained as one batch against one run of it alone (on the active backend), each with its
 * evaluations and snapshots as in a sweep (the library writes are left out: both pay them alike). With `warmupSteps`,
 * a short run and a short batch go first, so one-off costs (shader compilation on a GPU) fall on neither timing.
 */
export async function timeBatched(preset: string, config: RunConfig, runs: number, opts: { warmupSteps?: number } = {}): Promise<BatchedTiming> {
  const configs = (c: RunConfig) => Array.from({ length: runs }, (_, k) => ({ ...c, seed: c.seed + k }))
  if (opts.warmupSteps) {
    const short = { ...config, steps: opts.warmupSteps }
    await trainAlone(short)
    await trainAsBatch(configs(short))
  }
  const t0 = performance.now()
  await trainAlone(config)
  const oneRunMs = performance.now() - t0
  const t1 = performance.now()
  const batched = await trainAsBatch(configs(config))
  const batchMs = performance.now() - t1
  return { backend: tf.getBackend(), preset, runs, steps: config.steps, batched, oneRunMs, batchMs, ratio: batchMs / oneRunMs }
}

const noWrites = { onSnapshot: async () => {} }

async function trainAlone(config: RunConfig): Promise<void> {
  const t = new Trainer(config)
  await t.run(noWrites)
  t.dispose()
}

/** Trains the configs as one fast-path batch, or one after another where none applies; says which. */
async function trainAsBatch(configs: RunConfig[]): Promise<boolean> {
  const { batch } = await FastPathBatch.create(configs)
  if (!batch) {
    for (const c of configs) await trainAlone(c)
    return false
  }
  const trainers = configs.map((c, k) => new Trainer(c, undefined, { batch, member: k }))
  await trainInLockstep(trainers, configs.map(() => noWrites))
  trainers.forEach((t) => t.dispose())
  await batch.dispose()
  return true
}
