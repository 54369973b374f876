import * as tf from '@tensorflow/tfjs'
import type { ModularSplit } from '../tasks/modular-arithmetic'
import { makeRowSelector, oneHotMatrix } from '../models/ops'
import type { TokenBatch } from '../models/model'

/** Uploads a split (or the rows `rows` of it) as a batch of one-hot operands and labels. */
export function makeTokenBatch(split: ModularSplit, p: number, rows?: Int32Array): TokenBatch {
  const pick = (src: Int32Array) => (rows ? Int32Array.from(rows, (r) => src[r]) : src)
  const a = pick(split.a)
  const b = pick(split.b)
  const label = pick(split.label)
  const oa = oneHotMatrix(a, p)
  const ob = oneHotMatrix(b, p)
  const oaT = tf.transpose(oa)
  const obT = tf.transpose(ob)
  const labels = oneHotMatrix(label, p)
  const labelIndex = tf.tensor1d(label, 'int32')
  const owned = [oa, ob, oaT, obT, labels, labelIndex]
  return {
    size: a.length,
    selectA: makeRowSelector(oa, oaT),
    selectB: makeRowSelector(ob, obT),
    labels,
    labelIndex,
    dispose: () => owned.forEach((t) => t.dispose()),
  }
}
