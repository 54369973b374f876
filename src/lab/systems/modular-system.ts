import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import type { ModelParam } from '../models/model'
import { createModel, modelSpecs } from '../models/model-registry'
import { makeCrossEntropy } from '../models/ops'
import { FastPathBatch, readParams } from '../fast/fast-path'
import type { MemberParams } from '../fast/row-feed'
import { makeModularDataset } from '../tasks/modular-arithmetic'
import { Rng, RNG_STREAM } from '../random'
import { makeTokenBatch } from '../training/token-batch'
import { classificationMetrics } from './classification-metrics'
import type { TrainingSystem } from './training-system'

/** A place in a batch of runs trained together by the fast path (sweeps). */
export interface BatchSlot {
  batch: FastPathBatch
  member: number
}

/**
 * Modular arithmetic with embed-MLP or transformer-1L, trained with cross-entropy. Both train on
 * the fast path where it applies (fastPathBlocker) and loads: alone, or as member of `slot`'s batch.
 */
export function createModularSystem(c: RunConfig, params: ModelParam[], slot?: BatchSlot): TrainingSystem {
  const dataset = makeModularDataset(c.p, c.op, c.frac, c.seed)
  const model = createModel(c, params)
  const train = makeTokenBatch(dataset.train, c.p)
  const test = makeTokenBatch(dataset.test, c.p)
  const n = dataset.train.label.length

  /** Minibatch rows for step s: epoch e's seeded permutation, so a resumed run draws the same batches. */
  const batchRows = (s: number): Int32Array => {
    const size = Math.min(c.batch_size!, n)
    const perEpoch = Math.floor(n / size)
    const epoch = Math.floor(s / perEpoch)
    const offset = (s % perEpoch) * size
    const order = new Rng(c.seed + epoch * 7919, RNG_STREAM.batches).shuffle(Array.from({ length: n }, (_, i) => i))
    return Int32Array.from(order.slice(offset, offset + size))
  }
  let fast: (BatchSlot & { params: MemberParams }) | undefined

  return {
    specs: modelSpecs(c),
    params,
    async prepare() {
      const made = slot
        ? { batch: slot.batch, status: { active: true, reason: `fast path, run ${slot.member + 1} of ${slot.batch.size} batched` } }
        : await FastPathBatch.create([c])
      if (!made.batch) return made.status
      const member = slot?.member ?? 0
      made.batch.join(member, { splits: dataset, batchRows: c.batch_size ? batchRows : undefined })
      fast = { batch: made.batch, member, params: readParams(params) }
      made.batch.setParams(member, fast.params)
      return made.status
    },
    hostParams: () => fast?.params,
    trainsOnDevice: () => fast?.batch.trainsOnDevice ?? false,
    useOptimizer(optimizer) {
      fast?.batch.setOptimizer(fast.member, optimizer)
    },
    deviceUpdate(step, withGradients) {
      return fast!.batch.update(fast!.member, step, withGradients)
    },
    async pullHost(withOptimizer) {
      await fast?.batch.pull(fast.member, withOptimizer)
    },
    async fastGradients(step) {
      return fast!.batch.gradients(fast!.member, step)
    },
    async measureHost() {
      return fast?.batch.measure(fast.member)
    },
    measureLater() {
      return fast!.batch.measureLater(fast!.member)
    },
    trainLoss(step) {
      // A minibatch is made inside the caller's tf.tidy, which frees it after the backward pass.
      const batch = c.batch_size ? makeTokenBatch(dataset.train, c.p, batchRows(step)) : train
      return () => makeCrossEntropy(batch.labels)(model.logits(batch))
    },
    measure() {
      const scalars: Record<string, tf.Scalar> = {}
      let pattern: tf.Tensor | undefined
      for (const [split, batch] of [['train', train], ['test', test]] as const) {
        const { logits, hiddenPre } = model.forward(batch)
        const m = classificationMetrics(logits, batch.labels, batch.labelIndex, split === 'train')
        scalars[`${split}_loss`] = m.loss
        scalars[`${split}_acc`] = m.acc
        if (m.minMargin) {
          scalars.min_train_margin = m.minMargin
          pattern = tf.cast(tf.greater(hiddenPre, 0), 'float32')
        }
      }
      return { scalars, pattern }
    },
    dispose() {
      // A batch's members share its engine; the batch's owner disposes it.
      if (fast && !slot) void fast.batch.dispose()
      train.dispose()
      test.dispose()
    },
  }
}
