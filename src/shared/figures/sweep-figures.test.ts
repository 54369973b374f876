import { describe, expect, it } from 'vitest'
import type { ClockFit, Clocks, Phase, SweepReportRun } from '../analysis-types'
import { buildCollapseFigure, buildPhaseGrid, buildScalingFigure, majorityPhase, reportNumber, slopeText } from './sweep-figures'

const clocks = (T_gen: number | null): Clocks => ({
  thresholds: { epsilon: 0.01, accuracy: 0.99, delta: 0.05, churn: 0.01 },
  T_fit: null, T_margin: null, T_mem: 10, T_gen, T_struct: null, T_freeze: null, delay: null, ratio: null,
})
const run = (runId: number, wd: number, T_gen: number | null, phase: Phase = 'grokked'): SweepReportRun => ({ runId, status: 'completed', point: { wd, seed: 1 }, clocks: clocks(T_gen), phase })

// T_gen = 1000 / λ exactly: slope −1, intercept ln 1000.
const runs = [run(1, 0.5, 2000), run(2, 1, 1000), run(3, 2, 500), run(4, 4, null, 'memorized')]
const fit: ClockFit = {
  clock: 'T_gen', key: 'wd', form: 'power', fixed: {},
  fit: { slope: -1, intercept: Math.log(1000), slopeInterval: [-1.2, -0.8], r2: 1, n: 3 },
  predicted: { value: -1, source: 'T ∝ 1/λ (GF, TC)' }, censored: 1,
}

describe('scaling figure', () => {
  const figure = buildScalingFigure(fit, runs)!

  it('draws the fitted line through the points of an exact power law', () => {
    const line = figure.lines.find((l) => l.id === 'fit')!
    const [[x0, y0], [x1, y1]] = line.points
    const slope = (Math.log(y1) - Math.log(y0)) / (Math.log(x1) - Math.log(x0))
    for (const p of figure.points) {
      const y = Math.exp(Math.log(y0) + slope * (Math.log(p.x) - Math.log(x0)))
      expect(y).toBeCloseTo(p.y, 6)
    }
    expect(figure.x.scale).toBe('log')
    expect(figure.y.scale).toBe('log')
  })

  it('brackets the fit with the band lines away from the centroid', () => {
    const at = (id: string, end: number) => figure.lines.find((l) => l.id === id)!.points[end][1]
    // Right of the centroid the steeper (more negative) slope lies lower; left of it, higher.
    expect(at('band-lo', 1)).toBeLessThan(at('fit', 1))
    expect(at('band-hi', 1)).toBeGreaterThan(at('fit', 1))
    expect(at('band-lo', 0)).toBeGreaterThan(at('fit', 0))
    expect(at('band-hi', 0)).toBeLessThan(at('fit', 0))
    expect(figure.lines.find((l) => l.id === 'predicted')!.dash).toBe('dotted')
  })

  it('puts censored runs at the top edge and spans their x', () => {
    expect(figure.censored).toEqual([{ x: 4, y: expect.any(Number), runId: 4 }])
    expect(figure.censored[0].y).toBeGreaterThan(Math.max(...figure.points.map((p) => p.y)))
    expect(figure.lines[0].points[1][0]).toBeCloseTo(4)
  })

  it('formats the slope as sweep-report does', () => {
    expect(reportNumber(-1)).toBe('-1.00')
    expect(reportNumber(123.4)).toBe('123')
    expect(slopeText(fit)).toBe('slope -1.00 [-1.20, -0.800] (R² 1.00, n 3) — predicted -1.00 (T ∝ 1/λ (GF, TC))')
  })

  it('has no figure without a fit', () => {
    expect(buildScalingFigure({ ...fit, fit: null }, runs)).toBeNull()
  })
})

describe('phase grid', () => {
  it('takes the majority phase over seeds, ties to the later phase', () => {
    expect(majorityPhase({ 'no fit': 0, memorized: 2, grokked: 1, 'generalized without delay': 0 })).toBe('memorized')
    expect(majorityPhase({ 'no fit': 0, memorized: 1, grokked: 1, 'generalized without delay': 0 })).toBe('grokked')
    expect(majorityPhase({ 'no fit': 0, memorized: 0, grokked: 0, 'generalized without delay': 0 })).toBeNull()
  })

  it('lays two keys out as columns and rows', () => {
    const rs = [
      { runId: 1, point: { wd: 1, lr: 0.1 }, phase: 'grokked' as Phase },
      { runId: 2, point: { wd: 1, lr: 0.1 }, phase: 'grokked' as Phase },
      { runId: 3, point: { wd: 1, lr: 0.1 }, phase: 'memorized' as Phase },
      { runId: 4, point: { wd: 2, lr: 0.2 }, phase: 'no fit' as Phase },
    ]
    const grid = buildPhaseGrid([{ key: 'wd', values: [1, 2] }, { key: 'lr', values: [0.1, 0.2] }], rs)!
    expect(grid.cells).toHaveLength(4)
    expect(grid.cells.find((c) => c.row === 0 && c.col === 0)).toMatchObject({ runIds: [1, 2, 3], phase: 'grokked' })
    expect(grid.cells.find((c) => c.row === 1 && c.col === 1)).toMatchObject({ runIds: [4], phase: 'no fit' })
    expect(grid.cells.find((c) => c.row === 0 && c.col === 1)!.phase).toBeNull()
  })

  it('is a one-row strip with one key', () => {
    const grid = buildPhaseGrid([{ key: 'wd', values: [0.5, 1, 2] }], runs)!
    expect(grid.rowKey).toBeNull()
    expect(grid.cells.map((c) => c.runIds)).toEqual([[1], [2], [3]])
  })
})

describe('collapse figure', () => {
  it('puts each run at x = wd·lr·step, one colour per λ', () => {
    const series = (name: string) => [{ name, steps: [0, 100, 200], values: [0, 0.5, 1], downsampled: false }]
    const figure = buildCollapseFigure('test_acc', 'test accuracy', [
      { runId: 1, wd: 0.5, lr: 0.003, series: series('test_acc') },
      { runId: 2, wd: 2, lr: 0.003, series: series('test_acc') },
      { runId: 3, wd: 2, lr: 0.003, series: series('param_norm') },
    ])
    expect(figure.series).toHaveLength(2)
    expect(figure.series[0].steps).toEqual([0, 0.5 * 0.003 * 100, 0.5 * 0.003 * 200])
    expect(figure.series[1].steps[2]).toBeCloseTo(2 * 0.003 * 200)
    expect(figure.series[0].color).not.toBe(figure.series[1].color)
  })
})
