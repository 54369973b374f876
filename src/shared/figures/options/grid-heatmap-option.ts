// A frequency × step map (or any category grid) as an ECharts option in either look: cells
// coloured on [min, max] with a colour bar; on the page the marked column is a dashed line.
import { num } from '../../format-number'
import type { GridHeatmapFigure } from '../fourier-figures'
import type { ChartLook, ScreenLook } from './chart-look'
import { categoryAxis, colorBar, plotBox } from './print-frame'
import { pageOption, xNameGap, type PrintLook } from './print-look'
import { screenPage, themedAxis, themedTooltip } from './screen-look'

/** The cells as [column, row, value], the heatmap series' data. */
function cellData(figure: GridHeatmapFigure): [number, number, number][] {
  const data: [number, number, number][] = []
  figure.cells.forEach((row, r) => row.forEach((v, c) => data.push([c, r, v])))
  return data
}

function screenGrid(figure: GridHeatmapFigure, { theme, height = 300 }: ScreenLook) {
  const cols = figure.columns.values.map(String)
  const rows = figure.rows.values.map(String)
  const markIndex = figure.markColumn === undefined ? -1 : figure.columns.values.indexOf(figure.markColumn)
  return {
    ...screenPage(theme),
    grid: { left: 52, right: 70, top: 12, bottom: 44 },
    tooltip: {
      ...themedTooltip(theme),
      trigger: 'item' as const,
      formatter: (p: unknown) => {
        const v = (p as { value?: unknown }).value
        if (!Array.isArray(v) || v.length < 3) return ''
        return `${figure.columns.label} ${num(figure.columns.values[v[0] as number])}<br>${figure.rows.label} ${figure.rows.values[v[1] as number]}: <b>${num(v[2] as number, 3)}</b>`
      },
    },
    xAxis: { ...themedAxis(theme, figure.columns.label, 28), type: 'category' as const, data: cols, splitLine: { show: false }, axisLabel: { color: theme.muted, formatter: (v: string) => num(Number(v)) } },
    yAxis: { ...themedAxis(theme, figure.rows.label, 34), type: 'category' as const, data: rows, splitLine: { show: false } },
    visualMap: {
      type: 'continuous' as const,
      seriesIndex: 0,
      min: figure.min,
      max: figure.max,
      calculable: false,
      right: 4,
      top: 'middle',
      itemHeight: Math.max(60, height - 90),
      inRange: { color: figure.colors },
      textStyle: { color: theme.muted },
      formatter: (v: unknown) => num(v as number, 2),
    },
    series: [
      { type: 'heatmap' as const, data: cellData(figure), progressive: 0, emphasis: { itemStyle: { borderColor: theme.text, borderWidth: 1 } } },
      // The current step as a line over the grid, drawn in the grid's own category coordinates.
      ...(markIndex >= 0
        ? [{ type: 'line' as const, data: [[markIndex, 0], [markIndex, rows.length - 1]], symbol: 'none', silent: true, lineStyle: { color: theme.text, width: 2, type: 'dashed' as const }, tooltip: { show: false } }]
        : []),
    ],
  }
}

function printGrid(figure: GridHeatmapFigure, look: PrintLook) {
  const { style } = look
  const rows = figure.rows.values.map(String)
  const { grid, yGap } = plotBox(look, { yMin: 0, yMax: 0, legend: [], colorBar: true, categoryY: rows })
  const plotH = look.height - grid.top - grid.bottom
  return {
    ...pageOption(look),
    grid,
    xAxis: { ...categoryAxis(look, style.xLabel ?? figure.columns.label, figure.columns.values.map((v) => num(v)), xNameGap(look), false) },
    yAxis: { ...categoryAxis(look, style.yLabel ?? figure.rows.label, rows, yGap, false) },
    visualMap: colorBar(look, figure.min, figure.max, figure.colors, plotH * 0.8),
    series: [{ type: 'heatmap', data: cellData(figure), progressive: 0 }],
  }
}

/** The ECharts option of a grid heatmap in `look` (the page's colour bar is as long as `look.height` allows). */
export function gridHeatmapOption(figure: GridHeatmapFigure, look: ChartLook) {
  return look.kind === 'screen' ? screenGrid(figure, look) : printGrid(figure, look)
}
