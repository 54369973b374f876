import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { matmul } from './ops'
import type { LabModel, ModelParam, ParamSpec, TokenBatch } from './model'

/**
 * Tensors of Nanda et al.'s one-layer transformer in TransformerLens names and shapes
 * (so export and import need no conversion). Init: Gaussian with std 1/√fan_in, zero biases.
 * Vocabulary p + 1: the last token is "=".
 */
export function transformerSpecs(c: Pick<RunConfig, 'p' | 'd' | 'hidden' | 'heads'>): ParamSpec[] {
  const dHead = c.d / c.heads
  const std = 1 / Math.sqrt(c.d)
  const normal = (s: number) => ({ kind: 'normal' as const, std: s })
  return [
    { name: 'embed.W_E', shape: [c.p + 1, c.d], group: 'embedding', init: normal(std) },
    { name: 'pos_embed.W_pos', shape: [3, c.d], group: 'embedding', init: normal(std) },
    { name: 'blocks.0.attn.W_Q', shape: [c.heads, c.d, dHead], group: 'attention', init: normal(std) },
    { name: 'blocks.0.attn.W_K', shape: [c.heads, c.d, dHead], group: 'attention', init: normal(std) },
    { name: 'blocks.0.attn.W_V', shape: [c.heads, c.d, dHead], group: 'attention', init: normal(std) },
    { name: 'blocks.0.attn.W_O', shape: [c.heads, dHead, c.d], group: 'attention', init: normal(std) },
    { name: 'blocks.0.mlp.W_in', shape: [c.d, c.hidden], group: 'mlp', init: normal(std) },
    { name: 'blocks.0.mlp.b_in', shape: [c.hidden], group: 'mlp', init: { kind: 'zeros' } },
    { name: 'blocks.0.mlp.W_out', shape: [c.hidden, c.d], group: 'mlp', init: normal(1 / Math.sqrt(c.hidden)) },
    { name: 'blocks.0.mlp.b_out', shape: [c.d], group: 'mlp', init: { kind: 'zeros' } },
    { name: 'unembed.W_U', shape: [c.d, c.p + 1], group: 'head', init: normal(std) },
  ]
}

/**
 * transformer-1L on tokens [a, b, =]: attention (4 heads, no LayerNorm), ReLU MLP, logits read at
 * the last position over the p answers. Only the "=" position reaches the loss in a one-layer
 * model, so only its query, its attention and its MLP are computed: the logits and every gradient
 * are exactly those of the full causal forward pass, for a third of the work.
 */
export function createTransformer1L(c: Pick<RunConfig, 'p' | 'd' | 'hidden' | 'heads'>, params: ModelParam[]): LabModel {
  const v = (name: string) => params.find((q) => q.name === name)!.variable as tf.Tensor
  const { p, d, heads } = c
  const dHead = d / heads
  const headsToColumns = (w: tf.Tensor) => tf.reshape(tf.transpose(w, [1, 0, 2]), [d, heads * dHead]) as tf.Tensor2D
  return {
    kind: 'transformer-1l',
    p,
    params,
    logits(batch: TokenBatch): tf.Tensor2D {
      return this.forward(batch).logits
    },
    forward(batch: TokenBatch) {
      const n = batch.size
      const WE = v('embed.W_E')
      const pos = v('pos_embed.W_pos')
      const tokens = tf.slice(WE, [0, 0], [p, d]) as tf.Tensor2D
      const x0 = tf.add(batch.selectA(tokens), tf.slice(pos, [0, 0], [1, d])) as tf.Tensor2D
      const x1 = tf.add(batch.selectB(tokens), tf.slice(pos, [1, 0], [1, d])) as tf.Tensor2D
      const x2 = tf.add(tf.slice(WE, [p, 0], [1, d]), tf.slice(pos, [2, 0], [1, d])) as tf.Tensor2D
      const Wq = headsToColumns(v('blocks.0.attn.W_Q'))
      const Wk = headsToColumns(v('blocks.0.attn.W_K'))
      const Wv = headsToColumns(v('blocks.0.attn.W_V'))
      const q = matmul(x2, Wq)
      const scale = 1 / Math.sqrt(dHead)
      const score = (x: tf.Tensor2D) =>
        tf.mul(tf.sum(tf.reshape(tf.mul(matmul(x, Wk), q), [-1, heads, dHead]), 2, true), scale)
      const s0 = score(x0)
      // Broadcast by addition, not broadcastTo: tfjs's Tile gradient loops over every repeated row.
      const scores = tf.concat([s0, score(x1), tf.add(tf.zerosLike(s0), score(x2))], 2)
      const attn = tf.softmax(scores)
      const value = (x: tf.Tensor2D, i: number) =>
        tf.mul(tf.slice(attn, [0, 0, i], [n, heads, 1]), tf.reshape(matmul(x, Wv), [-1, heads, dHead]))
      const z = tf.add(tf.add(value(x0, 0), value(x1, 1)), value(x2, 2))
      const Wo = tf.reshape(v('blocks.0.attn.W_O'), [heads * dHead, d]) as tf.Tensor2D
      const resid = tf.add(x2, matmul(tf.reshape(z, [n, heads * dHead]) as tf.Tensor2D, Wo)) as tf.Tensor2D
      const hiddenPre = tf.add(matmul(resid, v('blocks.0.mlp.W_in') as tf.Tensor2D), v('blocks.0.mlp.b_in')) as tf.Tensor2D
      const mlpOut = tf.add(matmul(tf.relu(hiddenPre), v('blocks.0.mlp.W_out') as tf.Tensor2D), v('blocks.0.mlp.b_out'))
      const final = tf.add(resid, mlpOut) as tf.Tensor2D
      return { logits: matmul(final, tf.slice(v('unembed.W_U'), [0, 0], [d, p]) as tf.Tensor2D), hiddenPre }
    },
  }
}
