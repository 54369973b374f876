// The figures only print draws with ECharts: weight heatmaps (a raster image under vector axes;
// the page paints them on a canvas, HeatmapCanvas.vue, from the same colour map) and phase maps
// (the page shows the same PhaseGrid as a table of buttons, each opening its runs).
import { num } from '../../format-number'
import { divergingStops } from '../heatmap-data'
import type { HeatmapFigure } from '../heatmap-figure'
import { PHASE_COLORS, PHASE_SHORT, PHASES, type PhaseGrid } from '../sweep-figures'
import { categoryAxis as category, colorBar, plotBox } from './print-frame'
import { INK, pageOption, printAxis, xNameGap, type PrintLook } from './print-look'

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
