import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { parseRunConfig, type RunConfig } from '../../shared/run-config'
import { makeModularDataset } from '../tasks/modular-arithmetic'
import { makeTokenBatch } from '../training/token-batch'
import { makeCrossEntropy } from './ops'
import { buildModel, modelSpecs } from './model-registry'
import type { LabModel, TokenBatch } from './model'

const tiny = (model: 'embed-mlp' | 'transformer-1l'): RunConfig =>
  parseRunConfig({ model, p: 5, frac: 0.6, steps: 1, lr: 1e-3, d: 4, hidden: 6, heads: 2, seed: 3 })

function setup(c: RunConfig): { model: LabModel; batch: TokenBatch } {
  const data = makeModularDataset(c.p, c.op, c.frac, c.seed)
  return { model: buildModel(c), batch: makeTokenBatch(data.train, c.p) }
}

/** Central finite differences on a few coordinates of every tensor against autodiff. */
function gradientCheck(model: LabModel, batch: TokenBatch): number {
  const loss = () => makeCrossEntropy(batch.labels)(model.logits(batch))
  const vars = model.params.map((q) => q.variable)
  const { grads } = tf.variableGrads(loss, vars)
  const h = 1e-2
  let checked = 0
  for (const q of model.params) {
    const base = q.variable.dataSync().slice()
    const analytic = grads[q.variable.name].dataSync()
    for (let k = 0; k < 4; k++) {
      const i = (k * 7919 + 13) % base.length
      const at = (delta: number) => {
        const v = base.slice()
        v[i] += delta
        q.variable.assign(tf.tensor(v, q.variable.shape))
        return loss().dataSync()[0]
      }
      const numeric = (at(h) - at(-h)) / (2 * h)
      q.variable.assign(tf.tensor(base, q.variable.shape))
      expect(Math.abs(numeric - analytic[i]), `${q.name}[${i}]`).toBeLessThan(2e-3 + 2e-2 * Math.abs(analytic[i]))
      checked++
    }
  }
  return checked
}

describe('models', () => {
  beforeAll(useCpuBackend)

  for (const kind of ['embed-mlp', 'transformer-1l'] as const) {
    it(`${kind}: autodiff gradients match finite differences`, () => {
      const { model, batch } = setup(tiny(kind))
      expect(gradientCheck(model, batch)).toBe(4 * model.params.length)
    })
  }

  it('embed-mlp has the tensors and init of SCIENCE.md (PyTorch defaults)', () => {
    const c = parseRunConfig({ p: 97, frac: 0.4, steps: 1, lr: 1e-3 })
    const specs = modelSpecs(c)
    expect(specs.map((s) => [s.name, s.shape])).toEqual([
      ['E', [97, 128]], ['W_in', [256, 512]], ['b_in', [512]], ['W_out', [512, 97]], ['b_out', [97]],
    ])
    const model = buildModel(c)
    const values = (n: string) => Array.from(model.params.find((q) => q.name === n)!.variable.dataSync() as Float32Array)
    const E = values('E')
    const std = Math.sqrt(E.reduce((s, v) => s + v * v, 0) / E.length)
    expect(std).toBeGreaterThan(0.95)
    expect(std).toBeLessThan(1.05)
    const bound = values('W_in').reduce((m, v) => Math.max(m, Math.abs(v)), 0)
    expect(bound).toBeLessThanOrEqual(1 / Math.sqrt(256))
    expect(bound).toBeGreaterThan(0.95 / Math.sqrt(256))
    model.params.forEach((q) => q.variable.dispose())
  })

  it('init_scale multiplies the default init', () => {
    const c = tiny('embed-mlp')
    const a = buildModel(c).params[0].variable.dataSync()
    const b = buildModel({ ...c, init_scale: 3 }).params[0].variable.dataSync()
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(3 * v, 5))
  })

  it('transformer-1l: logits equal a full causal forward pass over [a, b, =]', () => {
    const c = tiny('transformer-1l')
    const { model, batch } = setup(c)
    const data = makeModularDataset(c.p, c.op, c.frac, c.seed)
    const w = (n: string) => model.params.find((q) => q.name === n)!.variable as tf.Tensor
    const full = tf.tidy(() => {
      const n = data.train.a.length
      const tokens = tf.tensor2d(Array.from(data.train.a, (a, i) => [a, data.train.b[i], c.p]), [n, 3], 'int32')
      let x = tf.add(tf.gather(w('embed.W_E'), tokens), w('pos_embed.W_pos')) // [n, 3, d]
      const heads = c.heads
      const perHead = (name: string) => tf.einsum('npd,hde->nhpe', x, w(name)) // [n, h, 3, dh]
      const q = perHead('blocks.0.attn.W_Q')
      const k = perHead('blocks.0.attn.W_K')
      const v = perHead('blocks.0.attn.W_V')
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(c.d / heads))
      const mask = tf.tensor2d([[0, -1e9, -1e9], [0, 0, -1e9], [0, 0, 0]])
      const attn = tf.softmax(tf.add(scores, mask))
      const z = tf.matMul(attn, v) // [n, h, 3, dh]
      const out = tf.einsum('nhpe,hed->npd', z, w('blocks.0.attn.W_O'))
      x = tf.add(x, out)
      const hidden = tf.relu(tf.add(tf.einsum('npd,dm->npm', x, w('blocks.0.mlp.W_in')), w('blocks.0.mlp.b_in')))
      x = tf.add(x, tf.add(tf.einsum('npm,md->npd', hidden, w('blocks.0.mlp.W_out')), w('blocks.0.mlp.b_out')))
      const last = tf.reshape(tf.slice(x, [0, 2, 0], [n, 1, c.d]), [n, c.d])
      return tf.slice(tf.matMul(last, w('unembed.W_U')), [0, 0], [n, c.p])
    })
    const ours = model.logits(batch)
    expect(tf.max(tf.abs(tf.sub(ours, full))).dataSync()[0]).toBeLessThan(1e-4)
  })
})
