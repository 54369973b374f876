import type { FigureAxis, FigureSeries, LineDash, LineFigure } from '../../../shared/figures'
import { drawable } from '../../../shared/figures'
import { num } from '../format'
import type { LineChartOption, LineSeriesOption } from './echarts'

/** Colours of the chart's frame, read from the page's CSS so charts follow the theme. */
export interface ChartTheme {
  text: string
  muted: string
  line: string
  panel: string
}

export function readTheme(el: Element): ChartTheme {
  const style = getComputedStyle(el)
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback
  return { text: get('--text', '#e3e6eb'), muted: get('--muted', '#8d95a3'), line: get('--line', '#2c3038'), panel: get('--panel', '#1c1f25') }
}

/** One point as ECharts takes it; y is null where the scale cannot draw it (≤ 0 on a log axis). */
export type Point = [number, number | null]
const MARKERS_ID = '__markers'
/** The plot area's inset in px, for reading the visible window off the grid. */
export const GRID_LEFT = 64
export const GRID_RIGHT = 18
export const GRID_TOP = 34
export const GRID_BOTTOM = 40

/**
 * Series data in ECharts' [x, y] form, kept per series id. Live curves only grow (new points are
 * appended to the same arrays), so an update converts only the new points instead of the whole
 * curve; and it remembers how much of each curve the chart holds, so that a live update can hand
 * ECharts only the new points (`appended`) instead of a whole option to merge and lay out again.
 */
export class SeriesDataCache {
  private entries = new Map<string, { steps: number[]; values: number[]; scale: string; data: Point[] }>()
  private shown = new Map<string, { steps: number[]; values: number[]; scale: string; count: number }>()

  data(series: FigureSeries, scale: FigureAxis['scale']): Point[] {
    const cached = this.entries.get(series.id)
    const n = Math.min(series.steps.length, series.values.length)
    let entry = cached
    if (!entry || entry.steps !== series.steps || entry.values !== series.values || entry.scale !== scale || entry.data.length > n) {
      entry = { steps: series.steps, values: series.values, scale, data: [] }
      this.entries.set(series.id, entry)
    }
    for (let i = entry.data.length; i < n; i++) {
      const v = series.values[i]
      entry.data.push([series.steps[i], drawable(v, scale) ? v : null])
    }
    return entry.data
  }

  /** Records that the chart now holds every point of the figure's series (after a setOption or appendData). */
  markShown(figure: LineFigure): void {
    this.shown.clear()
    for (const s of figure.series) this.shown.set(s.id, { steps: s.steps, values: s.values, scale: figure.y.scale, count: this.data(s, figure.y.scale).length })
  }

  /** How many points the chart was last handed, over all series. */
  shownPoints(): number {
    let n = 0
    for (const held of this.shown.values()) n += held.count
    return n
  }

  /**
   * The points each series gained since `markShown`, by series id; null when a series is new, was
   * replaced or shrank, or the scale changed: then only a full update is right.
   */
  appended(figure: LineFigure): { id: string; data: Point[] }[] | null {
    if (figure.series.length !== this.shown.size) return null
    const out: { id: string; data: Point[] }[] = []
    for (const s of figure.series) {
      const held = this.shown.get(s.id)
      if (!held || held.steps !== s.steps || held.values !== s.values || held.scale !== figure.y.scale) return null
      const data = this.data(s, figure.y.scale)
      if (data.length < held.count) return null
      out.push({ id: s.id, data: data.slice(held.count) })
    }
    return out
  }

  /** Forgets series that left the figure. */
  keep(ids: Set<string>): void {
    for (const id of this.entries.keys()) if (!ids.has(id)) this.entries.delete(id)
  }
}

/** Whether every point lies inside the axes' current extents ([min, max] each), so appending it needs no new axes. */
export function insideExtents(points: readonly { data: Point[] }[], x: [number, number], y: [number, number]): boolean {
  const within = (v: number, [lo, hi]: [number, number]) => {
    const slack = Math.abs(hi - lo) * 1e-9
    return v >= Math.min(lo, hi) - slack && v <= Math.max(lo, hi) + slack
  }
  if (![...x, ...y].every(Number.isFinite)) return false
  for (const tail of points) for (const [px, py] of tail.data) if (!within(px, x) || (py !== null && !within(py, y))) return false
  return true
}

/** What must match for an update to send only new data rather than the whole option. */
export function structureKey(figure: LineFigure): string {
  return JSON.stringify([
    figure.title,
    figure.x,
    figure.y,
    figure.series.map((s) => [s.id, s.name, s.legend, s.color, s.dash]),
    figure.markers,
  ])
}

const DASH: Record<LineDash, 'solid' | 'dashed' | 'dotted'> = { solid: 'solid', dashed: 'dashed', dotted: 'dotted' }

function axis(a: FigureAxis, theme: ChartTheme, position: 'x' | 'y') {
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

/** The canvas layer of the curves: above the axes, labels and markers, so a live append repaints only it. */
export const CURVE_ZLEVEL = 1

function seriesOption(s: FigureSeries, data: Point[]): LineSeriesOption {
  return {
    id: s.id,
    name: s.legend ?? s.name,
    type: 'line',
    zlevel: CURVE_ZLEVEL,
    data,
    showSymbol: false,
    symbol: 'circle',
    symbolSize: 4,
    connectNulls: false,
    lineStyle: { color: s.color, width: 1.6, type: DASH[s.dash ?? 'solid'] },
    itemStyle: { color: s.color },
    emphasis: { focus: 'series' },
  }
}

/**
 * Markers at the same step share one label (T_margin and T_mem often coincide), and successive
 * labels alternate sides of their lines so that clocks a few steps apart stay readable.
 */
function markerLines(figure: LineFigure, theme: ChartTheme) {
  const sorted = [...figure.markers].sort((a, b) => a.x - b.x)
  const labelled = new Map<number, string[]>()
  for (const m of sorted) labelled.set(m.x, [...(labelled.get(m.x) ?? []), m.label])
  const xs = [...labelled.keys()]
  const shown = new Set<number>()
  return sorted.map((m) => {
    const first = !shown.has(m.x)
    shown.add(m.x)
    const side = xs.indexOf(m.x) % 2 === 0 ? 'insideEndTop' : 'insideEndBottom'
    return {
      xAxis: m.x,
      name: m.label,
      lineStyle: { color: m.color, type: DASH[m.dash ?? 'dashed'], width: 1.2 },
      label: {
        show: first,
        position: side as 'insideEndTop' | 'insideEndBottom',
        formatter: `${labelled.get(m.x)!.join(' · ')} ${num(m.x)}`,
        color: m.color,
        fontSize: 11,
        textBorderColor: theme.panel,
        textBorderWidth: 2,
      },
    }
  })
}

function markerSeries(figure: LineFigure, theme: ChartTheme): LineSeriesOption {
  return {
    id: MARKERS_ID,
    name: MARKERS_ID,
    type: 'line',
    data: [],
    silent: false,
    tooltip: { show: false },
    markLine: { symbol: ['none', 'none'], animation: false, emphasis: { disabled: true }, data: markerLines(figure, theme) },
  }
}

// A scrolling legend lays out its pager on every update; a few entries fit on one line without it.
const PLAIN_LEGEND_MAX = 4

function legendOption(figure: LineFigure, theme: ChartTheme) {
  const data = [...new Set(figure.series.map((s) => s.legend ?? s.name))]
  return { top: 4, left: 60, data, textStyle: { color: theme.text }, inactiveColor: theme.line, type: data.length > PLAIN_LEGEND_MAX ? ('scroll' as const) : ('plain' as const), pageTextStyle: { color: theme.muted } }
}

/** The whole ECharts option of a figure. */
export function fullOption(figure: LineFigure, theme: ChartTheme, cache: SeriesDataCache): LineChartOption {
  cache.keep(new Set(figure.series.map((s) => s.id)))
  return {
    animation: false,
    textStyle: { color: theme.text, fontFamily: 'inherit' },
    // The plot area is exactly these insets: ECharts' default ('auto') would first lay out every
    // axis label to shrink the grid to fit, a second axis build on each update, and the insets
    // would no longer say where the plot area is.
    grid: { left: GRID_LEFT, right: GRID_RIGHT, top: GRID_TOP, bottom: GRID_BOTTOM, outerBoundsMode: 'none' },
    legend: legendOption(figure, theme),
    tooltip: {
      trigger: 'axis',
      // Inside the chart's own element: otherwise every redraw asks the browser for the element's
      // computed position, a forced style recalculation per update.
      appendTo: (dom: HTMLElement) => dom,
      backgroundColor: theme.panel,
      borderColor: theme.line,
      textStyle: { color: theme.text, fontSize: 12 },
      axisPointer: { type: 'line', lineStyle: { color: theme.muted } },
      formatter: tooltipText(new Map(figure.series.map((s) => [s.id, s.name])), figure.x.label),
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    xAxis: axis(figure.x, theme, 'x'),
    yAxis: axis(figure.y, theme, 'y'),
    series: [...figure.series.map((s) => seriesOption(s, cache.data(s, figure.y.scale))), markerSeries(figure, theme)],
  }
}

/** Only the series data, for an update that keeps the figure's structure. */
export function dataOption(figure: LineFigure, cache: SeriesDataCache): LineChartOption {
  return { series: figure.series.map((s) => ({ id: s.id, data: cache.data(s, figure.y.scale) })) }
}

interface TooltipParam {
  seriesName?: string
  seriesId?: string
  marker?: unknown
  value?: unknown
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)
}

/** The tooltip: the x value (a step on the step axis), then each curve's full name (not its legend group) and value. */
function tooltipText(names: Map<string, string>, xLabel: string) {
  return (params: unknown): string => {
    const list = (Array.isArray(params) ? params : [params]) as TooltipParam[]
    const rows = list.filter((p) => p.seriesId !== MARKERS_ID && Array.isArray(p.value))
    if (rows.length === 0) return ''
    const step = (rows[0].value as Point)[0]
    const lines = rows.map((p) => {
      const name = names.get(p.seriesId ?? '') ?? p.seriesName ?? ''
      return `${typeof p.marker === 'string' ? p.marker : ''}${escapeHtml(name)} <b>${num((p.value as Point)[1], 4)}</b>`
    })
    return [`${escapeHtml(xLabel)} ${num(step, 4)}`, ...lines].join('<br>')
  }
}
