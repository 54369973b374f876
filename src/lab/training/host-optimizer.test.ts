import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { parseRunConfig } from '../../shared/run-config'
import type { ModelParam } from '../models/model'
import { Rng } from '../random'
import { HostOptimizer } from './host-optimizer'
import { Optimizer } from './optimizer'

const configs = {
  'sgd + momentum + wd': { optimizer: 'sgd', momentum: 0.9, wd: 0.3 },
  'adam + coupled wd': { optimizer: 'adam', wd: 0.5 },
  'adamw + per-layer wd + warmup': { optimizer: 'adamw', wd: 1, wd_per_layer: { b: 0 }, warmup: 3, beta2: 0.98 },
}

describe('host optimizer (fast path) against the tfjs optimizer', () => {
  beforeAll(useCpuBackend)

  for (const [label, over] of Object.entries(configs)) {
    it(`${label}: same weights and state over 6 steps`, () => {
      const c = parseRunConfig({ p: 5, frac: 0.5, steps: 1, lr: 0.05, ...over })
      const rng = new Rng(7, 0)
      const init = { a: Float32Array.from({ length: 12 }, () => rng.normal()), b: Float32Array.from({ length: 5 }, () => rng.normal()) }
      const params: ModelParam[] = Object.entries(init).map(([name, v]) => ({ name, group: 'head', variable: tf.variable(tf.tensor1d(v)) }))
      const tfOpt = new Optimizer(c, params)
      const host = { a: init.a.slice(), b: init.b.slice() }
      const hostOpt = new HostOptimizer(c, { a: 12, b: 5 })
      for (let s = 0; s < 6; s++) {
        const grads = { a: Float32Array.from({ length: 12 }, () => rng.normal()), b: Float32Array.from({ length: 5 }, () => rng.normal()) }
        tf.tidy(() => tfOpt.apply({ a: tf.tensor1d(grads.a), b: tf.tensor1d(grads.b) }))
        hostOpt.apply(host, grads)
      }
      for (const q of params) {
        const expected = q.variable.dataSync()
        host[q.name as 'a' | 'b'].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5))
      }
      expect(hostOpt.step).toBe(tfOpt.step)
      // And the initial weights really moved, so equality is not trivial.
      expect(Math.abs(host.a[0] - init.a[0])).toBeGreaterThan(1e-3)
    })
  }

  it('state round-trips through load, and is compatible with the tfjs optimizer layout', async () => {
    const c = parseRunConfig({ p: 5, frac: 0.5, steps: 1, lr: 0.1 })
    const opt = new HostOptimizer(c, { w: 2 })
    const w = { w: Float32Array.of(1, 2) }
    opt.apply(w, { w: Float32Array.of(0.3, -0.1) })
    const tfOpt = new Optimizer(c, [{ name: 'w', group: 'head', variable: tf.variable(tf.tensor1d([1, 2])) }])
    tfOpt.load(opt.state())
    const again = new HostOptimizer(c, { w: 2 })
    again.load(await tfOpt.state())
    expect(again.state()).toEqual(opt.state())
  })
})
