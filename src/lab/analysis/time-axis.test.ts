import { describe, expect, it } from 'vitest'
import { parseTimeAxis, toTimeAxis } from './time-axis'

describe('time axes', () => {
  const steps = [0, 10, 100, 1000]
  it('maps steps to step, log and λ·η·t', () => {
    expect(toTimeAxis(steps, 'step', { wd: 1, lr: 1e-3 }).x).toEqual(steps)
    expect(toTimeAxis(steps, 'log', { wd: 1, lr: 1e-3 })).toEqual({ x: [1, 2, 3], keep: [false, true, true, true] })
    expect(toTimeAxis(steps, 'lambda-t', { wd: 2, lr: 1e-3 }).x).toEqual([0, 0.02, 0.2, 2])
  })
  it('collapses runs at different λ onto one slow clock', () => {
    const a = toTimeAxis([500], 'lambda-t', { wd: 2, lr: 1e-3 }).x[0]
    const b = toTimeAxis([1000], 'lambda-t', { wd: 1, lr: 1e-3 }).x[0]
    expect(a).toBeCloseTo(b, 12)
  })
  it('rejects unknown axes and λ·t without weight decay', () => {
    expect(() => parseTimeAxis('seconds')).toThrow(/step, log, lambda-t/)
    expect(() => toTimeAxis(steps, 'lambda-t', { wd: 0, lr: 1 })).toThrow(/weight decay/)
  })
})
