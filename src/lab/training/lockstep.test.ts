import { beforeAll, describe, expect, it } from 'vitest'
import { expectSameRun } from '../../../test/helpers/expect-same-run'
import { useBackend } from '../backends/select-backend'
import { parseRunConfig, type RunConfig } from '../../shared/run-config'
import { FastPathBatch } from '../fast/fast-path'
import { trainInLockstep } from './lockstep'
import { Trainer, type EvalRecord, type TensorData } from './trainer'

const memberOf = (seed: number, over: Record<string, unknown>): RunConfig =>
  parseRunConfig({ p: 13, frac: 0.5, steps: 40, lr: 3e-3, d: 8, hidden: 24, eval_every: 10, checkpoint_every: 20, seed, ...over })

interface Result {
  evals: EvalRecord[]
  weights: TensorData[]
  engine: string
}

async function alone(c: RunConfig): Promise<Result> {
  const t = new Trainer(c)
  const evals: EvalRecord[] = []
  await t.run({ onEval: (r) => void evals.push(r) })
  const out = { evals, weights: await t.readWeights(), engine: (await t.engine()).reason }
  t.dispose()
  return out
}

const models: [string, Record<string, unknown>][] = [
  ['embed-mlp', {}],
  ['transformer-1l', { model: 'transformer-1l', heads: 2 }],
]

describe.each(models)('batched %s runs (fast path, lockstep) against runs trained alone', (_name, model) => {
  beforeAll(async () => {
    await useBackend('wasm')
  })
  const member = (seed: number, over: Record<string, unknown> = {}): RunConfig => memberOf(seed, { ...model, ...over })

  it('a single fast-path run matches the plain tfjs run', async () => {
    const fast = await alone(member(1, { wd: 1 }))
    const plain = await alone(member(1, { wd: 1, fast_path: 'off' }))
    expect(fast.engine).toMatch(/fast path/)
    expect(plain.engine).toMatch(/off/)
    expectSameRun(fast, plain, 3)
    // Training moved the weights, so agreement is not the init's.
    expect(fast.evals.at(-1)!.metrics.train_loss).toBeLessThan(fast.evals[0].metrics.train_loss - 0.1)
  })

  it('K runs with their own seeds, λ and α trained as one batch equal the same runs trained alone', async () => {
    const configs = [member(2, { wd: 0.5 }), member(3, { wd: 2, init_scale: 0.7 }), member(4, { wd: 1, lr: 1e-3, optimizer: 'adam' })]
    const { batch, status } = await FastPathBatch.create(configs)
    expect(status.active, status.reason).toBe(true)
    const trainers = configs.map((c, k) => new Trainer(c, undefined, { batch: batch!, member: k }))
    const evals: EvalRecord[][] = configs.map(() => [])
    const outcomes = await trainInLockstep(
      trainers,
      evals.map((list) => ({ onEval: (r: EvalRecord) => void list.push(r) })),
    )
    expect(outcomes.map((o) => o.step)).toEqual([40, 40, 40])
    for (const [k, c] of configs.entries()) {
      const batched: Result = { evals: evals[k], weights: await trainers[k].readWeights(), engine: '' }
      expectSameRun(batched, await alone(c), 4)
      expectSameRun(batched, await alone({ ...c, fast_path: 'off' }), 3)
    }
    trainers.forEach((t) => t.dispose())
    await batch!.dispose()
  })
})
