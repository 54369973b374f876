// Plain descriptions of the sweep page's views: a clock's scaling fit against a swept key, the
// phase map over two swept keys, and the λ·η·t collapse of a weight-decay sweep. Pure data, so the
// page and (later) headless export draw the same objects.
import type { SeriesData } from '../api'
import type { ClockFit, Clocks, Phase, SweepReportRun } from '../analysis-types'
import type { FigureAxis, FigureSeries, LineDash, LineFigure } from './line-figure'
import { OKABE_ITO, seriesColor } from './palette'
import { stepToX } from './time-axis'

/** A number as `grokking-lab sweep-report` prints it, so the page and the CLI show the same slope. */
export function reportNumber(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)
}

export interface ScalingLine {
  id: string
  name: string
  color: string
  dash: LineDash
  /** [x, y] in data coordinates (the axes' own values, not their logs). */
  points: [number, number][]
}

export interface ScalingFigure {
  title: string
  x: FigureAxis
  y: FigureAxis
  /** Runs whose clock fired. */
  points: { x: number; y: number; runId: number }[]
  /** Runs whose clock never fired, drawn hollow at `y` (the top edge of the data). */
  censored: { x: number; y: number; runId: number }[]
  lines: ScalingLine[]
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The runs a fit was made from: those holding the fit's fixed keys, with a positive swept value. */
export function fitRuns(fit: ClockFit, runs: SweepReportRun[]): SweepReportRun[] {
  return runs.filter((r) => Object.entries(fit.fixed).every(([k, v]) => sameValue(r.point[k], v)) && Number(r.point[fit.key]) > 0)
}

/** A selector label for a fit: clock, key and the values held fixed. */
export function fitLabel(fit: ClockFit): string {
  const fixed = Object.entries(fit.fixed).map(([k, v]) => `${k}=${String(v)}`).join(', ')
  return `${fit.clock} vs ${fit.key}${fixed ? ` (${fixed})` : ''}`
}

/** "slope S [lo, hi] (R² r2, n N) — predicted P (source)", numbers formatted as the CLI prints them. */
export function slopeText(fit: ClockFit): string {
  if (!fit.fit) return `no fit (${fit.censored} never fired)`
  const f = fit.fit
  const interval = f.slopeInterval ? ` [${reportNumber(f.slopeInterval[0])}, ${reportNumber(f.slopeInterval[1])}]` : ''
  const predicted = fit.predicted ? ` — predicted ${reportNumber(fit.predicted.value)} (${fit.predicted.source})` : ' — no prediction'
  return `slope ${reportNumber(f.slope)}${interval} (R² ${f.r2.toFixed(2)}, n ${f.n})${predicted}`
}

/**
 * The scaling plot of one fit: log–log for 'power' (log T = a + b·log x), log x and linear T for
 * 'log'. Either way the fit is straight on these axes, so every line needs only its two ends. The
 * 95 % band is drawn as two lines through the centroid with the interval's slopes (a slope-only
 * band: the intercept's uncertainty is left out); the prediction also passes through the centroid.
 */
export function buildScalingFigure(fit: ClockFit, runs: SweepReportRun[]): ScalingFigure | null {
  const f = fit.fit
  if (!f) return null
  const clock = fit.clock as keyof Clocks
  const power = fit.form === 'power'
  const value = (r: SweepReportRun) => r.clocks[clock] as number | null
  const members = fitRuns(fit, runs)
  const fired = members.filter((r) => value(r) !== null && value(r)! > 0)
  const points = fired.map((r) => ({ x: Number(r.point[fit.key]), y: value(r)!, runId: r.runId }))
  // In the fit's coordinates: u = ln x, v = ln T (power) or T (log).
  const toV = (y: number) => (power ? Math.log(y) : y)
  const fromV = (v: number) => (power ? Math.exp(v) : v)
  const us = points.map((p) => Math.log(p.x))
  const vs = points.map((p) => toV(p.y))
  const allX = members.map((r) => Number(r.point[fit.key]))
  const uMin = Math.log(Math.min(...allX))
  const uMax = Math.log(Math.max(...allX))
  const uBar = us.reduce((s, u) => s + u, 0) / Math.max(1, us.length)
  const vBar = vs.reduce((s, v) => s + v, 0) / Math.max(1, vs.length)
  const line = (id: string, name: string, color: string, dash: LineDash, at: (u: number) => number): ScalingLine => ({
    id,
    name,
    color,
    dash,
    points: [uMin, uMax].map((u) => [Math.exp(u), fromV(at(u))] as [number, number]),
  })
  const lines: ScalingLine[] = [line('fit', `fit: slope ${reportNumber(f.slope)}`, OKABE_ITO.orange, 'solid', (u) => f.intercept + f.slope * u)]
  if (f.slopeInterval) {
    const [lo, hi] = f.slopeInterval
    lines.push(line('band-lo', `95 % slope ${reportNumber(lo)}`, OKABE_ITO.orange, 'dashed', (u) => vBar + lo * (u - uBar)))
    lines.push(line('band-hi', `95 % slope ${reportNumber(hi)}`, OKABE_ITO.orange, 'dashed', (u) => vBar + hi * (u - uBar)))
  }
  if (fit.predicted) {
    const p = fit.predicted.value
    lines.push(line('predicted', `predicted ${reportNumber(p)} (${fit.predicted.source})`, OKABE_ITO.bluishGreen, 'dotted', (u) => vBar + p * (u - uBar)))
  }
  const ys = [...points.map((p) => p.y), ...lines.flatMap((l) => l.points.map((q) => q[1]))].filter((y) => (power ? y > 0 : Number.isFinite(y)))
  const yMax = Math.max(...ys)
  const top = power ? yMax * 1.5 : yMax + 0.1 * Math.abs(yMax || 1)
  const censored = members.filter((r) => !fired.includes(r)).map((r) => ({ x: Number(r.point[fit.key]), y: top, runId: r.runId }))
  return {
    title: `${fitLabel(fit)}: ${power ? `log ${fit.clock} ~ log ${fit.key}` : `${fit.clock} ~ log ${fit.key}`}`,
    // A little past the swept values: ECharts would otherwise widen a log axis to whole decades.
    x: { label: fit.key, scale: 'log', min: Math.exp(uMin) / 1.25, max: Math.exp(uMax) * 1.25 },
    y: { label: `${fit.clock}, steps`, scale: power ? 'log' : 'linear' },
    points,
    censored,
    lines,
  }
}

export const PHASES: readonly Phase[] = ['no fit', 'memorized', 'grokked', 'generalized without delay']

/** Okabe–Ito colours per phase, distinguishable for deuteranopes and protanopes. */
export const PHASE_COLORS: Record<Phase, string> = {
  'no fit': OKABE_ITO.vermillion,
  memorized: OKABE_ITO.orange,
  grokked: OKABE_ITO.blue,
  'generalized without delay': OKABE_ITO.bluishGreen,
}

/** Short labels drawn inside phase cells, so a map never relies on colour alone. */
export const PHASE_SHORT: Record<Phase, string> = { 'no fit': 'none', memorized: 'mem', grokked: 'grok', 'generalized without delay': 'gen' }

export interface PhaseCell {
  row: number
  col: number
  runIds: number[]
  counts: Record<Phase, number>
  /** The most common phase over the cell's runs (seeds); null for a cell without runs. */
  phase: Phase | null
}

export interface PhaseGrid {
  colKey: string
  /** Null with one swept key: the map is a single-row strip. */
  rowKey: string | null
  cols: unknown[]
  rows: unknown[]
  cells: PhaseCell[]
}

/** The most common phase; a tie goes to the phase later in PHASES (the further the runs got). */
export function majorityPhase(counts: Record<Phase, number>): Phase | null {
  let best: Phase | null = null
  for (const p of PHASES) if (counts[p] > 0 && (best === null || counts[p] >= counts[best])) best = p
  return best
}

/** Cells over the first two swept keys (columns, rows); further keys and seeds pool into each cell. */
export function buildPhaseGrid(axes: { key: string; values: unknown[] }[], runs: Pick<SweepReportRun, 'runId' | 'point' | 'phase'>[]): PhaseGrid | null {
  if (axes.length === 0) return null
  const [colAxis, rowAxis] = axes
  const rows = rowAxis ? rowAxis.values : [null]
  const cells: PhaseCell[] = []
  rows.forEach((rv, row) =>
    colAxis.values.forEach((cv, col) => {
      const inCell = runs.filter((r) => sameValue(r.point[colAxis.key], cv) && (!rowAxis || sameValue(r.point[rowAxis.key], rv)))
      const counts: Record<Phase, number> = { 'no fit': 0, memorized: 0, grokked: 0, 'generalized without delay': 0 }
      for (const r of inCell) counts[r.phase] += 1
      cells.push({ row, col, runIds: inCell.map((r) => r.runId), counts, phase: majorityPhase(counts) })
    }),
  )
  return { colKey: colAxis.key, rowKey: rowAxis?.key ?? null, cols: colAxis.values, rows, cells }
}

export interface CollapseRun {
  runId: number
  wd: number
  lr: number
  series: SeriesData[]
}

/**
 * One metric of every run against λ·η·t, one colour per λ: gradient flow with weight decay runs
 * on that clock, so curves of different λ should fall on each other. Runs without wd are left out.
 */
export function buildCollapseFigure(metric: string, label: string, runs: CollapseRun[]): LineFigure {
  const lambdas = [...new Set(runs.map((r) => r.wd))].sort((a, b) => a - b)
  const series: FigureSeries[] = []
  for (const run of runs) {
    const s = run.series.find((x) => x.name === metric)
    if (!s || !(run.wd > 0)) continue
    series.push({
      id: `${run.runId}:${metric}`,
      name: `#${run.runId} λ=${run.wd}`,
      legend: `λ = ${run.wd}`,
      runId: run.runId,
      steps: s.steps.map((step) => stepToX(step, 'lambda-t', run)!),
      values: s.values,
      color: seriesColor(lambdas.indexOf(run.wd)),
    })
  }
  return { title: `${label} against λ·η·t`, x: { label: 'λ·η·t', scale: 'linear' }, y: { label, scale: 'linear' }, series, markers: [] }
}
