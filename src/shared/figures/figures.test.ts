import { describe, expect, it } from 'vitest'
import { accuracyFigure, clockMarkers, compareFigure, CLOCK_COLORS, drawable, firstStepAtLeast, lossFigure, OKABE_ITO, seriesColor, SERIES_COLORS, SPLIT_COLORS, yExtent, type CurveInput } from './index'

const steps = [0, 10, 20, 30]
const curves: CurveInput[] = [
  { name: 'train_loss', steps, values: [4, 1, 0.01, 0] },
  { name: 'test_loss', steps, values: [4, 5, 3, 0.1] },
  { name: 'train_acc', steps, values: [0, 0.5, 1, 1] },
  { name: 'test_acc', steps, values: [0, 0, 0.5, 0.995] },
  { name: 'param_norm', steps, values: [9, 8, 7, 6] },
]
const clocks = { T_fit: 20, T_margin: null, T_mem: 20, T_gen: 30, T_struct: null, T_freeze: null }

describe('palette', () => {
  it('uses only Okabe–Ito colours and never black for curves', () => {
    const allowed = new Set<string>(Object.values(OKABE_ITO))
    for (const c of SERIES_COLORS) expect(allowed.has(c)).toBe(true)
    expect(SERIES_COLORS).not.toContain(OKABE_ITO.black)
    expect(new Set(SERIES_COLORS).size).toBe(SERIES_COLORS.length)
  })

  it('cycles past the end of the palette', () => {
    expect(seriesColor(0)).toBe(SERIES_COLORS[0])
    expect(seriesColor(SERIES_COLORS.length)).toBe(SERIES_COLORS[0])
    expect(seriesColor(-1)).toBe(SERIES_COLORS[SERIES_COLORS.length - 1])
  })
})

describe('lossFigure', () => {
  it('draws train and test loss on a log axis with the fired clocks', () => {
    const fig = lossFigure(curves, clocks, { runId: 3 })
    expect(fig.y.scale).toBe('log')
    expect(fig.x).toMatchObject({ label: 'step', scale: 'linear' })
    expect(fig.series.map((s) => [s.id, s.name, s.color, s.runId])).toEqual([
      ['train_loss', 'train', SPLIT_COLORS.train, 3],
      ['test_loss', 'test', SPLIT_COLORS.test, 3],
    ])
    expect(fig.markers.map((m) => [m.label, m.x])).toEqual([
      ['T_fit', 20],
      ['T_mem', 20],
      ['T_gen', 30],
    ])
    expect(fig.markers.find((m) => m.label === 'T_gen')?.color).toBe(CLOCK_COLORS.T_gen)
  })

  it('shares the caller’s arrays so live curves can grow in place', () => {
    const fig = lossFigure(curves)
    expect(fig.series[0].steps).toBe(curves[0].steps)
    expect(fig.series[0].values).toBe(curves[0].values)
    expect(fig.markers).toEqual([])
  })

  it('leaves out metrics the run does not record', () => {
    expect(lossFigure([curves[1]]).series.map((s) => s.name)).toEqual(['test'])
  })

  it('is plain data that survives JSON', () => {
    const fig = lossFigure(curves, clocks)
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig)
  })
})

describe('accuracyFigure', () => {
  it('fixes the y axis to [0, 1] and can mark a subset of clocks', () => {
    const fig = accuracyFigure(curves, clocks, { clockNames: ['T_mem', 'T_gen'] })
    expect(fig.y).toEqual({ label: 'accuracy', scale: 'linear', min: 0, max: 1 })
    expect(fig.series.map((s) => s.id)).toEqual(['train_acc', 'test_acc'])
    expect(fig.x.max).toBeUndefined()
    expect(accuracyFigure(curves, null, { xMax: 3000 }).x).toEqual({ label: 'step', scale: 'linear', min: 0, max: 3000 })
    expect(fig.markers.map((m) => m.label)).toEqual(['T_mem', 'T_gen'])
  })
})

describe('compareFigure', () => {
  const runs = [
    { runId: 1, label: '#1 λ=1', series: curves, clocks },
    { runId: 2, label: '#2 λ=0', series: curves.slice(2), clocks: { T_mem: 20, T_gen: null } },
  ]

  it('gives each run one colour, test solid and train dashed', () => {
    const fig = compareFigure(runs, 'accuracy')
    expect(fig.series.map((s) => [s.id, s.color, s.dash])).toEqual([
      ['1:test_acc', SERIES_COLORS[0], 'solid'],
      ['1:train_acc', SERIES_COLORS[0], 'dashed'],
      ['2:test_acc', SERIES_COLORS[1], 'solid'],
      ['2:train_acc', SERIES_COLORS[1], 'dashed'],
    ])
    expect(fig.series[0].name).toBe('#1 λ=1 test')
    // One legend entry per run: it shows and hides the run's train and test curves together.
    expect(new Set(fig.series.map((s) => s.legend))).toEqual(new Set(['#1 λ=1', '#2 λ=0']))
    expect(new Set(fig.series.map((s) => s.id)).size).toBe(fig.series.length)
  })

  it('marks each run’s T_mem and T_gen in the run’s colour', () => {
    const fig = compareFigure(runs, 'loss', { splits: ['test'] })
    expect(fig.y.scale).toBe('log')
    expect(fig.markers).toEqual([
      { x: 20, label: 'T_mem #1', color: SERIES_COLORS[0], dash: 'dotted', runId: 1 },
      { x: 30, label: 'T_gen #1', color: SERIES_COLORS[0], dash: 'dashed', runId: 1 },
      { x: 20, label: 'T_mem #2', color: SERIES_COLORS[1], dash: 'dotted', runId: 2 },
    ])
  })
})

describe('helpers', () => {
  it('clockMarkers skips clocks that have not fired', () => {
    expect(clockMarkers(null)).toEqual([])
    expect(clockMarkers({ T_gen: null, T_mem: 5 }).map((m) => m.label)).toEqual(['T_mem'])
  })

  it('firstStepAtLeast finds the live T_mem / T_gen', () => {
    expect(firstStepAtLeast(steps, [0, 0.98, 0.99, 1], 0.99)).toBe(20)
    expect(firstStepAtLeast(steps, [0, 0, 0, 0], 0.99)).toBeNull()
  })

  it('treats non-positive values as gaps on a log axis', () => {
    expect(drawable(0, 'log')).toBe(false)
    expect(drawable(0, 'linear')).toBe(true)
    expect(drawable(Number.NaN, 'linear')).toBe(false)
    expect(yExtent(lossFigure(curves))).toEqual({ min: 0.01, max: 5 })
    expect(yExtent(lossFigure([]))).toBeNull()
  })
})
