// The other figures in print: bars (spectra), grid heatmaps (frequency × step), weight heatmaps
// (a raster image under vector axes), scaling fits and phase maps.
import { num } from '../../../format-number'
import type { BarFigure, GridHeatmapFigure } from '../../fourier-figures'
import { divergingStops } from '../../heatmap-data'
import type { HeatmapFigure } from '../../heatmap-figure'
import { PHASE_COLORS, PHASE_SHORT, PHASES, type PhaseGrid, type ScalingFigure } from '../../sweep-figures'
import { INK, legendOption, legendRoom, pageOption, printAxis, tickText, tickWidth, titleLines, topMargin, bottomMargin, xNameGap, yNameGap, type PrintLook } from './print-look'

function plotBox(look: PrintLook, opts: { yMin: number; yMax: number; legend: string[]; colorBar?: boolean; categoryY?: string[] }) {
  const fs = look.style.fontSize
  const room = legendRoom(look, opts.legend)
  const yGap = yNameGap(look, opts.categoryY ? Math.max(1, ...opts.categoryY.map((s) => s.length)) * fs * 0.62 : tickWidth(look, opts.yMin, opts.yMax))
  return {
    yGap,
    // outerBoundsMode none: ECharts 6 would otherwise move the plot to fit labels, and the
    // heatmap raster is placed at these exact margins.
    grid: { left: yGap + fs * 0.8, right: fs * 2 + room.right + (opts.colorBar ? fs * 5 : 0), top: topMargin(look, opts.legend.length > 0 && look.style.legend !== 'none', titleLines(look)), bottom: bottomMargin(look) + room.bottom, outerBoundsMode: 'none' as const },
  }
}

const category = (look: PrintLook, name: string, data: string[], nameGap: number, showEvery = true) => ({
  ...printAxis(look, { name, log: false, nameGap }),
  type: 'category' as const,
  data,
  scale: false,
  axisLabel: { ...printAxis(look, { name, log: false, nameGap }).axisLabel, formatter: undefined, interval: showEvery ? 0 : 'auto', hideOverlap: true },
  splitLine: { show: false },
})

/** Bars, key ones labelled above. */
export function barOption(figure: BarFigure, look: PrintLook) {
  const { style } = look
  const max = Math.max(0, ...figure.bars.map((b) => b.value))
  const { grid, yGap } = plotBox(look, { yMin: 0, yMax: max, legend: [] })
  const dense = figure.bars.length > 40
  return {
    ...pageOption(look),
    grid,
    xAxis: category(look, style.xLabel ?? figure.x.label, figure.bars.map((b) => b.category), xNameGap(look), false),
    yAxis: printAxis(look, { name: style.yLabel ?? figure.y.label, log: style.logY ?? figure.y.scale === 'log', min: figure.y.min, max: figure.y.max, nameGap: yGap }),
    series: [
      {
        type: 'bar',
        barCategoryGap: dense ? '10%' : '25%',
        data: figure.bars.map((b) => ({
          value: b.value,
          itemStyle: { color: b.color },
          label: b.label ? { show: true, position: 'top', formatter: b.label, color: INK.text, fontSize: style.fontSize * 0.8, fontFamily: style.fontFamily } : { show: false },
        })),
      },
    ],
  }
}

function colorBar(look: PrintLook, min: number, max: number, colors: string[], height: number) {
  const fs = look.style.fontSize
  return {
    type: 'continuous',
    min,
    max,
    calculable: false,
    right: fs * 0.5,
    top: 'middle',
    itemWidth: fs * 1.1,
    itemHeight: Math.max(30, height),
    inRange: { color: colors },
    text: [tickText(look.style, max), tickText(look.style, min)],
    textGap: fs * 0.4,
    textStyle: { color: INK.text, fontSize: fs * 0.85, fontFamily: look.style.fontFamily },
  }
}

/** Cells coloured on [min, max] with a colour bar; the marked column as a dashed line. */
export function gridHeatmapOption(figure: GridHeatmapFigure, look: PrintLook) {
  const { style } = look
  const rows = figure.rows.values.map(String)
  const { grid, yGap } = plotBox(look, { yMin: 0, yMax: 0, legend: [], colorBar: true, categoryY: rows })
  const data: [number, number, number][] = []
  figure.cells.forEach((row, r) => row.forEach((v, c) => data.push([c, r, v])))
  const plotH = look.height - grid.top - grid.bottom
  return {
    ...pageOption(look),
    grid,
    xAxis: { ...category(look, style.xLabel ?? figure.columns.label, figure.columns.values.map((v) => num(v)), xNameGap(look), false) },
    yAxis: { ...category(look, style.yLabel ?? figure.rows.label, rows, yGap, false) },
    visualMap: colorBar(look, figure.min, figure.max, figure.colors, plotH * 0.8),
    series: [{ type: 'heatmap', data, progressive: 0 }],
  }
}

/**
 * A weight matrix: the cells are a raster image (`image`, one pixel or more per cell, painted by
 * the caller with heatmap-data's map) placed exactly on the plot area, under vector axes whose
 * ranges are the cell edges; SVG with 65k rects would be megabytes and slow to open.
 */
export function heatmapOption(figure: HeatmapFigure, look: PrintLook, image: string) {
  const { style } = look
  const { grid, yGap } = plotBox(look, { yMin: figure.rows, yMax: figure.rows, legend: [], colorBar: true })
  const plotW = look.width - grid.left - grid.right
  const plotH = look.height - grid.top - grid.bottom
  return {
    ...pageOption(look),
    grid,
    xAxis: { ...printAxis(look, { name: style.xLabel ?? figure.colLabel, log: false, min: 0, max: figure.cols, nameGap: xNameGap(look) }), scale: false },
    yAxis: { ...printAxis(look, { name: style.yLabel ?? figure.rowLabel, log: false, min: 0, max: figure.rows, nameGap: yGap, inverse: true }), scale: false },
    visualMap: { ...colorBar(look, figure.scale.min, figure.scale.max, divergingStops(), plotH * 0.8), seriesIndex: 0 },
    graphic: [{ type: 'image', left: grid.left, top: grid.top, z: -1, silent: true, style: { image, x: 0, y: 0, width: plotW, height: plotH } }],
    series: [{ type: 'scatter', data: [], silent: true }],
  }
}

/** A clock against a swept key: fired runs as dots, censored ones hollow at the top, fit lines. */
export function scalingOption(figure: ScalingFigure, look: PrintLook) {
  const { style } = look
  const names = [...figure.lines.map((l) => l.name), 'runs', ...(figure.censored.length ? ['never fired'] : [])]
  const ys = [...figure.points.map((p) => p.y), ...figure.lines.flatMap((l) => l.points.map((q) => q[1]))]
  const { grid, yGap } = plotBox(look, { yMin: Math.min(...ys), yMax: Math.max(...ys), legend: names })
  return {
    ...pageOption(look),
    grid,
    legend: { ...legendOption(look, names, grid), icon: undefined, data: names.map((name) => ({ name, icon: name === 'runs' || name === 'never fired' ? 'circle' : undefined })) },
    xAxis: printAxis(look, { name: style.xLabel ?? figure.x.label, log: style.logX ?? figure.x.scale === 'log', min: figure.x.min, max: figure.x.max, nameGap: xNameGap(look) }),
    yAxis: printAxis(look, { name: style.yLabel ?? figure.y.label, log: style.logY ?? figure.y.scale === 'log', min: figure.y.min, max: figure.y.max, nameGap: yGap }),
    series: [
      ...figure.lines.map((l) => ({ type: 'line', name: l.name, data: l.points, symbol: 'none', lineStyle: { color: l.color, width: l.id === 'fit' ? style.lineWidth * 1.3 : style.lineWidth, type: l.dash }, itemStyle: { color: l.color } })),
      { type: 'scatter', name: 'runs', symbolSize: style.fontSize * 0.7, itemStyle: { color: INK.text }, data: figure.points.map((p) => [p.x, p.y]) },
      { type: 'scatter', name: 'never fired', symbolSize: style.fontSize * 0.8, itemStyle: { color: 'transparent', borderColor: INK.muted, borderWidth: 1 }, data: figure.censored.map((p) => [p.x, p.y]) },
    ],
  }
}

const PHASE_LABEL: Record<string, string> = { 'no fit': 'no fit', memorized: 'memorized', grokked: 'grokked', 'generalized without delay': 'no delay' }

/** The phase map: a cell per grid point, coloured and labelled by its runs' majority phase. */
export function phaseOption(grid: PhaseGrid, look: PrintLook) {
  const { style } = look
  const rows = grid.rows.map((r) => (grid.rowKey ? num(r) : ''))
  const box = plotBox(look, { yMin: 0, yMax: 0, legend: [], categoryY: rows })
  if (style.legend !== 'none') box.grid.right += Math.max(...PHASES.map((p) => PHASE_LABEL[p].length)) * style.fontSize * 0.55 + style.fontSize * 2
  const data = grid.cells.filter((c) => c.phase).map((c) => ({ value: [c.col, c.row, PHASES.indexOf(c.phase!)], label: { formatter: `${PHASE_SHORT[c.phase!]}${c.runIds.length > 1 ? ` ×${c.runIds.length}` : ''}` } }))
  return {
    ...pageOption(look),
    grid: box.grid,
    xAxis: category(look, style.xLabel ?? grid.colKey, grid.cols.map((c) => num(c)), xNameGap(look)),
    yAxis: category(look, style.yLabel ?? grid.rowKey ?? '', rows, box.yGap),
    visualMap: {
      type: 'piecewise',
      categories: PHASES.map((_, i) => i),
      pieces: PHASES.map((p, i) => ({ value: i, label: PHASE_LABEL[p], color: PHASE_COLORS[p] })),
      // Beside the map: four phases in a row would not fit a column's width.
      orient: 'vertical',
      right: style.fontSize * 0.4,
      top: 'middle',
      show: style.legend !== 'none',
      itemWidth: style.fontSize,
      itemHeight: style.fontSize,
      textStyle: { color: INK.text, fontSize: style.fontSize * 0.9, fontFamily: style.fontFamily },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: true, color: '#ffffff', fontSize: style.fontSize * 0.85, fontFamily: style.fontFamily },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
      },
    ],
  }
}
