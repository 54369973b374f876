import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useBackend } from '../backends/select-backend'
import { parseRunConfig } from '../../shared/run-config'
import { Trainer, type Checkpoint, type EvalRecord } from '../training/trainer'
import { closedForm, eq20Delta } from './gm-closed-form'
import { makeGmSplits } from './gm-data'
import { makeGmRealityCheck } from './gm-reality-check'
import { buildSystem } from './system-registry'

const gm = (over: Record<string, unknown> = {}) =>
  parseRunConfig({ model: 'gm-two-layer', pairs: 'unordered', p: 7, frac: 0.7, hidden: 64, optimizer: 'sgd', lr: 0.05, steps: 20, eval_every: 5, checkpoint_every: 10, snapshot_budget: 4, ...over })

async function trainAll(config: ReturnType<typeof gm>, resume?: Checkpoint) {
  const trainer = new Trainer(config, resume)
  const evals: EvalRecord[] = []
  const checkpoints: Checkpoint[] = []
  await trainer.run({ onEval: (r) => void evals.push(r), onCheckpoint: (c) => void checkpoints.push(c) })
  const weights = await trainer.readWeights()
  trainer.dispose()
  return { evals, checkpoints, weights }
}

describe('gm-two-layer system (Musat 2025)', () => {
  beforeAll(async () => {
    await useBackend('wasm')
  })

  it('rejects configs the system cannot run, in one line', () => {
    expect(() => gm({ dynamics: 'predicted', optimizer: 'adamw' })).toThrow(/dynamics=predicted needs .* sgd/)
    expect(() => gm({ op: 'sub' })).toThrow(/commutative/)
    expect(() => parseRunConfig({ model: 'embed-mlp', pairs: 'unordered', lr: 1, steps: 1 })).toThrow(/gm-two-layer only/)
  })

  it('real dynamics: the loss is the MSE over all n·p entries of σ(XE)W', () => {
    const c = gm({ activation: 'quadratic' })
    const system = buildSystem(c)
    const { train } = makeGmSplits(c)
    const [E, W] = system.params.map((q) => q.variable.dataSync() as Float32Array)
    const loss = tf.tidy(() => system.trainLoss(0)().dataSync()[0])
    const h = closedForm(train, E, c.hidden, 'quadratic', 1).h
    let sq = 0
    for (let i = 0; i < train.n; i++) {
      for (let k = 0; k < c.p; k++) {
        let v = 0
        for (let j = 0; j < c.hidden; j++) v += h[i * c.hidden + j] * W[j * c.p + k]
        sq += (v - train.y[i * c.p + k]) ** 2
      }
    }
    expect(loss).toBeCloseTo(sq / (train.n * c.p), 5)
    system.dispose()
  })

  it('predicted dynamics: W is the zero-loss closed form every step and E moves by lr·ΔE of Eq. 20', async () => {
    const c = gm({ dynamics: 'predicted', steps: 3, eval_every: 1 })
    const system = buildSystem(c)
    const { train } = makeGmSplits(c)
    expect(train.n).toBeLessThan(c.hidden)
    const host = system.hostParams!()!
    const e0 = Float64Array.from(host.E)
    const delta = eq20Delta(train, e0, closedForm(train, e0, c.hidden, 'relu', 0))
    expect((await system.measureHost!())!.train_loss).toBeLessThan(1e-10)
    await system.deviceUpdate!(0, false)
    for (let i = 0; i < e0.length; i += 97) expect(host.E[i]).toBeCloseTo(e0[i] + c.lr * delta[i], 6)
    const m = (await system.measureHost!())!
    expect(m.train_loss).toBeLessThan(1e-10)
    expect(m.train_acc).toBe(1)
    system.dispose()
  })

  it('predicted dynamics with wd > 0 keeps W at the ridge solution of the λ a real run minimizes with', () => {
    const c = gm({ dynamics: 'predicted', wd: 1e-3, hidden: 16 })
    const system = buildSystem(c)
    const { train } = makeGmSplits(c)
    const host = system.hostParams!()!
    const ridge = closedForm(train, host.E, c.hidden, 'relu', (train.n * c.p * c.wd) / 2)
    for (let i = 0; i < host.W.length; i += 7) expect(host.W[i]).toBeCloseTo(ridge.w[i], 6)
    system.dispose()
  })

  it('predicted dynamics trains through the trainer and resumes bit for bit', async () => {
    const c = gm({ dynamics: 'predicted' })
    const full = await trainAll(c)
    expect(full.evals.map((e) => e.step)).toEqual([0, 5, 10, 15, 20])
    expect(full.evals.every((e) => e.metrics.train_acc === 1)).toBe(true)
    const resumed = await trainAll(c, full.checkpoints[0])
    expect(resumed.weights.map((w) => Array.from(w.data))).toEqual(full.weights.map((w) => Array.from(w.data)))
  })

  it('real runs store the W gap and the cosine with Eq. 20; both read 0 and 1 on the simulated path', () => {
    const c = gm({ wd: 1e-3 })
    const { train } = makeGmSplits(c)
    const check = makeGmRealityCheck(c, train)
    const e0 = Float32Array.from({ length: c.p * c.hidden }, (_, i) => Math.sin(i * 1.3) / Math.sqrt(c.p))
    const lambda = (train.n * c.p * c.wd) / 2
    const cf = closedForm(train, e0, c.hidden, 'relu', lambda)
    expect(check(e0, Float32Array.from(cf.w)).gm_w_gap).toBeLessThan(1e-6)
    const delta = eq20Delta(train, e0, cf)
    const e1 = Float32Array.from(e0, (v, i) => v + 1e-3 * delta[i])
    const second = check(e1, Float32Array.from(cf.w))
    expect(second.gm_delta_cos).toBeGreaterThan(0.9999)
  })

  it('a real run trains and records the prediction-against-reality series', async () => {
    const { evals } = await trainAll(gm({ wd: 1e-3, lr: 1 }))
    expect(evals[evals.length - 1].metrics.train_loss).toBeLessThan(evals[0].metrics.train_loss)
    expect(evals[1].metrics.gm_delta_cos).toBeTypeOf('number')
    expect(evals[0].metrics.gm_w_gap).toBeGreaterThan(0)
    // g̃'s cosine needs the window before an evaluation: none at step 0, then at every evaluation.
    expect(evals[0].metrics.gm_tangent_cos).toBeUndefined()
    for (const e of evals.slice(1)) expect(Math.abs(e.metrics.gm_tangent_cos)).toBeLessThanOrEqual(1)
  })
})
