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
 * evaluations and snapshots as in a sweep (the library writes are left out: both pay them alike).
 */
export async function timeBatched(preset: string, config: RunConfig, runs: number): Promise<BatchedTiming> {
  const t0 = performance.now()
  const one = new Trainer(config)
  await one.run({ onSnapshot: async () => {} })
  one.dispose()
  const oneRunMs = performance.now() - t0
  const configs = Array.from({ length: runs }, (_, k) => ({ ...config, seed: config.seed + k }))
  const t1 = performance.now()
  const { batch } = await FastPathBatch.create(configs)
  if (batch) {
    const trainers = configs.map((c, k) => new Trainer(c, undefined, { batch, member: k }))
    await trainInLockstep(trainers, configs.map(() => ({ onSnapshot: async () => {} })))
    trainers.forEach((t) => t.dispose())
    await batch.dispose()
  } else {
    for (const c of configs) {
      const t = new Trainer(c)
      await t.run({ onSnapshot: async () => {} })
      t.dispose()
    }
  }
  const batchMs = performance.now() - t1
  return { backend: tf.getBackend(), preset, runs, steps: config.steps, batched: Boolean(batch), oneRunMs, batchMs, ratio: batchMs / oneRunMs }
}
