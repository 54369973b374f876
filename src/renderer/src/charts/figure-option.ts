// The page's line charts: the theme read off the page, and what a live chart needs to update by
// appending points. The option itself is the shared builder's (src/shared/figures/options), in
// the screen look, so the page and export draw a figure with the same code.
import type { FigureAxis, FigureSeries, LineFigure } from '../../../shared/figures'
import { drawable } from '../../../shared/figures'
import { screenLook, type ChartTheme } from '../../../shared/figures/options/chart-look'
import { GRID_BOTTOM, GRID_LEFT, GRID_RIGHT, GRID_TOP, lineOption, type Point } from '../../../shared/figures/options/line-option'
import type { LineChartOption } from './echarts'

export type { ChartTheme, Point }
export { GRID_BOTTOM, GRID_LEFT, GRID_RIGHT, GRID_TOP }

/** The chart frame's colours, read from the page's CSS so charts follow the theme. */
export function readTheme(el: Element): ChartTheme {
  const style = getComputedStyle(el)
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback
  return { text: get('--text', '#e3e6eb'), muted: get('--muted', '#8d95a3'), line: get('--line', '#2c3038'), panel: get('--panel', '#1c1f25') }
}

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

/** What must match for an update to send only new data rather than the whole option (markers are drawn over the chart: ChartMarkers). */
export function structureKey(figure: LineFigure): string {
  return JSON.stringify([
    figure.title,
    figure.x,
    figure.y,
    figure.series.map((s) => [s.id, s.name, s.legend, s.color, s.dash]),
  ])
}

/** The whole ECharts option of a figure on the page, its points from `cache`. */
export function fullOption(figure: LineFigure, theme: ChartTheme, cache: SeriesDataCache): LineChartOption {
  cache.keep(new Set(figure.series.map((s) => s.id)))
  return lineOption(figure, screenLook(theme), (s: FigureSeries) => cache.data(s, figure.y.scale)) as LineChartOption
}

/** Only the series data, for an update that keeps the figure's structure. */
export function dataOption(figure: LineFigure, cache: SeriesDataCache): LineChartOption {
  return { series: figure.series.map((s) => ({ id: s.id, data: cache.data(s, figure.y.scale) })) }
}
