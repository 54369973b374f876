// Line figures (and grids of them) as ECharts options, in either look: the curves and their dashes
// come from one description by the same code; the page adds its theme, tooltip, zoom and
// live-update layout, print its style and the clock markers. The page draws its markers over the
// chart itself (ChartMarkers.vue, from the same markerLabels): a marker added in ECharts is a
// whole redraw of the chart, tens of ms in the middle of a live run.
import { num } from '../../format-number'
import { markerLabels } from '../marker-labels'
import { drawable, yExtent, type FigureAxis, type FigureSeries, type LineDash, type LineFigure } from '../line-figure'
import type { ChartLook, ChartTheme, ScreenLook } from './chart-look'
import { INK, inkOf, legendOption, legendRoom, legendRows, pageOption, printAxis, tickWidth, titleLines, topMargin, bottomMargin, xNameGap, yNameGap, type PrintLook } from './print-look'
import { escapeHtml } from './screen-look'

/** One point as ECharts takes it; y is null where the scale cannot draw it (≤ 0 on a log axis). */
export type Point = [number, number | null]

/** The page's plot area inset in px, for reading the visible window off the grid. */
export const GRID_LEFT = 64
export const GRID_RIGHT = 18
export const GRID_TOP = 34
export const GRID_BOTTOM = 40
/** The page's canvas layer of the curves: above the axes, labels and markers, so a live append repaints only it. */
export const CURVE_ZLEVEL = 1
// A scrolling legend lays out its pager on every update; a few entries fit on one line without it.
const PLAIN_LEGEND_MAX = 4

const DASH: Record<LineDash, 'solid' | 'dashed' | 'dotted'> = { solid: 'solid', dashed: 'dashed', dotted: 'dotted' }

/** Every point of a series as [x, y]; y is null where `scale` cannot draw it. */
export function seriesPoints(s: FigureSeries, scale: FigureAxis['scale']): Point[] {
  const n = Math.min(s.steps.length, s.values.length)
  const out: Point[] = new Array(n)
  for (let i = 0; i < n; i++) out[i] = [s.steps[i], drawable(s.values[i], scale) ? s.values[i] : null]
  return out
}

/** What both looks give a curve: its id, legend name, data, colour and dash. */
function curve(s: FigureSeries, id: string, data: Point[], width: number) {
  return {
    id,
    name: s.legend ?? s.name,
    type: 'line' as const,
    data,
    showSymbol: false,
    connectNulls: false,
    lineStyle: { color: s.color, width, type: DASH[s.dash ?? 'solid'] },
    itemStyle: { color: s.color },
  }
}

// ---- The page ----

function screenAxis(a: FigureAxis, theme: ChartTheme, position: 'x' | 'y') {
  return {
    type: a.scale === 'log' ? ('log' as const) : ('value' as const),
    name: a.label,
    nameLocation: 'middle' as const,
    nameGap: position === 'x' ? 26 : 46,
    nameTextStyle: { color: theme.muted },
    min: a.min,
    max: a.max,
    logBase: 10,
    axisLine: { lineStyle: { color: theme.line } },
    axisTick: { lineStyle: { color: theme.line } },
    axisLabel: { color: theme.muted, formatter: (v: number) => num(v, 2) },
    splitLine: { lineStyle: { color: theme.line, opacity: position === 'y' ? 0.6 : 0.35 } },
  }
}

interface TooltipParam {
  seriesName?: string
  seriesId?: string
  marker?: unknown
  value?: unknown
}

/** The tooltip: the x value (a step on the step axis), then each curve's full name (not its legend group) and value. */
function tooltipText(names: Map<string, string>, xLabel: string) {
  return (params: unknown): string => {
    const list = (Array.isArray(params) ? params : [params]) as TooltipParam[]
    const rows = list.filter((p) => Array.isArray(p.value))
    if (rows.length === 0) return ''
    const step = (rows[0].value as Point)[0]
    const lines = rows.map((p) => {
      const name = names.get(p.seriesId ?? '') ?? p.seriesName ?? ''
      return `${typeof p.marker === 'string' ? p.marker : ''}${escapeHtml(name)} <b>${num((p.value as Point)[1], 4)}</b>`
    })
    return [`${escapeHtml(xLabel)} ${num(step, 4)}`, ...lines].join('<br>')
  }
}

function screenLine(figure: LineFigure, { theme }: ScreenLook, data: (s: FigureSeries) => Point[]) {
  const legend = [...new Set(figure.series.map((s) => s.legend ?? s.name))]
  return {
    animation: false,
    textStyle: { color: theme.text, fontFamily: 'inherit' },
    // The plot area is exactly these insets: ECharts' default ('auto') would first lay out every
    // axis label to shrink the grid to fit, a second axis build on each update, and the insets
    // would no longer say where the plot area is.
    grid: { left: GRID_LEFT, right: GRID_RIGHT, top: GRID_TOP, bottom: GRID_BOTTOM, outerBoundsMode: 'none' as const },
    legend: { top: 4, left: 60, data: legend, textStyle: { color: theme.text }, inactiveColor: theme.line, type: legend.length > PLAIN_LEGEND_MAX ? ('scroll' as const) : ('plain' as const), pageTextStyle: { color: theme.muted } },
    tooltip: {
      trigger: 'axis' as const,
      // Inside the chart's own element: otherwise every redraw asks the browser for the element's
      // computed position, a forced style recalculation per update.
      appendTo: <T>(dom: T) => dom,
      backgroundColor: theme.panel,
      borderColor: theme.line,
      textStyle: { color: theme.text, fontSize: 12 },
      axisPointer: { type: 'line' as const, lineStyle: { color: theme.muted } },
      formatter: tooltipText(new Map(figure.series.map((s) => [s.id, s.name])), figure.x.label),
    },
    dataZoom: [{ type: 'inside' as const, xAxisIndex: 0, filterMode: 'none' as const }],
    xAxis: screenAxis(figure.x, theme, 'x'),
    yAxis: screenAxis(figure.y, theme, 'y'),
    series: figure.series.map((s) => ({ ...curve(s, s.id, data(s), 1.6), zlevel: CURVE_ZLEVEL, symbol: 'circle', symbolSize: 4, emphasis: { focus: 'series' as const } })),
  }
}

// ---- Print ----

const legendNames = (figures: LineFigure[]) => [...new Set(figures.flatMap((f) => f.series.map((s) => s.legend ?? s.name)))]

/** Labels run along their lines: in a short plot they get smaller rather than cross the axis. */
function printMarkers(figure: LineFigure, look: PrintLook, room: number) {
  const fs = look.style.fontSize
  const labels = markerLabels(figure)
  const { lo, hi } = xRange(figure)
  const longest = Math.max(1, ...labels.filter((l) => l.first).map((l) => l.text.length))
  const labelSize = Math.max(fs * 0.5, Math.min(fs * 0.8, room / (longest * 0.6)))
  const data = labels.map(({ m, first, text, even }) => ({
    xAxis: m.x,
    name: m.label,
    lineStyle: { color: m.color, type: DASH[m.dash ?? 'dashed'], width: Math.max(0.5, look.style.lineWidth * 0.8) },
    label: {
      show: first,
      // Near the left edge a label left of its line would cover the y tick labels.
      position: even && m.x - lo > 0.12 * (hi - lo) ? ('insideEndTop' as const) : ('insideEndBottom' as const),
      formatter: text,
      color: inkOf(m.color),
      fontSize: labelSize,
      fontFamily: look.style.fontFamily,
      textBorderColor: INK.halo,
      textBorderWidth: 2,
    },
  }))
  return { symbol: ['none', 'none'], silent: true, animation: false, data }
}

/** The x range the chart spans: its fixed bounds, else its data and markers. */
function xRange(figure: LineFigure): { lo: number; hi: number } {
  let lo = figure.x.min ?? Infinity
  let hi = figure.x.max ?? -Infinity
  if (figure.x.min === undefined || figure.x.max === undefined) {
    for (const x of [...figure.series.flatMap((s) => s.steps), ...figure.markers.map((m) => m.x)]) {
      if (figure.x.min === undefined) lo = Math.min(lo, x)
      if (figure.x.max === undefined) hi = Math.max(hi, x)
    }
  }
  return lo < hi ? { lo, hi } : { lo: 0, hi: 1 }
}

interface Box {
  left: number
  top: number
  width: number
  height: number
}

function panelParts(figure: LineFigure, look: PrintLook, index: number, box: Box, names: { x: boolean; y: boolean }) {
  const { style } = look
  const logX = style.logX ?? figure.x.scale === 'log'
  const logY = style.logY ?? figure.y.scale === 'log'
  const e = yExtent({ ...figure, y: { ...figure.y, scale: logY ? 'log' : 'linear' } }) ?? { min: 0, max: 1 }
  const yGap = yNameGap(look, tickWidth(look, figure.y.min ?? e.min, figure.y.max ?? e.max))
  const series: Record<string, unknown>[] = figure.series.map((s) => ({ ...curve(s, `${index}:${s.id}`, seriesPoints(s, logY ? 'log' : 'linear'), style.lineWidth), xAxisIndex: index, yAxisIndex: index }))
  series.push({ id: `${index}:markers`, name: '', type: 'line', xAxisIndex: index, yAxisIndex: index, data: [], markLine: printMarkers(figure, look, box.height * 0.92) })
  return {
    grid: { left: box.left, top: box.top, width: box.width, height: box.height, outerBoundsMode: 'none' as const },
    xAxis: { ...printAxis(look, { name: style.xLabel ?? figure.x.label, log: logX, min: figure.x.min, max: figure.x.max, nameGap: xNameGap(look), showName: names.x }), gridIndex: index },
    yAxis: { ...printAxis(look, { name: style.yLabel ?? figure.y.label, log: logY, min: figure.y.min, max: figure.y.max, nameGap: yGap, showName: names.y }), gridIndex: index },
    yGap,
    series,
  }
}

/** A grid of line charts in print, `columns` per row, sharing one legend; axis names on the outer edges only. */
export function panelsOption(panels: LineFigure[], columns: number, look: PrintLook) {
  const { style } = look
  const fs = style.fontSize
  const names = legendNames(panels)
  const room = legendRoom(look, names)
  const cols = Math.max(1, Math.min(columns, panels.length))
  const rows = Math.max(1, Math.ceil(panels.length / cols))
  const subTitles = panels.length > 1
  const top = topMargin(look, names.length > 0 && style.legend !== 'none', titleLines(look), legendRows(look, names))
  const bottom = bottomMargin(look) + room.bottom
  const yRoom = Math.max(...panels.map((p) => panelParts(p, look, 0, { left: 0, top: 0, width: 1, height: 1 }, { x: true, y: true }).yGap)) + fs * 0.8
  const hGap = fs * 1.2
  const vGap = fs * (subTitles ? 3.9 : 2.2)
  const cellW = (look.width - yRoom - fs * 2 - room.right - (cols - 1) * (hGap + yRoom * 0.6)) / cols
  const cellH = (look.height - top - bottom - (rows - 1) * vGap - (subTitles ? fs * 1.6 : 0)) / rows
  const parts = panels.map((p, i) => {
    const r = Math.floor(i / cols)
    const c = i % cols
    const box = { left: yRoom + c * (cellW + hGap + yRoom * 0.6), top: top + (subTitles ? fs * 1.6 : 0) + r * (cellH + vGap), width: Math.max(10, cellW), height: Math.max(10, cellH) }
    return { ...panelParts(p, look, i, box, { x: r === rows - 1 || i + cols >= panels.length, y: c === 0 }), box, title: p.title }
  })
  const page = pageOption(look)
  return {
    ...page,
    title: [
      page.title,
      ...(subTitles
        ? parts.map((p) => ({ text: p.title, left: p.box.left, top: p.box.top - fs * 1.6, textStyle: { fontSize: fs * 0.9, fontWeight: 'normal' as const, color: INK.text, fontFamily: style.fontFamily } }))
        : []),
    ],
    legend: legendOption(look, names, { top: parts[0]?.box.top ?? top, right: look.width - ((parts[0]?.box.left ?? 0) + (parts[0]?.box.width ?? 0)) }),
    grid: parts.map((p) => p.grid),
    xAxis: parts.map((p) => p.xAxis),
    yAxis: parts.map((p) => p.yAxis),
    series: parts.flatMap((p) => p.series),
  }
}

/**
 * One line chart's ECharts option in `look`. On the page `data` gives each series' points (the
 * live chart's cache, which converts only new points); print always reads every point.
 */
export function lineOption(figure: LineFigure, look: ChartLook, data: (s: FigureSeries) => Point[] = (s) => seriesPoints(s, figure.y.scale)) {
  return look.kind === 'screen' ? screenLine(figure, look, data) : panelsOption([figure], 1, look)
}
