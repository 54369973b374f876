import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { useBackend } from '../backends/select-backend'
import { parseRunConfig } from '../../shared/run-config'
import { Trainer, type Checkpoint, type EvalRecord } from './trainer'

const small = (over: Record<string, unknown> = {}) =>
  parseRunConfig({ p: 11, frac: 0.5, steps: 60, lr: 3e-3, wd: 1, d: 16, hidden: 32, eval_every: 10, checkpoint_every: 30, snapshot_budget: 6, ...over })

async function trainAll(config: ReturnType<typeof small>, resume?: Checkpoint) {
  const trainer = new Trainer(config, resume)
  const evals: EvalRecord[] = []
  const checkpoints: Checkpoint[] = []
  const snapshots: number[] = []
  await trainer.run({
    onEval: (r) => void evals.push(r),
    onCheckpoint: (c) => void checkpoints.push(c),
    onSnapshot: (s) => void snapshots.push(s),
  })
  const weights = await trainer.readWeights()
  const engine = (await trainer.engine()).reason
  trainer.dispose()
  return { evals, checkpoints, snapshots, weights, engine }
}

describe('trainer (wasm backend)', () => {
  beforeAll(async () => {
    await useBackend('wasm')
  })

  it('keeps the tensor count flat over a long run', async () => {
    // Both models on the fast path (host weights) and on plain tfjs (every step's tensors).
    for (const [model, fast_path] of [
      ['embed-mlp', 'auto'],
      ['transformer-1l', 'auto'],
      ['embed-mlp', 'off'],
      ['transformer-1l', 'off'],
    ] as const) {
      const trainer = new Trainer(small({ model, fast_path, steps: 400, heads: 2, batch_size: model === 'embed-mlp' ? 16 : null }))
      expect((await trainer.engine()).reason).toMatch(fast_path === 'auto' ? /fast path/ : /off/)
      let atFirstEval = -1
      let atLastEval = -1
      await trainer.run({
        onEval: (r) => {
          if (r.step === 10) atFirstEval = tf.memory().numTensors
          if (r.step === 400) atLastEval = tf.memory().numTensors
        },
      })
      expect(atFirstEval).toBeGreaterThan(0)
      expect(atLastEval).toBe(atFirstEval)
      const before = tf.memory().numTensors
      trainer.dispose()
      expect(tf.memory().numTensors).toBeLessThan(before)
    }
  })

  it('evaluates on schedule, snapshots within budget and ends on a checkpoint', async () => {
    const { evals, checkpoints, snapshots } = await trainAll(small())
    expect(evals.map((e) => e.step)).toEqual([0, 10, 20, 30, 40, 50, 60])
    expect(snapshots.length).toBeLessThanOrEqual(6)
    expect(snapshots[0]).toBe(0)
    expect(snapshots[snapshots.length - 1]).toBe(60)
    expect(checkpoints.map((c) => c.step)).toEqual([30, 60])
    const first = evals[0].metrics
    expect(first.train_loss).toBeGreaterThan(1)
    expect(first.rel_dist_init).toBe(0)
    expect(evals[6].metrics.train_loss).toBeLessThan(first.train_loss)
    expect(evals[6].metrics.rel_dist_init).toBeGreaterThan(0)
    expect(first.structural_energy).toBeCloseTo(first.param_norm ** 2 / 2, 2)
  })

  it.each([
    ['embed-mlp', {}],
    ['transformer-1l', { model: 'transformer-1l', heads: 2 }],
    ['transformer-1l on plain tfjs', { model: 'transformer-1l', heads: 2, fast_path: 'off' }],
  ])('is deterministic, and resuming from a checkpoint reproduces the uninterrupted run: %s', async (_name, over) => {
    const config = small(over)
    const a = await trainAll(config)
    const b = await trainAll(config)
    expect(a.engine).toMatch(config.fast_path === 'auto' ? /fast path/ : /off/)
    expect(b.evals.map((e) => e.metrics)).toEqual(a.evals.map((e) => e.metrics))
    const resumed = await trainAll(config, a.checkpoints[0])
    expect(resumed.evals[0].step).toBe(30)
    resumed.weights.forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(a.weights[i].data)))
  })

  it.each([
    ['embed-mlp', {}],
    ['transformer-1l', { model: 'transformer-1l', heads: 2 }],
  ])('minibatch runs resume exactly too: %s', async (_name, over) => {
    const config = small({ batch_size: 8, ...over })
    const a = await trainAll(config)
    expect(a.engine).toMatch(/fast path/)
    const resumed = await trainAll(config, a.checkpoints[0])
    resumed.weights.forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(a.weights[i].data)))
  })
})
