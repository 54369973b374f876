import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectSameRun } from '../../../../test/helpers/expect-same-run'
import { useBackend } from '../../backends/select-backend'
import { parseRunConfig } from '../../../shared/run-config'
import { makeRowFeed } from '../row-feed'
import { EmbedMlpGpu } from './embed-mlp-gpu'
import { gpuDevice } from './gpu-device'
import { trainRun as train } from './gpu-test-runs'
import { indexTable } from './plan-cache'
import { TransformerGpu } from './transformer-gpu'

// CI installs Mesa's EGL, so Dawn finds a (software) WebGPU device there and these always run.
const gpuHere = process.env.CI ? true : (await gpuDevice()).device !== undefined
if (!gpuHere) console.warn('plan-reuse.test: no WebGPU device here; CI runs these')

type Hooked = Record<'makePlan' | 'buildPasses', (...args: unknown[]) => unknown>

/** Runs `job` counting the plans `engine` makes (by pairs per member) and the lists of passes it records. */
async function counting(engine: { prototype: unknown }, job: () => Promise<unknown>): Promise<{ plans: number[]; passLists: number }> {
  const proto = engine.prototype as Hooked
  const { makePlan, buildPasses } = proto
  const plans: number[] = []
  let passLists = 0
  proto.makePlan = function (this: unknown, ...args: unknown[]) {
    plans.push(args[0] as number)
    return makePlan.apply(this, args)
  }
  proto.buildPasses = function (this: unknown, ...args: unknown[]) {
    passLists += 1
    return buildPasses.apply(this, args)
  }
  try {
    await job()
  } finally {
    Object.assign(proto, { makePlan, buildPasses })
  }
  return { plans, passLists }
}

describe("a reused plan's index table", () => {
  it('widens each per-token list with K·N, keeping its pairs in order', () => {
    // 2 members, p 3: member 0's pairs (0,1) (2,1), member 1's (1,1) (1,0).
    const feed = makeRowFeed([{ a: [0, 2], b: [1, 1], label: [1, 0] }, { a: [1, 1], b: [1, 0], label: [2, 1] }].map((s) => ({ a: Int32Array.from(s.a), b: Int32Array.from(s.b), label: Int32Array.from(s.label) })), 3, true)
    expect(feed.seg).toBe(2)
    const exact = indexTable(feed, 2, 3, 2)
    const wide = indexTable(feed, 2, 3, 3)
    expect([...wide.subarray(0, 12)]).toEqual([...exact.subarray(0, 12)])
    const lists = (ints: Int32Array, seg: number) => Array.from({ length: 12 }, (_, t) => [...ints.subarray(12 + t * seg, 12 + (t + 1) * seg)].filter((r) => r < 4))
    expect(lists(wide, 3)).toEqual(lists(exact, 2))
    // Token 1 of member 1 (stacked row 4) is a in rows 2 and 3; every list ends in at least one pad.
    expect([...wide.subarray(12 + 4 * 3, 12 + 5 * 3)]).toEqual([2, 3, 4])
    expect(wide.length).toBe(12 + 2 * 6 * 3)
  })
})

describe.runIf(gpuHere)('plans of a minibatch run on the GPU', () => {
  beforeAll(async () => {
    await useBackend('webgpu')
  })
  afterAll(async () => {
    await useBackend('wasm')
  })

  for (const [model, engine] of [
    ['embed-mlp', EmbedMlpGpu],
    ['transformer-1l', TransformerGpu],
  ] as const) {
    it(`${model}: 30 minibatch steps with 7 evaluations make 3 plans (train, test, one minibatch) and record each once`, async () => {
      // p 13 at 50%: 84 train pairs and 85 test pairs, minibatches of 20.
      const c = parseRunConfig({ model, p: 13, frac: 0.5, steps: 30, lr: 3e-3, d: 8, heads: 2, hidden: 24, eval_every: 5, checkpoint_every: 30, wd: 0.5, batch_size: 20, seed: 9 })
      let gpu
      const counts = await counting(engine, async () => (gpu = await train('webgpu', c)))
      expect(gpu!.engine).toMatch(/WGSL/)
      expect(gpu!.evals).toHaveLength(7)
      // Before, every step made a plan and evictions made the full sets' plans again at every evaluation.
      expect(counts.plans.sort((a, b) => a - b)).toEqual([20, 84, 85])
      expect(counts.passLists).toBe(3)
      expectSameRun(gpu!, await train('wasm', c), 3)
    }, 120_000)
  }
})
