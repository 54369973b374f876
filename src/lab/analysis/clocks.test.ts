import { describe, expect, it } from 'vitest'
import type { MetricSeries } from '../../shared/run-types'
import { computeClocks, firstStepStaying } from './clocks'

const series = (name: string, f: (step: number) => number, steps = Array.from({ length: 101 }, (_, i) => i * 10)): MetricSeries => ({
  name,
  steps,
  values: steps.map(f),
  wallSeconds: steps.map(() => 0),
})

// A synthetic grokking run: loss falls as e^(−t/50), train accuracy jumps at 100, test accuracy at
// 700, the margin turns positive at 60, the energy decays to a floor of 1 after memorization, the
// ReLU pattern stops churning at 300.
const run = [
  series('train_loss', (s) => 3 * Math.exp(-s / 50)),
  series('train_acc', (s) => (s >= 100 ? 1 : 0.1)),
  series('test_acc', (s) => (s >= 700 ? 0.995 : 0.01)),
  series('min_train_margin', (s) => s / 10 - 6),
  series('structural_energy', (s) => 1 + 9 * Math.exp(-s / 100)),
  series('relu_churn', (s) => (s < 300 ? 0.2 : 0.001)),
]

describe('clocks', () => {
  it('reads every clock off synthetic curves', () => {
    const c = computeClocks(run)
    expect(c.T_fit).toBe(290) // 3e^(−t/50) ≤ 0.01 ⇔ t ≥ 285.2, first eval at 290
    expect(c.T_margin).toBe(70)
    expect(c.T_mem).toBe(100)
    expect(c.T_gen).toBe(700)
    expect(c.delay).toBe(600)
    expect(c.ratio).toBe(7)
    expect(c.T_struct).toBe(520) // 9e^(−t/100) ≤ 0.05·(1 + 9e^(−10)) ⇔ t ≥ 519.5
    expect(c.T_freeze).toBe(300)
  })

  it('recomputes when thresholds change', () => {
    const c = computeClocks(run, { epsilon: 0.1, delta: 0.5, accuracy: 0.999 })
    expect(c.T_fit).toBe(180) // 3e^(−t/50) ≤ 0.1 ⇔ t ≥ 170.1
    expect(c.T_struct).toBe(290) // 9e^(−t/100) ≤ 0.5·(1 + …) ⇔ t ≥ 289.0
    expect(c.T_gen).toBeNull()
    expect(c.delay).toBeNull()
  })

  it('has no structural clock without weight decay, and null clocks for missing series', () => {
    const c = computeClocks([series('structural_energy', () => 0)])
    expect(c.T_struct).toBeNull()
    expect(c.T_mem).toBeNull()
    expect(c.T_freeze).toBeNull()
  })

  it('for deep linear nets T_struct also waits for the layers to balance', () => {
    const gap = series('balancedness_gap', (s) => (s < 800 ? 0.5 : 0.01))
    expect(computeClocks([...run, gap]).T_struct).toBe(800)
    expect(computeClocks([...run, series('balancedness_gap', () => 0.5)]).T_struct).toBeNull()
  })

  it('firstStepStaying needs the condition to hold to the end', () => {
    const s = series('x', (t) => (t === 500 ? 1 : t > 300 ? 0 : 1))
    expect(firstStepStaying(s, (v) => v === 0)).toBe(510)
    expect(firstStepStaying(series('y', (t) => (t === 1000 ? 1 : 0)), (v) => v === 0)).toBeNull()
  })
})
