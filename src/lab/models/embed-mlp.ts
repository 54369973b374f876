import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { matmul } from './ops'
import type { LabModel, ModelParam, ParamSpec, TokenBatch } from './model'

/**
 * Tensors of TC's two-layer ReLU embedding model with PyTorch's default init:
 * nn.Embedding N(0, 1), nn.Linear weights and biases U(±1/√fan_in).
 */
export function embedMlpSpecs(c: Pick<RunConfig, 'p' | 'd' | 'hidden'>): ParamSpec[] {
  const inBound = 1 / Math.sqrt(2 * c.d)
  const outBound = 1 / Math.sqrt(c.hidden)
  return [
    { name: 'E', shape: [c.p, c.d], group: 'embedding', init: { kind: 'normal', std: 1 } },
    { name: 'W_in', shape: [2 * c.d, c.hidden], group: 'embedding', init: { kind: 'uniform', bound: inBound } },
    { name: 'b_in', shape: [c.hidden], group: 'embedding', init: { kind: 'uniform', bound: inBound } },
    { name: 'W_out', shape: [c.hidden, c.p], group: 'head', init: { kind: 'uniform', bound: outBound } },
    { name: 'b_out', shape: [c.p], group: 'head', init: { kind: 'uniform', bound: outBound } },
  ]
}

/**
 * embed-MLP: h = ReLU(W_inᵀ[E_a; E_b] + b_in), logits = W_outᵀ h + b_out.
 * Computed per token: E·W_in splits into an a-half and a b-half, each a [p, hidden] table, and
 * each example selects one row of each. Same maths, and p rows instead of N in the big product.
 */
export function createEmbedMlp(c: Pick<RunConfig, 'p' | 'd' | 'hidden'>, params: ModelParam[]): LabModel {
  const get = (name: string) => params.find((q) => q.name === name)!.variable
  const [E, W_in, b_in, W_out, b_out] = ['E', 'W_in', 'b_in', 'W_out', 'b_out'].map(get)
  return {
    kind: 'embed-mlp',
    p: c.p,
    params,
    forward(batch: TokenBatch) {
      const e = E as tf.Tensor2D
      const tableA = matmul(e, tf.slice(W_in, [0, 0], [c.d, c.hidden]) as tf.Tensor2D)
      const tableB = matmul(e, tf.slice(W_in, [c.d, 0], [c.d, c.hidden]) as tf.Tensor2D)
      const hiddenPre = tf.add(tf.add(batch.selectA(tableA), batch.selectB(tableB)), b_in) as tf.Tensor2D
      return { logits: tf.add(matmul(tf.relu(hiddenPre), W_out as tf.Tensor2D), b_out) as tf.Tensor2D, hiddenPre }
    },
    logits(batch: TokenBatch): tf.Tensor2D {
      return this.forward(batch).logits
    },
  }
}
