import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PendingEvaluation } from '../fast-engine'
import { expectSameRun } from '../../../../test/helpers/expect-same-run'
import { useBackend } from '../../backends/select-backend'
import { parseRunConfig, type RunConfig } from '../../../shared/run-config'
import { gpuDevice } from './gpu-device'
import { Trainer } from '../../training/trainer'
import { ResidentGpuEngine } from './resident-gpu-engine'
import { bitsEqual, trainBatch, trainRun as train } from './gpu-test-runs'

const member = (seed: number, over: Record<string, unknown> = {}): RunConfig =>
  parseRunConfig({ p: 13, frac: 0.5, steps: 40, lr: 3e-3, d: 8, hidden: 24, eval_every: 10, checkpoint_every: 20, seed, ...over })

// CI installs Mesa's EGL, so Dawn finds a (software) WebGPU device there and these always run.
const gpuHere = process.env.CI ? true : (await gpuDevice()).device !== undefined
if (!gpuHere) console.warn('resident-training.test: no WebGPU device here; CI runs these')

describe.runIf(gpuHere)('training on the GPU (weights and optimizer resident on the device)', () => {
  beforeAll(async () => {
    await useBackend('webgpu')
  })
  afterAll(async () => {
    await useBackend('wasm')
  })

  for (const [label, over] of [
    ['AdamW, full batch', { wd: 1 }],
    ['Adam with coupled decay, minibatches', { wd: 0.5, optimizer: 'adam', batch_size: 20 }],
    ['SGD with momentum and warmup', { wd: 0.1, optimizer: 'sgd', lr: 0.3, momentum: 0.9, warmup: 5 }],
  ] as const) {
    it(`matches the CPU fast path and plain tfjs: ${label}`, async () => {
      const gpu = await train('webgpu', member(1, over))
      expect(gpu.engine).toMatch(/WGSL/)
      expectSameRun(gpu, await train('wasm', member(1, over)), 3)
      expectSameRun(gpu, await train('wasm', member(1, { ...over, fast_path: 'off' })), 3)
      expect(gpu.evals.at(-1)!.metrics.train_loss).toBeLessThan(gpu.evals[0].metrics.train_loss - 0.01)
    }, 120_000)
  }

  it("submits the steps after an evaluation before its readback arrives, and reports as the CPU does", async () => {
    const c = member(6, { wd: 1, eval_every: 5, checkpoint_every: 10 })
    const proto = ResidentGpuEngine.prototype as unknown as Record<'evaluate' | 'train', (...args: unknown[]) => Promise<unknown>>
    const { evaluate, train: step } = proto
    let reading = 0
    let stepsWhileReading = 0
    proto.evaluate = function (this: unknown, ...args: unknown[]) {
      const call = evaluate.apply(this, args)
      // Pending until the results are in the host's hands (the call itself, when it waits for them).
      reading += 1
      void call.then((r) => (r as { results?: Promise<unknown> }).results ?? r).finally(() => (reading -= 1))
      return call
    }
    proto.train = function (this: unknown, ...args: unknown[]) {
      if (reading > 0) stepsWhileReading += 1
      return step.apply(this, args)
    }
    let gpu
    try {
      gpu = await train('webgpu', c)
    } finally {
      Object.assign(proto, { evaluate, train: step })
    }
    expect(stepsWhileReading).toBeGreaterThan(0)
    const cpu = await train('wasm', c)
    expect(gpu.order).toContain('snapshot 10')
    expect(gpu.order).toEqual(cpu.order)
    expectSameRun(gpu, cpu, 3)
  }, 120_000)

  it('resumes from a checkpoint to the bit-identical run', async () => {
    const c = member(2, { wd: 1 })
    const whole = await train('webgpu', c)
    expect(whole.checkpoints.map((k) => k.step)).toEqual([20, 40])
    // The checkpoint carries the device's optimizer state: without it the resumed run would differ.
    expect(Math.max(...whole.checkpoints[0].optimizer.slots.W_in[1])).toBeGreaterThan(0)
    const resumed = await train('webgpu', c, whole.checkpoints[0])
    expect(resumed.evals[0].step).toBe(20)
    expect(bitsEqual(resumed.weights, whole.weights)).toBe(true)
  }, 120_000)

  it('K runs batched on the device equal the same runs trained alone there', async () => {
    const configs = [member(3, { wd: 0.5 }), member(4, { wd: 2, init_scale: 0.7 }), member(5, { wd: 1, lr: 1e-3, optimizer: 'adam' })]
    const { runs, reason } = await trainBatch(configs)
    expect(reason).toMatch(/WGSL.*3 runs batched/)
    for (const [k, c] of configs.entries()) {
      const batched = runs[k]
      const single = await train('webgpu', c)
      expectSameRun(batched, single, 5)
      // Snapshots of later members are taken after the round's first member moved them all on the
      // device: they must still show their own step (the state kept from before the update).
      expect([...batched.snapshots.keys()]).toEqual([...single.snapshots.keys()])
      for (const [s, w] of batched.snapshots) {
        w.forEach((tensor, i) => tensor.data.forEach((v, j) => expect(Math.abs(v - single.snapshots.get(s)![i].data[j]), `member ${k} ${tensor.name} at ${s}`).toBeLessThan(1e-5)))
      }
      expectSameRun(batched, await train('wasm', { ...c, fast_path: 'off' }), 3)
    }
  }, 120_000)

  /** Runs `job` with every evaluation's results held back `ms` after they arrive, and counts those not yet delivered. */
  async function withSlowReadbacks<T>(ms: number, job: (pending: () => number) => Promise<T>): Promise<T> {
    const proto = ResidentGpuEngine.prototype as unknown as { evaluate: (...args: unknown[]) => Promise<PendingEvaluation> }
    const { evaluate } = proto
    let pending = 0
    proto.evaluate = async function (this: unknown, ...args: unknown[]) {
      const call = await evaluate.apply(this, args)
      pending += 1
      const results = call.results.then((r) => new Promise<typeof r>((resolve) => setTimeout(() => resolve(r), ms))).finally(() => (pending -= 1))
      results.catch(() => undefined)
      return { results }
    }
    try {
      return await job(() => pending)
    } finally {
      proto.evaluate = evaluate
    }
  }

  it('a stop right after an evaluation still reports it, before the final checkpoint', async () => {
    await useBackend('webgpu')
    const c = member(7, { wd: 1, eval_every: 5, checkpoint_every: 100, steps: 100, snapshot_budget: 2 })
    const t = new Trainer(c)
    const order: string[] = []
    let pendingAtStop = -1
    const outcome = await withSlowReadbacks(300, (pending) =>
      t.run({
        onEval: (e) => void order.push(`eval ${e.step}`),
        onCheckpoint: (k) => void order.push(`checkpoint ${k.step}`),
        shouldStop: () => {
          if (t.stepsDone < 6) return false
          if (pendingAtStop < 0) pendingAtStop = pending()
          return true
        },
      }),
    )
    t.dispose()
    expect(pendingAtStop).toBeGreaterThan(0)
    expect(outcome).toMatchObject({ stopped: true, step: 6 })
    expect(order).toEqual(['eval 0', 'eval 5', 'checkpoint 6'])
  }, 120_000)

  it('an onEval that throws fails the run at the next step, and no later evaluation is reported', async () => {
    await useBackend('webgpu')
    const c = member(8, { wd: 1, eval_every: 5, checkpoint_every: 20, steps: 40, snapshot_budget: 2 })
    const t = new Trainer(c)
    const seen: number[] = []
    const checkpoints: number[] = []
    const run = t.run({
      onEval: (e) => {
        seen.push(e.step)
        if (e.step === 5) throw new Error('store full')
      },
      onCheckpoint: (k) => void checkpoints.push(k.step),
    })
    await expect(run).rejects.toThrow('store full')
    // Before, the failure waited for the drain of the checkpoint at step 20.
    expect(t.stepsDone).toBeLessThan(20)
    expect(seen).toEqual([0, 5])
    expect(checkpoints).toEqual([])
    t.dispose()
  }, 120_000)
})
