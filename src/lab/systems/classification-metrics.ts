import * as tf from '@tensorflow/tfjs'
import { makeCrossEntropy } from '../models/ops'

/**
 * Mean cross-entropy, argmax accuracy and, when asked, the minimum margin (correct logit − best
 * other logit) of logits [N, C] against one-hot labels. Call inside tf.tidy.
 */
export function classificationMetrics(
  logits: tf.Tensor2D,
  labels: tf.Tensor2D,
  labelIndex: tf.Tensor1D,
  withMargin = false,
): { loss: tf.Scalar; acc: tf.Scalar; minMargin?: tf.Scalar } {
  const loss = makeCrossEntropy(labels)(logits)
  const acc = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labelIndex), 'float32')) as tf.Scalar
  if (!withMargin) return { loss, acc }
  const correct = tf.sum(tf.mul(logits, labels), 1)
  const bestOther = tf.max(tf.sub(logits, tf.mul(labels, 1e30)), 1)
  return { loss, acc, minMargin: tf.min(tf.sub(correct, bestOther)) }
}
