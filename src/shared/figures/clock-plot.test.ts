import { describe, expect, it } from 'vitest'
import { clockPlotMarkers, mapCurve, metricGroups, overlaidCharts, smallMultiples, timeAxisOf, type ClockRun } from './clock-plot'
import { CLOCK_COLORS } from './clocks'

const steps = [0, 100, 1000, 3000]
const run = (runId: number, wd: number, scale = 1): ClockRun => ({
  runId,
  label: `#${runId}`,
  color: runId === 1 ? '#111111' : '#222222',
  config: { wd, lr: 0.003 },
  series: [
    { name: 'train_acc', steps, values: [0, 1, 1, 1] },
    { name: 'test_acc', steps, values: [0, 0, 0.5, 1] },
    { name: 'train_loss', steps, values: [3 * scale, 0.1, 0, 0.001] },
    { name: 'param_norm', steps, values: [10, 9, 8, 7 * scale] },
  ],
  clocks: { T_fit: 100, T_mem: 100, T_gen: 3000, T_struct: null },
})

describe('metricGroups', () => {
  it('pairs train and test of a metric, keeps others alone', () => {
    expect(metricGroups(['test_acc', 'train_acc', 'train_loss', 'test_loss', 'param_norm'])).toEqual([
      { key: 'acc', title: 'accuracy (train, test)', metrics: ['test_acc', 'train_acc'] },
      { key: 'loss', title: 'loss (train, test)', metrics: ['train_loss', 'test_loss'] },
      { key: 'param_norm', title: 'param_norm', metrics: ['param_norm'] },
    ])
  })
})

describe('y axes', () => {
  it('keeps accuracies on [0, 1] and cosines on [−1, 1], linear, whatever the log switch says', () => {
    const withCos: ClockRun = { ...run(1, 1), series: [...run(1, 1).series, { name: 'gm_tangent_cos', steps, values: [0.1, 0.8, -0.2, 0.4] }] }
    const charts = overlaidCharts([withCos], metricGroups(['test_acc', 'train_acc', 'gm_tangent_cos', 'param_norm']), { x: 'step', logY: true })
    expect(charts.map((c) => c.figure.y)).toEqual([
      { label: 'accuracy', scale: 'linear', min: 0, max: 1 },
      { label: 'gm_tangent_cos', scale: 'linear', min: -1, max: 1 },
      { label: 'param_norm', scale: 'log' },
    ])
  })
})

describe('x mapping', () => {
  it('maps each axis and drops what has no place on it', () => {
    const curve = run(1, 1).series[2]
    expect(mapCurve(curve, 'step', { wd: 1, lr: 0.003 }, false)).toEqual({ x: steps, y: [3, 0.1, 0, 0.001] })
    expect(mapCurve(curve, 'log', { wd: 1, lr: 0.003 }, false).x).toEqual([2, 3, Math.log10(3000)])
    const lt = mapCurve(curve, 'lambda-t', { wd: 0.3, lr: 0.003 }, true)
    expect(lt.y).toEqual([3, 0.1, 0.001])
    expect(lt.x[2]).toBeCloseTo(2.7, 10)
    expect(timeAxisOf('log-step')).toBe('log')
  })

  it('maps markers to the axis and keeps the step in the label', () => {
    const m = clockPlotMarkers(run(2, 0.3), 'lambda-t')
    expect(m.map((x) => x.label)).toEqual(['T_fit (step 100)', 'T_mem (step 100)', 'T_gen (step 3,000)'])
    expect(m[2].x).toBeCloseTo(2.7, 10)
    expect(m[2].color).toBe(CLOCK_COLORS.T_gen)
    expect(clockPlotMarkers(run(1, 1), 'step').map((x) => x.x)).toEqual([100, 100, 3000])
  })
})

describe('overlaidCharts', () => {
  it('overlays runs per group in run colours, with each run’s markers', () => {
    const groups = metricGroups(['train_acc', 'test_acc', 'train_loss'])
    const charts = overlaidCharts([run(1, 1), run(2, 0.3)], groups, { x: 'lambda-t', logY: true })
    expect(charts.map((c) => c.id)).toEqual(['overlay:acc', 'overlay:loss'])
    expect(charts[0].figure.y).toEqual({ label: 'accuracy', scale: 'linear', min: 0, max: 1 })
    expect(charts[1].figure.y.scale).toBe('log')
    expect(charts[0].figure.series.map((s) => [s.id, s.color, s.dash])).toEqual([
      ['1:train_acc', '#111111', 'dashed'],
      ['1:test_acc', '#111111', 'solid'],
      ['2:train_acc', '#222222', 'dashed'],
      ['2:test_acc', '#222222', 'solid'],
    ])
    expect(charts[0].xExtent![1]).toBeCloseTo(9, 10)
    expect(charts[0].markerXs.length).toBe(6)
  })

  it('leaves out runs without weight decay on λ·η·t', () => {
    const charts = overlaidCharts([run(1, 1), run(2, 0)], metricGroups(['test_acc']), { x: 'lambda-t', logY: false })
    expect(charts[0].skipped).toEqual([2])
    expect(charts[0].figure.series.map((s) => s.runId)).toEqual([1])
  })
})

describe('smallMultiples', () => {
  it('shares x over the grid and y over each row', () => {
    const rows = smallMultiples([run(1, 1), run(2, 0.3, 2)], metricGroups(['train_loss', 'param_norm']), { x: 'lambda-t', logY: true })
    expect(rows.length).toBe(2)
    expect(rows[0].map((c) => c.runId)).toEqual([1, 2])
    for (const c of rows.flat()) {
      expect(c.figure.x.min).toBe(0)
      expect(c.figure.x.max).toBeCloseTo(9, 10)
    }
    expect(rows[0][0].figure.y).toMatchObject({ scale: 'log', min: 0.001, max: 6 })
    expect(rows[0][1].figure.y).toMatchObject({ min: 0.001, max: 6 })
    expect(rows[1][0].figure.y).toMatchObject({ min: 7, max: 14 })
    expect(rows[0][1].xExtent![1]).toBeCloseTo(2.7, 10)
  })
})
