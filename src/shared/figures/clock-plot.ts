// The Compare view's clock plots as LineFigure descriptions: curves of one run or many on a chosen
// time axis (step, log step, λ·η·t), with every clock as a marker on the same axis. Pure data, so
// the same figures can be exported later and every mapping is unit-tested here, not in the page.
import type { ClockName, ClockSteps } from './clocks'
import { CLOCK_COLORS, CLOCK_NAMES } from './clocks'
import type { CurveInput } from './builders'
import type { FigureAxis, FigureMarker, FigureSeries, LineDash, LineFigure } from './line-figure'
import { yExtent } from './line-figure'
import { seriesColor, SPLIT_COLORS } from './palette'
import { axisLabel, stepToX, type TimeAxis, type TimeAxisConfig } from './time-axis'

/** The x axis choices of the page (`log-step` is the lab's `log`). */
export const CLOCK_X_AXES = ['step', 'log-step', 'lambda-t'] as const
export type ClockXAxis = (typeof CLOCK_X_AXES)[number]

/** The lab's name of a page axis. */
export function timeAxisOf(x: ClockXAxis): TimeAxis {
  return x === 'log-step' ? 'log' : x
}

export interface ClockRun {
  runId: number
  /** Legend text, e.g. `#12 λ=1`. */
  label: string
  color: string
  config: TimeAxisConfig
  series: readonly CurveInput[]
  clocks?: ClockSteps | null
}

export interface ClockPlotOptions {
  x: ClockXAxis
  /** Log y for every chart but accuracies (always linear on [0, 1]). */
  logY: boolean
  clockNames?: readonly ClockName[]
}

/** Metrics drawn in one chart: a train/test pair, or one metric alone. */
export interface MetricGroup {
  key: string
  title: string
  metrics: string[]
}

/** One chart of the page with what its element exposes for tests and tools. */
export interface ClockChartSpec {
  id: string
  group: string
  /** Set in small multiples, where a chart shows one run. */
  runId?: number
  figure: LineFigure
  /** Smallest and largest plotted x, or null when nothing is plotted. */
  xExtent: [number, number] | null
  markerXs: number[]
  /** Runs left out because the axis has no place for them (λ·η·t without weight decay). */
  skipped: number[]
}

const SPLIT = /^(train|test)_(.+)$/

/** Groups metric names into charts: train_X with test_X, everything else alone, in first-seen order. */
export function metricGroups(names: readonly string[]): MetricGroup[] {
  const groups = new Map<string, MetricGroup>()
  for (const name of names) {
    const m = SPLIT.exec(name)
    const key = m ? m[2] : name
    const group = groups.get(key) ?? { key, title: m ? `${key === 'acc' ? 'accuracy' : key} (train, test)` : name, metrics: [] }
    if (!group.metrics.includes(name)) group.metrics.push(name)
    groups.set(key, group)
  }
  return [...groups.values()]
}

const isAccuracy = (group: MetricGroup) => group.metrics.every((m) => /(^|_)acc$/.test(m))

function yAxis(group: MetricGroup, logY: boolean): FigureAxis {
  if (isAccuracy(group)) return { label: 'accuracy', scale: 'linear', min: 0, max: 1 }
  // Cosines (GM's prediction against reality) change sign: a log axis would drop them.
  if (group.metrics.every((m) => /_cos$/.test(m))) return { label: group.key, scale: 'linear', min: -1, max: 1 }
  return { label: group.key, scale: logY ? 'log' : 'linear' }
}

/** A curve on the axis: points without a place on it (step 0 on log step, y ≤ 0 on log y, non-finite) are dropped. */
export function mapCurve(curve: CurveInput, axis: TimeAxis, config: TimeAxisConfig, logY: boolean): { x: number[]; y: number[] } {
  const x: number[] = []
  const y: number[] = []
  const n = Math.min(curve.steps.length, curve.values.length)
  for (let i = 0; i < n; i++) {
    const v = curve.values[i]
    if (!Number.isFinite(v) || (logY && v <= 0)) continue
    const at = stepToX(curve.steps[i], axis, config)
    if (at === null) continue
    x.push(at)
    y.push(v)
  }
  return { x, y }
}

const STEPS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** Clock markers on the axis; off the step axis the label keeps the step, so a marker still reads as a step. */
export function clockPlotMarkers(run: ClockRun, axis: TimeAxis, options: { color?: string; suffix?: string; names?: readonly ClockName[] } = {}): FigureMarker[] {
  const out: FigureMarker[] = []
  for (const name of options.names ?? CLOCK_NAMES) {
    const step = run.clocks?.[name]
    if (step == null || !Number.isFinite(step)) continue
    const x = stepToX(step, axis, run.config)
    if (x === null) continue
    const label = `${name}${options.suffix ?? ''}${axis === 'step' ? '' : ` (step ${STEPS.format(step)})`}`
    const dash: LineDash = name === 'T_mem' ? 'dotted' : 'dashed'
    out.push({ x, label, color: options.color ?? CLOCK_COLORS[name], dash, runId: run.runId })
  }
  return out
}

function splitDash(metric: string): LineDash {
  return metric.startsWith('train_') ? 'dashed' : 'solid'
}

function xExtentOf(series: readonly FigureSeries[]): [number, number] | null {
  let min = Infinity
  let max = -Infinity
  for (const s of series) {
    // Mapped x is ordered like the steps, so the ends are the extremes.
    if (s.steps.length === 0) continue
    min = Math.min(min, s.steps[0], s.steps[s.steps.length - 1])
    max = Math.max(max, s.steps[0], s.steps[s.steps.length - 1])
  }
  return min <= max ? [min, max] : null
}

function xAxis(axis: TimeAxis): FigureAxis {
  return axis === 'log' ? { label: axisLabel(axis), scale: 'linear' } : { label: axisLabel(axis), scale: 'linear', min: 0 }
}

function spec(id: string, group: MetricGroup, figure: LineFigure, skipped: number[], runId?: number): ClockChartSpec {
  const out: ClockChartSpec = { id, group: group.key, figure, xExtent: xExtentOf(figure.series), markerXs: figure.markers.map((m) => m.x), skipped }
  if (runId !== undefined) out.runId = runId
  return out
}

/** One chart per metric group with every run overlaid: one colour per run, train dashed, test solid. */
export function overlaidCharts(runs: readonly ClockRun[], groups: readonly MetricGroup[], options: ClockPlotOptions): ClockChartSpec[] {
  const axis = timeAxisOf(options.x)
  const skipped = runs.filter((r) => stepToX(1, axis, r.config) === null).map((r) => r.runId)
  return groups.map((group) => {
    const y = yAxis(group, options.logY)
    const series: FigureSeries[] = []
    const markers: FigureMarker[] = []
    for (const run of runs) {
      if (skipped.includes(run.runId)) continue
      for (const metric of group.metrics) {
        const curve = run.series.find((s) => s.name === metric)
        if (!curve) continue
        const { x, y: values } = mapCurve(curve, axis, run.config, y.scale === 'log')
        series.push({ id: `${run.runId}:${metric}`, name: `${run.label} ${metric}`, legend: run.label, runId: run.runId, steps: x, values, color: run.color, dash: splitDash(metric) })
      }
      markers.push(...clockPlotMarkers(run, axis, { color: run.color, suffix: ` #${run.runId}`, names: options.clockNames }))
    }
    return spec(`overlay:${group.key}`, group, { title: group.title, x: xAxis(axis), y, series, markers }, skipped)
  })
}

/**
 * A grid of charts, one row per metric group and one column per run. Every chart shares the x
 * range, and each row its y range, so that a clock's place and a curve's height compare across runs.
 */
export function smallMultiples(runs: readonly ClockRun[], groups: readonly MetricGroup[], options: ClockPlotOptions): ClockChartSpec[][] {
  const axis = timeAxisOf(options.x)
  const rows = groups.map((group) =>
    runs.map((run) => {
      const y = yAxis(group, options.logY)
      const series: FigureSeries[] = []
      const mappable = stepToX(1, axis, run.config) !== null
      group.metrics.forEach((metric, i) => {
        const curve = run.series.find((s) => s.name === metric)
        if (!curve || !mappable) return
        const { x, y: values } = mapCurve(curve, axis, run.config, y.scale === 'log')
        const split = SPLIT.exec(metric)?.[1] as 'train' | 'test' | undefined
        // The legend reads train / test: every chart of the grid shares the same two entries.
        series.push({ id: `${run.runId}:${metric}`, name: metric, legend: split ?? metric, runId: run.runId, steps: x, values, color: split ? SPLIT_COLORS[split] : seriesColor(i), dash: 'solid' })
      })
      const markers = mappable ? clockPlotMarkers(run, axis, { names: options.clockNames }) : []
      const figure: LineFigure = { title: `${run.label} · ${group.title}`, x: xAxis(axis), y, series, markers }
      return spec(`grid:${group.key}:${run.runId}`, group, figure, mappable ? [] : [run.runId], run.runId)
    }),
  )
  shareExtents(rows)
  return rows
}

/** Fixes every chart's x range to the grid's and each row's y range to the row's (fixed bounds win). */
export function shareExtents(rows: ClockChartSpec[][]): void {
  let xMin = Infinity
  let xMax = -Infinity
  for (const chart of rows.flat()) {
    for (const x of [...(chart.xExtent ?? []), ...chart.markerXs]) {
      xMin = Math.min(xMin, x)
      xMax = Math.max(xMax, x)
    }
  }
  for (const row of rows) {
    let yMin = Infinity
    let yMax = -Infinity
    for (const chart of row) {
      const e = yExtent(chart.figure)
      if (!e) continue
      yMin = Math.min(yMin, e.min)
      yMax = Math.max(yMax, e.max)
    }
    for (const chart of row) {
      const { x, y } = chart.figure
      if (xMin <= xMax) chart.figure.x = { ...x, min: x.min === 0 && xMin >= 0 ? 0 : xMin, max: xMax }
      if (yMin <= yMax) chart.figure.y = { ...y, min: y.min ?? yMin, max: y.max ?? yMax }
    }
  }
}
