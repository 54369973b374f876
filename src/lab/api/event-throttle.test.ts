import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LabEvents } from '../../shared/api'
import { ProgressThrottle } from './event-throttle'

describe('progress throttle', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('sends at most one progress event per run per interval, with every eval since the last', () => {
    const sent: LabEvents['run:progress'][] = []
    const throttle = new ProgressThrottle((p) => sent.push(structuredClone(p)), 250, () => Date.now())
    throttle.tick(1, 1, 100, 50)
    expect(sent).toHaveLength(1)
    for (let step = 2; step <= 40; step++) {
      throttle.tick(1, step, 100, 60)
      if (step % 10 === 0) throttle.eval(1, step, 100, { train_loss: 1 / step })
      throttle.tick(2, step, 50, 10)
      vi.advanceTimersByTime(10)
    }
    // 400 ms of events: the first at once, then one per 250 ms for each run.
    expect(sent.filter((p) => p.runId === 1)).toHaveLength(2)
    throttle.flush(1)
    const run1 = sent.filter((p) => p.runId === 1)
    expect(run1.flatMap((p) => p.evals.map((e) => e.step))).toEqual([10, 20, 30, 40])
    expect(run1[run1.length - 1]).toMatchObject({ step: 40, totalSteps: 100, stepsPerSecond: 60 })
    throttle.flush(1)
    expect(sent.filter((p) => p.runId === 1)).toHaveLength(run1.length)
    throttle.dispose()
    vi.advanceTimersByTime(1000)
    expect(sent.filter((p) => p.runId === 2).length).toBeLessThanOrEqual(3)
  })
})
