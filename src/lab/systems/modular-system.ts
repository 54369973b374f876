import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import type { ModelParam } from '../models/model'
import { createModel, modelSpecs } from '../models/model-registry'
import { makeCrossEntropy } from '../models/ops'
import { EmbedMlpFastPath } from '../fast/embed-mlp-fast-path'
import { makeModularDataset } from '../tasks/modular-arithmetic'
import { Rng, RNG_STREAM } from '../random'
import { makeTokenBatch } from '../training/token-batch'
import { classificationMetrics } from './classification-metrics'
import type { TrainingSystem } from './training-system'

/** Modular arithmetic with embed-MLP or transformer-1L, trained with cross-entropy. */
export function createModularSystem(c: RunConfig, params: ModelParam[]): TrainingSystem {
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
  let fast: EmbedMlpFastPath | undefined

  // The train forward pass is shared by the metrics and the ReLU pattern.
  let trainForward: { logits: tf.Tensor2D; hiddenPre: tf.Tensor2D } | undefined
  const logitsOf = (split: 'train' | 'test'): tf.Tensor2D => {
    if (fast) return fast.logits(split)
    if (split === 'test') return model.logits(test)
    trainForward = model.forward(train)
    return trainForward.logits
  }
  const patternOf = (): tf.Tensor =>
    fast ? fast.trainPattern() : tf.cast(tf.greater(trainForward!.hiddenPre, 0), 'float32')

  return {
    specs: modelSpecs(c),
    params,
    async prepare() {
      const made = await EmbedMlpFastPath.create(c, params, dataset)
      fast = made.path
      return made.status
    },
    async fastGradients(step) {
      return fast?.gradients(c.batch_size ? batchRows(step) : undefined)
    },
    async prepareMeasure() {
      await fast?.prepareMeasure()
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
        const m = classificationMetrics(logitsOf(split), batch.labels, batch.labelIndex, split === 'train')
        scalars[`${split}_loss`] = m.loss
        scalars[`${split}_acc`] = m.acc
        if (m.minMargin) {
          scalars.min_train_margin = m.minMargin
          pattern = patternOf()
        }
      }
      return { scalars, pattern }
    },
    dispose() {
      void fast?.dispose()
      train.dispose()
      test.dispose()
    },
  }
}
