// A plain description of a weight heatmap: what to draw, not how. The page paints it to a canvas;
// export (a later issue) will paint the same object headlessly, so it holds data only.
import { frequencyOrder, matrixShape, maxAbs, permuteLines, tokenAxis, type FrequencyOrder } from './heatmap-data'

export interface HeatmapFigure {
  title: string
  rows: number
  cols: number
  /** Row-major, rows × cols, already in drawing order (sorted lines included). */
  values: Float32Array | number[]
  /** Colour scale ends; the diverging map is centred at 0, so min = −max in practice. */
  scale: { min: number; max: number }
  rowLabel: string
  colLabel: string
  /** Groups of sorted lines (frequency bands) along the rows. */
  rowGroups?: { label: string; start: number; end: number }[]
  /** The same along the columns, when the columns were the sorted axis (tokens on rows). */
  colGroups?: { label: string; start: number; end: number }[]
  /** Original index of each drawn row / column, when the figure is sorted (hover and export labels). */
  rowOrder?: Int32Array
  colOrder?: Int32Array
}

export interface HeatmapInput {
  name: string
  shape: readonly number[]
  data: Float32Array
  step: number
  /** Colour scale half-width; absent = this tensor's own max |value|. */
  scaleMax?: number
  /** Sort the non-token lines by dominant frequency, with an already computed order when given. */
  sort?: { order: FrequencyOrder } | null
  runId?: number
}

/** The names the axes get, by what their length says they are (p tokens or not). */
export function axisLabels(rows: number, cols: number, p: number | null): { rowLabel: string; colLabel: string } {
  const axis = p == null ? null : tokenAxis(rows, cols, p)
  return {
    rowLabel: axis === 'rows' ? 'token' : 'row',
    colLabel: axis === 'cols' ? 'token' : 'column',
  }
}

/** The figure of one tensor at one step, sorted when asked; shares `data` when nothing is permuted. */
export function buildHeatmapFigure(input: HeatmapInput, p: number | null = null): HeatmapFigure {
  const { rows, cols } = matrixShape(input.shape)
  const max = input.scaleMax ?? maxAbs(input.data)
  const labels = axisLabels(rows, cols, p)
  const run = input.runId != null ? `run #${input.runId} · ` : ''
  const figure: HeatmapFigure = {
    title: `${run}${input.name} at step ${input.step}`,
    rows,
    cols,
    values: input.data,
    scale: { min: -max, max },
    ...labels,
  }
  const order = input.sort?.order
  if (!order) return figure
  figure.values = permuteLines(input.data, rows, cols, order.axis, order.order)
  figure.title += ' · sorted by dominant frequency'
  if (order.axis === 'rows') {
    figure.rowGroups = order.groups
    figure.rowOrder = order.order
  } else {
    figure.colGroups = order.groups
    figure.colOrder = order.order
  }
  return figure
}

/** The frequency order of a tensor, or null when no axis has length p (nothing to sort over). */
export function heatmapOrder(shape: readonly number[], data: Float32Array, p: number): FrequencyOrder | null {
  const { rows, cols } = matrixShape(shape)
  const token = tokenAxis(rows, cols, p)
  return token ? frequencyOrder(data, rows, cols, p, token) : null
}
