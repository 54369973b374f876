// A plain description of a line chart: what to draw, not how. The page renders it with ECharts;
// export will render the same object to SVG/PDF without a browser, so it holds only data (no
// functions, no DOM, no chart-library types) and survives JSON.stringify.

export type AxisScale = 'linear' | 'log'

export interface FigureAxis {
  label: string
  scale: AxisScale
  /** Fixed bounds; absent = fit the data. */
  min?: number
  max?: number
}

export type LineDash = 'solid' | 'dashed' | 'dotted'

export interface FigureSeries {
  /** Unique within the figure: the renderer keys incremental updates on it. */
  id: string
  /** Shown in the tooltip, and in the legend unless `legend` is given. */
  name: string
  /** Legend entry; series sharing one are shown and hidden together (a run's train and test). */
  legend?: string
  runId?: number
  /**
   * Parallel arrays ordered by step. A non-finite value is a gap in the line, and so is a value
   * ≤ 0 on a log axis: builders share the caller's arrays (live curves grow in place) instead of
   * cleaning copies, so renderers apply `drawable`.
   */
  steps: number[]
  values: number[]
  color: string
  dash?: LineDash
}

/** A vertical line at x, e.g. a clock. */
export interface FigureMarker {
  x: number
  label: string
  color: string
  dash?: LineDash
  runId?: number
}

export interface LineFigure {
  title: string
  x: FigureAxis
  y: FigureAxis
  series: FigureSeries[]
  markers: FigureMarker[]
}

/** The smallest and largest finite value of a figure's y data (log axes: positive values only). */
export function yExtent(figure: LineFigure): { min: number; max: number } | null {
  let min = Infinity
  let max = -Infinity
  for (const s of figure.series) {
    for (const v of s.values) {
      if (!drawable(v, figure.y.scale)) continue
      if (v < min) min = v
      if (v > max) max = v
    }
  }
  return min <= max ? { min, max } : null
}

/** Whether a value can be drawn on an axis of this scale (see FigureSeries.values). */
export function drawable(value: number, scale: AxisScale): boolean {
  return Number.isFinite(value) && (scale === 'linear' || value > 0)
}
