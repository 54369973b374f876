import * as tf from '@tensorflow/tfjs'

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[]
/** tf.customGrad with the inputs typed as tensors (tfjs types them as Tensor | GradSaveFunc). */
function customGrad<T extends tf.Tensor>(f: (...args: never[]) => { value: T; gradFunc: GradFunc }) {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad<T>>[0])
}

/**
 * Matrix product whose gradient transposes explicitly. tfjs's built-in matMul gradient uses
 * transposeA/transposeB, which run 20–50× slower than a plain product on the wasm backend
 * (ENGINE-NOTES.md), so every trainable product in the lab goes through this.
 */
export const matmul = customGrad((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b])
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[]
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)]
    },
  }
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D

/**
 * Row selection `onehot · table` with a gradient only for the table, using a precomputed
 * transpose of the constant one-hot matrix. Same maths as a gather, but wasm has no gradient
 * kernel for gather and the plain-JS one is very slow (ENGINE-NOTES.md).
 */
export function makeRowSelector(onehot: tf.Tensor2D, onehotT: tf.Tensor2D): (table: tf.Tensor2D) => tf.Tensor2D {
  return customGrad((table: tf.Tensor, save: tf.GradSaveFunc) => {
    save([])
    return {
      value: tf.matMul(onehot, table as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor) => [tf.matMul(onehotT, dy as tf.Tensor2D)],
    }
  }) as (table: tf.Tensor2D) => tf.Tensor2D
}

/**
 * Mean softmax cross-entropy against one-hot labels, with the closed-form gradient
 * (softmax − Y)/N instead of autodiff through logSumExp.
 */
export function makeCrossEntropy(labels: tf.Tensor2D): (logits: tf.Tensor2D) => tf.Scalar {
  const n = labels.shape[0]
  return customGrad((logits: tf.Tensor, save: tf.GradSaveFunc) => {
    save([logits])
    const lse = tf.logSumExp(logits, 1)
    const picked = tf.sum(tf.mul(logits, labels), 1)
    return {
      value: tf.mean(tf.sub(lse, picked)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.mul(tf.sub(tf.softmax(saved[0]), labels), tf.div(dy, n)),
      ],
    }
  }) as (logits: tf.Tensor2D) => tf.Scalar
}

/** One-hot float32 matrix [indices.length, depth] built on the host. */
export function oneHotMatrix(indices: Int32Array, depth: number): tf.Tensor2D {
  const data = new Float32Array(indices.length * depth)
  for (let i = 0; i < indices.length; i++) data[i * depth + indices[i]] = 1
  return tf.tensor2d(data, [indices.length, depth])
}
