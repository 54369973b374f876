import { describe, expect, it } from 'vitest'
import { snapshotSteps } from './snapshot-schedule'

describe('snapshot schedule', () => {
  it('keeps the first and last step, sorted and unique, within the budget', () => {
    for (const [total, budget] of [[100_000, 40], [6000, 40], [1000, 7], [50, 10]]) {
      const steps = snapshotSteps(total, budget)
      expect(steps[0]).toBe(0)
      expect(steps[steps.length - 1]).toBe(total)
      expect(steps.length).toBeLessThanOrEqual(budget)
      expect(new Set(steps).size).toBe(steps.length)
      expect([...steps].sort((a, b) => a - b)).toEqual(steps)
    }
  })

  it('is dense near the start and still covers the late run', () => {
    const steps = snapshotSteps(100_000, 40)
    expect(steps.filter((s) => s <= 1000).length).toBeGreaterThanOrEqual(10)
    expect(steps.filter((s) => s >= 50_000).length).toBeGreaterThanOrEqual(8)
  })

  it('takes every step when the budget allows', () => {
    expect(snapshotSteps(5, 10)).toEqual([0, 1, 2, 3, 4, 5])
  })
})
