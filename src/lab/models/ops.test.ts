import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { makeCrossEntropy, makeRowSelector, matmul, oneHotMatrix } from './ops'

const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-5) => {
  expect(a.shape).toEqual(b.shape)
  const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]
  expect(diff).toBeLessThan(tol)
}

describe('fast ops compute what the plain tfjs ops compute', () => {
  beforeAll(useCpuBackend)

  it('matmul: same product and gradients as tf.matMul', () => {
    const a = tf.randomNormal([4, 3], 0, 1, 'float32', 1)
    const b = tf.randomNormal([3, 5], 0, 1, 'float32', 2)
    const w = tf.randomNormal([4, 5], 0, 1, 'float32', 3)
    const f = (mm: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(mm(x as tf.Tensor2D, y as tf.Tensor2D), w))
    const ours = tf.grads(f(matmul))([a, b])
    const plain = tf.grads(f((x, y) => tf.matMul(x, y)))([a, b])
    close(matmul(a as tf.Tensor2D, b as tf.Tensor2D), tf.matMul(a, b))
    close(ours[0], plain[0])
    close(ours[1], plain[1])
  })

  it('row selector: same rows and table gradient as tf.gather', () => {
    const idx = Int32Array.from([2, 0, 2, 1])
    const onehot = oneHotMatrix(idx, 3)
    const select = makeRowSelector(onehot, tf.transpose(onehot))
    const table = tf.randomNormal([3, 4], 0, 1, 'float32', 4)
    const w = tf.randomNormal([4, 4], 0, 1, 'float32', 5)
    close(select(table as tf.Tensor2D), tf.gather(table, tf.tensor1d(idx, 'int32')))
    const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(select(t as tf.Tensor2D), w)))(table)
    const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(idx, 'int32')), w)))(table)
    close(g1, g2)
  })

  it('cross-entropy: same loss and gradient as tf.losses.softmaxCrossEntropy', () => {
    const labels = oneHotMatrix(Int32Array.from([1, 0, 3]), 4)
    const logits = tf.randomNormal([3, 4], 0, 3, 'float32', 6)
    const ce = makeCrossEntropy(labels)
    close(ce(logits as tf.Tensor2D), tf.losses.softmaxCrossEntropy(labels, logits))
    const g1 = tf.grad((z: tf.Tensor) => ce(z as tf.Tensor2D))(logits)
    const g2 = tf.grad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, z))(logits)
    close(g1, g2)
  })
})
