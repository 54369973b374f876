import * as tf from '@tensorflow/tfjs'
import { expect } from 'vitest'
import type { RunConfig } from '../../src/shared/run-config'
import { buildModel } from '../../src/lab/models/model-registry'
import { makeCrossEntropy } from '../../src/lab/models/ops'
import { makeModularDataset } from '../../src/lab/tasks/modular-arithmetic'
import { createModularSystem } from '../../src/lab/systems/modular-system'
import { makeTokenBatch } from '../../src/lab/training/token-batch'
import type { MemberParams } from '../../src/lab/fast/row-feed'

/** Loss and gradients of the plain formulation (tfjs autodiff on one-hot selections). */
export function plain(c: RunConfig) {
  const data = makeModularDataset(c.p, c.op, c.frac, c.seed)
  const model = buildModel(c)
  const batch = makeTokenBatch(data.train, c.p)
  const vars = model.params.map((q) => q.variable)
  const { value, grads } = tf.variableGrads(() => makeCrossEntropy(batch.labels)(model.logits(batch)), vars)
  const params: MemberParams = {}
  const gradients: MemberParams = {}
  for (const q of model.params) {
    params[q.name] = q.variable.dataSync() as Float32Array
    gradients[q.name] = grads[q.variable.name].dataSync() as Float32Array
  }
  const logits = model.logits(makeTokenBatch(data.test, c.p)).dataSync() as Float32Array
  const system = createModularSystem(c, model.params)
  const m = system.measure()
  const measured: Record<string, number> = { relu_active: tf.mean(m.pattern!).dataSync()[0] }
  for (const [name, t] of Object.entries(m.scalars)) measured[name] = t.dataSync()[0]
  return { data, params, gradients, loss: value.dataSync()[0], logits, measured }
}

/** The bytes of a float array, to compare two arrays bit for bit. */
export const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

/** Expects `actual` within 1e-5 of `expected`, relative to the largest magnitude in `expected`. */
export function expectClose(actual: Float32Array, expected: Float32Array, label: string): void {
  expect(actual.length, label).toBe(expected.length)
  const scale = Math.max(...expected.map(Math.abs))
  let worst = 0
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]))
  expect(worst / scale, label).toBeLessThan(1e-5)
}

