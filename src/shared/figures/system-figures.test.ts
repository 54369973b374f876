import { describe, expect, it } from 'vitest'
import { LINEAR_PRESETS } from '../../lab/systems/linear-presets'
import { REGRESSION_PRESETS } from '../../lab/systems/regression-presets'
import { runConfigSchema, type RunConfigInput } from '../run-config'
import type { CurveInput } from './builders'
import { seriesColor } from './palette'
import {
  balancednessFigure,
  collapseFigure,
  distanceFromInitFigure,
  energyFloorFigure,
  energyGapFigure,
  flowTime,
  gapFromEnergy,
  largeInitPrediction,
  PREDICTION_LABEL,
  stepAtFlowTime,
  systemCaption,
  systemViewOf,
  transitionFigure,
} from './system-figures'

const preset = (name: string) => runConfigSchema.parse([...LINEAR_PRESETS, ...REGRESSION_PRESETS].find((p) => p.name === name)!.config as RunConfigInput)

const steps = [0, 100, 200, 300]
const deepLinear: CurveInput[] = [
  { name: 'structural_energy', steps, values: [1, 0.5, 0.3, 0.25] },
  { name: 'schatten_floor', steps, values: [0.1, 0.15, 0.2, 0.24] },
  { name: 'balancedness_gap', steps, values: [0.9, 0.3, 0.1, 0.01] },
  { name: 'relative_energy_gap', steps, values: [0.9, 0.7, 0.33, 0.04] },
]

describe('systemViewOf', () => {
  it('gives each linear and regression system its view and the modular models none', () => {
    expect(systemViewOf({ model: 'deep-linear' })).toBe('deep-linear')
    expect(systemViewOf({ model: 'diagonal-linear' })).toBe('large-init')
    expect(systemViewOf({ model: 'matrix-factorization' })).toBe('large-init')
    expect(systemViewOf({ model: 'two-layer-relu' })).toBe('two-phase')
    expect(systemViewOf({ model: 'embed-mlp' })).toBeNull()
    expect(systemViewOf({ model: 'transformer-1l' })).toBeNull()
  })
})

describe('deep linear figures', () => {
  it('draws the energy over its floor on a log axis with T_fit and T_struct', () => {
    const f = energyFloorFigure(deepLinear, { clocks: { T_fit: 100, T_struct: 300, T_mem: 50, T_margin: null } })
    expect(f.y.scale).toBe('log')
    expect(f.series.map((s) => s.id)).toEqual(['structural_energy', 'schatten_floor'])
    expect(f.series[0].values).toBe(deepLinear[0].values)
    expect(f.markers.map((m) => [m.label, m.x])).toEqual([
      ['T_fit', 100],
      ['T_struct', 300],
    ])
    expect(f.markers.every((m) => m.runId === undefined)).toBe(true)
  })

  it('the gap series equals energy − floor at every step, derived when energy_gap is not stored', () => {
    const f = energyGapFigure(deepLinear)
    expect(f.series).toHaveLength(1)
    expect(f.series[0].steps).toEqual(steps)
    const expected = [0.9, 0.35, 0.1, 0.01]
    f.series[0].values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12))
  })

  it('prefers the stored energy_gap and pairs downsampled curves only at shared steps', () => {
    const stored = { name: 'energy_gap', steps, values: [0.8, 0.3, 0.1, 0.02] }
    expect(energyGapFigure([...deepLinear, stored]).series[0].values).toBe(stored.values)
    const gap = gapFromEnergy({ name: 'e', steps: [0, 50, 100], values: [3, 2, 1] }, { name: 'f', steps: [0, 100], values: [1, 0.5] })
    expect(gap.steps).toEqual([0, 100])
    expect(gap.values).toEqual([2, 0.5])
  })

  it('draws δ as a level line over the whole step budget', () => {
    const f = balancednessFigure(deepLinear, { delta: 0.05, xMax: 1000 })
    const delta = f.series.find((s) => s.id === 'delta')!
    expect(delta.values).toEqual([0.05, 0.05])
    expect(delta.steps).toEqual([0, 1000])
    expect(f.series.map((s) => s.name)).toContain('balancedness gap')
  })

  it('moves curves and clocks onto the log-step axis, the clock label keeping its step', () => {
    const f = energyFloorFigure(deepLinear, { x: 'log-step', clocks: { T_struct: 1000 } })
    expect(f.series[0].steps).toEqual([2, Math.log10(200), Math.log10(300)])
    expect(f.markers[0].x).toBe(3)
    expect(f.markers[0].label).toBe('T_struct (step 1,000)')
    // The axis starts at the decade below the first point, not at log₁₀ 1 = 0.
    expect(f.x.min).toBe(2)
  })
})

describe('LD prediction', () => {
  it('flow time with warmup is the sum of the warmed-up learning rates, and stepAtFlowTime inverts it', () => {
    const lr = 0.05
    const W = 500
    let sum = 0
    for (let k = 0; k < 2000; k++) {
      sum += lr * Math.min(1, (k + 1) / W)
      if (k + 1 === 100 || k + 1 === 500 || k + 1 === 2000) expect(flowTime(k + 1, lr, W)).toBeCloseTo(sum, 9)
    }
    for (const step of [10, 400, 500, 1234, 9000]) expect(stepAtFlowTime(flowTime(step, lr, W), lr, W)).toBeCloseTo(step, 6)
    expect(flowTime(300, 0.5, 0)).toBe(150)
  })

  it('puts the marker at (1/λ)·log α in gradient-flow time for ld-diagonal-sparse (α 100, λ 0.01, lr 0.05, warmup 500)', () => {
    const c = preset('ld-diagonal-sparse')
    const p = largeInitPrediction(c)!
    expect(p.time).toBeCloseTo(Math.log(100) / 0.01, 9)
    // t/η + (W − 1)/2 = 9210.3 + 249.5
    expect(p.step).toBe(9460)
    expect(p.exact).toBe(true)
    const f = transitionFigure([{ name: 'test_acc', steps, values: [0, 0.6, 0.6, 0.7] }], c)
    const marker = f.markers.find((m) => m.label === PREDICTION_LABEL)!
    expect(marker.x).toBe(9460)
    expect(f.y).toEqual({ label: 'accuracy', scale: 'linear', min: 0, max: 1 })
    expect(distanceFromInitFigure([], c).markers[0].x).toBe(9460)
    // A prediction just past the budget widens the frame to show it; one far past leaves it.
    expect(transitionFigure([], c, { xMax: 8000 }).x.max).toBe(10000)
    expect(transitionFigure([], c, { xMax: 4000 }).x.max).toBe(4000)
  })

  it('for ld-matrix-completion (α 10, λ 5e-4, lr 0.5, no warmup) the marker is at log(10)/(λ·η) and the metric is the held-out MSE', () => {
    const c = preset('ld-matrix-completion')
    const p = largeInitPrediction(c)!
    expect(p.step).toBe(Math.round(Math.log(10) / (5e-4 * 0.5)))
    const f = transitionFigure(
      [
        { name: 'test_loss', steps, values: [1, 1, 0.9, 0.1] },
        { name: 'train_loss', steps, values: [1, 0.01, 0.001, 0.0001] },
      ],
      c,
      { x: 'log-step' },
    )
    expect(f.y.scale).toBe('log')
    expect(f.series.map((s) => s.name)).toEqual(['held-out MSE (test)', 'observed MSE (train)'])
    expect(f.markers[0].x).toBeCloseTo(Math.log10(9210), 12)
    expect(f.markers[0].label).toBe(`${PREDICTION_LABEL} (step 9,210)`)
  })

  it('predicts nothing without weight decay or with α ≤ 1, and flags optimizers other than plain GD', () => {
    const c = preset('ld-diagonal-sparse')
    expect(largeInitPrediction({ ...c, wd: 0 })).toBeNull()
    expect(largeInitPrediction({ ...c, init_scale: 0.1 })).toBeNull()
    expect(largeInitPrediction({ ...c, optimizer: 'adam' })!.exact).toBe(false)
    expect(transitionFigure([], { ...c, wd: 0 }).markers).toEqual([])
  })
})

describe('two-phase collapse', () => {
  const run = (runId: number, wd: number, lr: number): { runId: number; label: string; config: { wd: number; lr: number }; series: CurveInput[] } => ({
    runId,
    label: `#${runId}`,
    config: { wd, lr },
    series: [{ name: 'param_norm', steps: [0, 100, 200], values: [5, 4, 3] }],
  })

  it('puts each run on λ·η·t, sorted by λ, one colour each, and skips runs without weight decay', () => {
    const { figure, skipped } = collapseFigure([run(3, 0.004, 0.2), run(1, 0.002, 0.2), run(2, 0, 0.2)], 'param_norm')
    expect(skipped).toEqual([2])
    expect(figure.series.map((s) => s.runId)).toEqual([1, 3])
    expect(figure.series[0].steps).toEqual([0, 0.002 * 0.2 * 100, 0.002 * 0.2 * 200])
    expect(figure.series[1].steps[2]).toBeCloseTo(0.004 * 0.2 * 200, 12)
    expect(new Set(figure.series.map((s) => s.color)).size).toBe(2)
    expect(figure.y.scale).toBe('linear')
  })

  it('draws the page’s own run dashed and last, on top of the curves it should collapse with', () => {
    const { figure } = collapseFigure([{ ...run(1, 0.002, 0.2), own: true }, run(3, 0.004, 0.2)], 'param_norm')
    expect(figure.series.map((s) => [s.runId, s.dash])).toEqual([
      [3, 'solid'],
      [1, 'dashed'],
    ])
    // Colours still follow λ, so a run keeps its colour whichever run's page it is seen on.
    expect(figure.series[1].color).toBe(seriesColor(0))
  })
})

describe('captions', () => {
  it('say what each system claims in one line', () => {
    const c = preset('ld-matrix-completion')
    for (const view of ['deep-linear', 'large-init', 'two-phase'] as const) {
      const text = systemCaption(view, c)
      expect(text).not.toContain('\n')
      expect(text.length).toBeGreaterThan(40)
    }
    expect(systemCaption('large-init', c)).toContain('(1/λ)·log α')
  })
})
