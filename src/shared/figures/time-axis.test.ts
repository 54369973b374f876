import { describe, expect, it } from 'vitest'
import { toTimeAxis as labTimeAxis } from '../../lab/analysis/time-axis'
import { stepToX, TIME_AXES, toTimeAxis, xToStep } from './time-axis'

const steps = [0, 1, 10, 20, 150, 999, 3000]
const configs = [
  { wd: 1, lr: 3e-3 },
  { wd: 0.3, lr: 3e-3 },
  { wd: 0.05, lr: 1e-3 },
]

describe('time axis', () => {
  it('maps steps to the step, log₁₀ step (dropping step 0) and λ·η·t', () => {
    for (const config of configs) {
      expect(toTimeAxis(steps, 'step', config)).toEqual({ x: steps, keep: steps.map(() => true) })
      const log = toTimeAxis(steps, 'log', config)
      expect(log.keep).toEqual(steps.map((s) => s > 0))
      log.x.forEach((x, i) => expect(x).toBeCloseTo(Math.log10(steps[i + 1]), 12))
      toTimeAxis(steps, 'lambda-t', config).x.forEach((x, i) => expect(x).toBeCloseTo(config.wd * config.lr * steps[i], 15))
    }
  })

  it('refuses λ·η·t without weight decay, as the lab does', () => {
    expect(() => labTimeAxis(steps, 'lambda-t', { wd: 0, lr: 1e-3 })).toThrow()
    expect(() => toTimeAxis(steps, 'lambda-t', { wd: 0, lr: 1e-3 })).toThrow()
    expect(stepToX(10, 'lambda-t', { wd: 0, lr: 1e-3 })).toBeNull()
    expect(toTimeAxis(steps, 'step', { wd: 0, lr: 1e-3 }).x).toEqual(steps)
  })

  it('inverts each mapping', () => {
    for (const axis of TIME_AXES) {
      const x = stepToX(3000, axis, configs[1])!
      expect(xToStep(x, axis, configs[1])).toBeCloseTo(3000, 6)
    }
    expect(stepToX(3000, 'lambda-t', configs[0])).toBeCloseTo(9, 10)
    expect(stepToX(3000, 'lambda-t', configs[1])).toBeCloseTo(2.7, 10)
    expect(stepToX(0, 'log', configs[0])).toBeNull()
  })
})
