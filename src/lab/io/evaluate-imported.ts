import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { buildModel } from '../models/model-registry'
import type { LabModel, TokenBatch } from '../models/model'
import { applyOp, type ModularSplit } from '../tasks/modular-arithmetic'
import { createModularSystem } from '../systems/modular-system'
import { classificationMetrics } from '../systems/classification-metrics'
import { evaluate } from '../training/evaluate'
import { makeTokenBatch } from '../training/token-batch'

/** Every pair the op defines (p² of them, p(p − 1) for div), in (a, b) order. */
export function allPairs(p: number, op: RunConfig['op']): ModularSplit {
  const a: number[] = []
  const b: number[] = []
  const label: number[] = []
  for (let x = 0; x < p; x++) {
    for (let y = 0; y < p; y++) {
      const z = applyOp(op, x, y, p)
      if (z === null) continue
      a.push(x)
      b.push(y)
      label.push(z)
    }
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b), label: Int32Array.from(label) }
}

/**
 * Measures weights that were not trained here, on the current tf backend: all_loss and all_acc on
 * every pair, and evaluate()'s train/test loss, accuracy, margin and norms on the config's seeded
 * split. Drops evaluate()'s distance from init and structural energy: an imported model has no
 * init and no weight decay of ours.
 */
export async function evaluateImported(config: RunConfig, values: Float32Array[]): Promise<Record<string, number>> {
  const { p } = config
  const batches = [allPairs(p, config.op)].map((s) => makeTokenBatch(s, p))
  const model = buildModel(config, values)
  try {
    const all = batches[0]
    const system = createModularSystem(config, model.params)
    const { metrics, pattern } = await evaluate({ system, initial: model.params.map((q) => q.variable), weightDecay: () => 0 })
    system.dispose()
    pattern?.dispose()
    delete metrics.rel_dist_init
    delete metrics.structural_energy
    const [loss, acc] = await lossAndAccuracy(model, all)
    return { ...metrics, all_loss: loss, all_acc: acc }
  } finally {
    batches.forEach((b) => b.dispose())
    model.params.forEach((q) => q.variable.dispose())
  }
}

/** Mean cross-entropy and argmax accuracy, computed as evaluate() does. */
async function lossAndAccuracy(model: LabModel, batch: TokenBatch): Promise<[number, number]> {
  const packed = tf.tidy(() => {
    const { loss, acc } = classificationMetrics(model.logits(batch), batch.labels, batch.labelIndex)
    return tf.stack([loss, acc])
  })
  const values = await packed.data()
  packed.dispose()
  return [values[0], values[1]]
}
