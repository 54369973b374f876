import { describe, expect, it } from 'vitest'
import { BUILTIN_STYLES, type FigureStyle } from '../export/figure-style'
import { circleFigure, spectrumFigure, frequencyStepsFigure } from '../fourier-figures'
import type { LineFigure } from '../line-figure'
import { barOption } from './bar-option'
import { screenLook } from './chart-look'
import { gridHeatmapOption } from './grid-heatmap-option'
import { markerLabels } from '../marker-labels'
import { CURVE_ZLEVEL, lineOption } from './line-option'
import { legendRows, printLook } from './print-look'
import { scatterOption } from './scatter-option'

const theme = { text: '#eee', muted: '#999', line: '#333', panel: '#111' }
const style: FigureStyle = { ...BUILTIN_STYLES['one-column'], lineWidth: 1.25 }
const screen = screenLook(theme, 300)

function curves(): LineFigure {
  return {
    title: 'accuracy',
    x: { label: 'step', scale: 'linear', min: 0 },
    y: { label: 'loss', scale: 'log' },
    series: [
      { id: 'train', name: 'train', steps: [0, 10, 20], values: [1, 0, 0.1], color: '#56B4E9', dash: 'dashed' },
      { id: 'test', name: 'test', steps: [0, 10, 20], values: [2, 1, 0.5], color: '#E69F00' },
    ],
    markers: [
      { x: 10, label: 'T_mem', color: '#56B4E9' },
      { x: 10, label: 'T_fit', color: '#009E73' },
      { x: 20, label: 'T_gen', color: '#E69F00', dash: 'dotted' },
    ],
  }
}

type Series = { id: string; data?: unknown[]; lineStyle?: { width: number; type: string }; zlevel?: number; markLine?: { data: { xAxis: number; label: { show: boolean; formatter: string } }[] } }

describe('one option builder, two looks', () => {
  it('draws the same curves, dashes and marker labels on the page and in print', () => {
    const f = curves()
    const page = lineOption(f, screen) as unknown as { series: Series[]; tooltip?: unknown; dataZoom?: unknown }
    const print = lineOption(f, printLook({ kind: 'line', figure: f }, style)) as unknown as { series: Series[]; tooltip?: unknown; dataZoom?: unknown }
    const curvesOf = (o: { series: Series[] }) => o.series.filter((s) => !s.markLine).map((s) => ({ data: s.data, dash: s.lineStyle?.type }))
    expect(curvesOf(page)).toEqual(curvesOf(print))
    // A value a log axis cannot draw is a gap in both.
    expect(curvesOf(page)[0].data).toEqual([[0, 1], [10, null], [20, 0.1]])
    // The page draws its markers over the chart (ChartMarkers.vue) from the same labels print's markLines show.
    expect(page.series.some((s) => s.markLine)).toBe(false)
    const printed = print.series.find((s) => s.markLine)!.markLine!.data.map((d) => [d.xAxis, d.label.show, d.label.formatter])
    expect(printed).toEqual([[10, true, 'T_mem · T_fit 10'], [10, false, 'T_mem · T_fit 10'], [20, true, 'T_gen 20']])
    expect(markerLabels(f).map((l) => [l.m.x, l.first, l.text])).toEqual(printed)
  })

  it('gives the page its interaction and live layer, and print the style’s widths and none of it', () => {
    const f = curves()
    const page = lineOption(f, screen) as unknown as { series: Series[]; tooltip?: unknown; dataZoom?: unknown }
    const print = lineOption(f, printLook({ kind: 'line', figure: f }, style)) as unknown as { series: Series[]; tooltip?: unknown; dataZoom?: unknown; textStyle: { fontFamily: string } }
    expect(page.tooltip).toBeDefined()
    expect(page.dataZoom).toBeDefined()
    expect(page.series[0].zlevel).toBe(CURVE_ZLEVEL)
    expect(print.tooltip).toBeUndefined()
    expect(print.dataZoom).toBeUndefined()
    expect(print.series[0].zlevel).toBeUndefined()
    expect(print.series[0].lineStyle!.width).toBe(1.25)
    expect(print.textStyle.fontFamily).toBe(style.fontFamily)
  })

  it('builds bars and grid heatmaps from one description in both looks', () => {
    const bars = spectrumFigure({ p: 7, frequencies: [1, 2, 3], share: [0.2, 0.7, 0.1], keyFrequencies: [2] } as never, 'spectrum')
    type Bars = { series: { data: { value: number; itemStyle: { color: string }; label: { show: boolean; formatter?: string } }[] }[]; tooltip?: unknown }
    const page = barOption(bars, screen) as unknown as Bars
    const print = barOption(bars, printLook({ kind: 'bar', figure: bars }, style)) as unknown as Bars
    const data = (o: Bars) => o.series[0].data.map((d) => [d.value, d.itemStyle.color, d.label.show, d.label.formatter])
    expect(data(page)).toEqual(data(print))
    expect(data(page)[1]).toEqual([0.7, bars.bars[1].color, true, '2'])
    expect(page.tooltip).toBeDefined()
    expect(print.tooltip).toBeUndefined()

    const grid = frequencyStepsFigure({ steps: [0, 100], frequencies: [1, 2], share: [[0.5, 0.1], [0.5, 0.9]] }, 'share', 100)
    type Grid = { series: { type: string; data: unknown[] }[]; visualMap: { min: number; max: number } }
    const gridPage = gridHeatmapOption(grid, screen) as unknown as Grid
    const gridPrint = gridHeatmapOption(grid, printLook({ kind: 'grid-heatmap', figure: grid }, style)) as unknown as Grid
    expect(gridPage.series[0].data).toEqual(gridPrint.series[0].data)
    expect([gridPrint.visualMap.min, gridPrint.visualMap.max]).toEqual([0, 0.9])
    // The page marks the current step; print leaves the column line out.
    expect(gridPage.series.map((s) => s.type)).toEqual(['heatmap', 'line'])
    expect(gridPrint.series.map((s) => s.type)).toEqual(['heatmap'])
  })

  it('keeps an equal-aspect scatter square in print, at any page shape', () => {
    const plane = { k: 1, x: [1, 0, -1, 0], y: [0, 1, 0, -1] }
    const f = circleFigure(plane as never, 4)
    for (const [width, height] of [[120, 60], [60, 90]]) {
      const look = printLook({ kind: 'scatter', figure: f }, { ...style, width, height })
      const o = scatterOption(f, look) as unknown as { grid: { left: number; right: number; top: number; bottom: number }; series: { data: { value: number[] }[] }[] }
      const w = look.width - o.grid.left - o.grid.right
      const h = look.height - o.grid.top - o.grid.bottom
      expect(Math.abs(w - h)).toBeLessThan(1e-6)
      expect(o.series[0].data.map((d) => d.value)).toEqual([[1, 0], [0, 1], [-1, 0], [0, -1]])
    }
  })

  it('counts the rows a top legend wraps to across the page', () => {
    const look = printLook({ kind: 'line', figure: curves() }, style)
    expect(legendRows(look, ['train', 'test'])).toBe(1)
    expect(legendRows(look, ['balancedness gap', '(E − floor) / E', 'δ = 0.05 (T_struct: balancedness ≤ δ)'])).toBe(2)
  })
})
