import { beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/run-config'
import { useBackend } from '../backends/select-backend'
import { timeBatched } from './time-batched'
import { timeLibrary } from './library-timing'
import { summarize } from './stats'
import { timeEvalOverhead } from './time-eval-overhead'
import { timeTraining } from './time-training'

const tiny = parseRunConfig({ p: 11, frac: 0.5, steps: 100, lr: 1e-3, d: 8, hidden: 16, eval_every: 5 })

describe('bench machinery', () => {
  beforeAll(async () => {
    await useBackend('wasm')
  })

  it('summarizes samples', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 })
    expect(summarize([4, 1, 2, 3]).median).toBe(2.5)
  })

  it('times training windows and the measurement overhead', async () => {
    const t = await timeTraining(tiny, { warmupSteps: 2, windows: 3, windowMs: 30 })
    expect(t.windows).toBe(3)
    expect(t.stepsPerWindow).toBeGreaterThan(0)
    expect(t.msPerStep.min).toBeGreaterThan(0)
    expect(t.msPerStep.min).toBeLessThanOrEqual(t.msPerStep.median)
    expect(t.msPerStep.median).toBeLessThanOrEqual(t.msPerStep.max)
    expect(t.evalMs).toBeGreaterThan(0)
    expect(Number.isFinite(t.evalOverhead)).toBe(true)
    expect(t.peakRssMb).toBeGreaterThan(10)
    expect(t.engine).toBe('fast path')
  })

  it("times a run's loop with evaluations against the same loop without", async () => {
    const t = await timeEvalOverhead(tiny, { evalEvery: 5, warmupSteps: 2, windows: 3, windowMs: 30 })
    expect(t).toMatchObject({ evalEvery: 5, windows: 3 })
    expect(t.stepsPerWindow % 5).toBe(0)
    expect(t.without.min).toBeGreaterThan(0)
    expect(t.overhead).toBeCloseTo(t.withEval.median / t.without.median - 1, 10)
    // Which loop is faster is the bench's finding, not a test's: on a busy machine either can win.
    expect(t.withEval.min).toBeGreaterThan(0)
  })

  it('times batched runs against one run', async () => {
    const b = await timeBatched('tiny', { ...tiny, steps: 30 }, 3, { warmupSteps: 2 })
    expect(b).toMatchObject({ runs: 3, steps: 30, batched: true })
    expect(b.oneRunMs).toBeGreaterThan(0)
    expect(b.ratio).toBeCloseTo(b.batchMs / b.oneRunMs, 10)
  })

  it('times snapshot writes and loading a 100,000-step run through the API', async () => {
    const l = await timeLibrary(tiny)
    expect(l.snapshotWriteMs).toBeGreaterThan(0)
    expect(l.openPlotsMs).toBeGreaterThan(0)
    expect(l.plotPoints).toBe(7 * 5001)
  })
})
