// The run page's per-system views (SCIENCE.md "Four systems"): where a system makes a claim of its
// own, a figure that tests it. Deep linear nets (TC): the structural energy closing on its Schatten
// floor, the gap and the balancedness. Diagonal nets and matrix completion (LD): the test metric
// against the predicted transition time (1/λ)·log α, and the distance from init. Two-phase
// regression (GF): ‖θ‖ of several λ against λ·η·t. Pure data, so export can draw the same objects.
import type { RunConfig } from '../run-config'
import type { CurveInput } from './builders'
import type { ClockName, ClockSteps } from './clocks'
import { clockPlotMarkers, mapCurve, timeAxisOf, type ClockXAxis } from './clock-plot'
import type { FigureAxis, FigureMarker, FigureSeries, LineDash, LineFigure } from './line-figure'
import { OKABE_ITO, seriesColor, SPLIT_COLORS } from './palette'
import { axisLabel, stepToX } from './time-axis'

/** The systems with a view of their own. */
export type SystemView = 'deep-linear' | 'large-init' | 'two-phase'

/** The config keys the views read. */
export type SystemConfig = Pick<RunConfig, 'task' | 'model' | 'wd' | 'lr' | 'init_scale' | 'warmup' | 'optimizer' | 'momentum'>

/** Which per-system view a run has, or null for systems without one (the modular models). */
export function systemViewOf(config: Pick<RunConfig, 'model'>): SystemView | null {
  if (config.model === 'deep-linear') return 'deep-linear'
  if (config.model === 'diagonal-linear' || config.model === 'matrix-factorization') return 'large-init'
  if (config.model === 'two-layer-relu') return 'two-phase'
  return null
}

/** The tab's title for each view. */
export const SYSTEM_VIEW_TITLES: Record<SystemView, string> = {
  'deep-linear': 'Energy floor (TC)',
  'large-init': 'Late transition (LD)',
  'two-phase': 'Two phases (GF)',
}

/** The stored series each view draws. */
export const SYSTEM_VIEW_METRICS: Record<SystemView, readonly string[]> = {
  'deep-linear': ['structural_energy', 'schatten_floor', 'energy_gap', 'relative_energy_gap', 'balancedness_gap'],
  'large-init': ['train_acc', 'test_acc', 'train_loss', 'test_loss', 'rel_dist_init'],
  'two-phase': ['param_norm', 'test_loss'],
}

export interface ViewOptions {
  clocks?: ClockSteps | null
  /** The step budget, so a live curve grows into a fixed frame (step axis only). */
  xMax?: number
  x?: ClockXAxis
}

const find = (series: readonly CurveInput[], name: string) => series.find((s) => s.name === name)

/**
 * On log steps the axis starts at the whole decade below the first point: left to itself the
 * chart would include 0, i.e. step 1, and squeeze the curves to the right.
 */
function fitLogStart(options: ViewOptions, figure: LineFigure): LineFigure {
  if (timeAxisOf(options.x ?? 'step') !== 'log') return figure
  const firsts = [...figure.series.map((s) => s.steps[0]), ...figure.markers.map((m) => m.x)].filter(Number.isFinite)
  if (firsts.length) figure.x = { ...figure.x, min: Math.floor(Math.min(...firsts)) }
  return figure
}

function stepAxis(options: ViewOptions): FigureAxis {
  const axis = timeAxisOf(options.x ?? 'step')
  if (axis !== 'step') return { label: axisLabel(axis), scale: 'linear' }
  return options.xMax && options.xMax > 0 ? { label: 'step', scale: 'linear', min: 0, max: options.xMax } : { label: 'step', scale: 'linear', min: 0 }
}

/** One stored curve as a series on the view's x axis (the step axis shares the arrays). */
function curveSeries(curve: CurveInput | undefined, name: string, color: string, dash: LineDash, options: ViewOptions, logY: boolean): FigureSeries[] {
  if (!curve) return []
  const axis = timeAxisOf(options.x ?? 'step')
  if (axis === 'step') return [{ id: curve.name, name, steps: curve.steps, values: curve.values, color, dash }]
  const { x, y } = mapCurve(curve, axis, { wd: 0, lr: 1 }, logY)
  return [{ id: curve.name, name, steps: x, values: y, color, dash }]
}

function clocksOn(options: ViewOptions, names: readonly ClockName[]): FigureMarker[] {
  const axis = timeAxisOf(options.x ?? 'step')
  return clockPlotMarkers({ runId: 0, label: '', color: '', config: { wd: 0, lr: 1 }, series: [], clocks: options.clocks }, axis, { names }).map((m) => {
    delete m.runId
    return m
  })
}

// ---- Deep linear nets (TC) ----

/**
 * E − floor at every step both curves hold (they can differ when each was downsampled on its own).
 * The engine stores energy_gap itself; this is for runs recorded before it did.
 */
export function gapFromEnergy(energy: CurveInput, floor: CurveInput): CurveInput {
  const at = new Map<number, number>()
  floor.steps.forEach((s, i) => at.set(s, floor.values[i]))
  const steps: number[] = []
  const values: number[] = []
  energy.steps.forEach((s, i) => {
    const f = at.get(s)
    if (f === undefined) return
    steps.push(s)
    values.push(energy.values[i] - f)
  })
  return { name: 'energy_gap', steps, values }
}

/**
 * Structural energy E(t) = Σ(λ_l/2)‖W_l‖² and its Schatten floor (λL/2)‖M‖^{2/L}_{S_{2/L}} = (λL/2)·Σσᵢ^{2/L}
 * on a log axis, with the fitting clocks (T_fit, T_margin) and T_struct.
 */
export function energyFloorFigure(series: readonly CurveInput[], options: ViewOptions = {}): LineFigure {
  return fitLogStart(options, {
    title: 'Structural energy and its Schatten floor',
    x: stepAxis(options),
    y: { label: 'energy', scale: 'log' },
    series: [
      ...curveSeries(find(series, 'structural_energy'), 'E = Σ(λ/2)‖W_l‖²', OKABE_ITO.orange, 'solid', options, true),
      ...curveSeries(find(series, 'schatten_floor'), 'Schatten floor (λL/2)·Σσᵢ(M)^(2/L)', OKABE_ITO.skyBlue, 'dashed', options, true),
    ],
    markers: clocksOn(options, ['T_fit', 'T_margin', 'T_struct']),
  })
}

/** The gap E − floor over time (stored energy_gap, else derived from the two curves), log axis. */
export function energyGapFigure(series: readonly CurveInput[], options: ViewOptions = {}): LineFigure {
  const energy = find(series, 'structural_energy')
  const floor = find(series, 'schatten_floor')
  const gap = find(series, 'energy_gap') ?? (energy && floor ? gapFromEnergy(energy, floor) : undefined)
  return fitLogStart(options, {
    title: 'Gap to the floor, E − floor',
    x: stepAxis(options),
    y: { label: 'E − floor', scale: 'log' },
    series: curveSeries(gap, 'E − floor', OKABE_ITO.reddishPurple, 'solid', options, true),
    markers: clocksOn(options, ['T_struct']),
  })
}

/**
 * The scale-free measures T_struct(δ) reads: the balancedness gap and the relative energy gap,
 * with δ drawn as a level line so the clock's crossing can be seen.
 */
export function balancednessFigure(series: readonly CurveInput[], options: ViewOptions & { delta?: number } = {}): LineFigure {
  const out: FigureSeries[] = [
    ...curveSeries(find(series, 'balancedness_gap'), 'balancedness gap', OKABE_ITO.bluishGreen, 'solid', options, true),
    ...curveSeries(find(series, 'relative_energy_gap'), '(E − floor) / E', OKABE_ITO.reddishPurple, 'dashed', options, true),
  ]
  const xs = out.flatMap((s) => (s.steps.length ? [s.steps[0], s.steps[s.steps.length - 1]] : []))
  if (options.delta && options.delta > 0 && xs.length) {
    const from = Math.min(...xs)
    const to = Math.max(...xs, options.xMax && timeAxisOf(options.x ?? 'step') === 'step' ? options.xMax : -Infinity)
    out.push({ id: 'delta', name: `δ = ${options.delta} (T_struct: balancedness ≤ δ)`, steps: [from, to], values: [options.delta, options.delta], color: OKABE_ITO.yellow, dash: 'dotted' })
  }
  return fitLogStart(options, { title: 'Balancedness and relative gap', x: stepAxis(options), y: { label: 'relative gap', scale: 'log' }, series: out, markers: clocksOn(options, ['T_struct']) })
}

// ---- Diagonal nets and matrix completion (LD) ----

/**
 * Gradient-flow time after `step` updates: the sum of the learning rates, with the optimizer's
 * linear warmup lr·min(1, (k+1)/W) (training/optimizer.ts). Without warmup, lr·step.
 */
export function flowTime(step: number, lr: number, warmup: number): number {
  if (warmup <= 0) return lr * step
  if (step <= warmup) return (lr * step * (step + 1)) / (2 * warmup)
  return lr * (step - (warmup - 1) / 2)
}

/** The inverse of flowTime, as a fractional step. */
export function stepAtFlowTime(t: number, lr: number, warmup: number): number {
  if (warmup <= 0) return t / lr
  if (t <= (lr * (warmup + 1)) / 2) return (-1 + Math.sqrt(1 + (8 * warmup * t) / lr)) / 2
  return t / lr + (warmup - 1) / 2
}

export interface LargeInitPrediction {
  /** λ (wd) and α (init_scale) of the run. */
  lambda: number
  alpha: number
  /** (1/λ)·log α, in gradient-flow time t = Σ lr. */
  time: number
  /** The first step whose flow time reaches it. */
  step: number
  /** False off plain gradient descent (Adam, momentum): t = η·step is then only a guide. */
  exact: boolean
}

/**
 * LD's transition time t ≈ (1/λ)·log α and its step, or null where it predicts nothing (no weight
 * decay, or α ≤ 1: no kernel phase to leave). α is init_scale: u = v = α·1 for the diagonal net,
 * U with rows of norm ≈ α (and V = 0) for matrix factorization.
 */
export function largeInitPrediction(c: SystemConfig): LargeInitPrediction | null {
  if (!(c.wd > 0) || !(c.init_scale > 1) || !(c.lr > 0)) return null
  const time = Math.log(c.init_scale) / c.wd
  return { lambda: c.wd, alpha: c.init_scale, time, step: Math.round(stepAtFlowTime(time, c.lr, c.warmup)), exact: c.optimizer === 'sgd' && !c.momentum }
}

const STEPS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
/** The prediction marker's label; the chart appends the marker's x. */
export const PREDICTION_LABEL = '(1/λ)·log α'
const PREDICTION_COLOR = OKABE_ITO.bluishGreen

/** The vertical line at the predicted step, on the view's axis (off the step axis the label keeps the step). */
export function predictionMarker(prediction: LargeInitPrediction | null, options: ViewOptions = {}): FigureMarker[] {
  if (!prediction) return []
  const axis = timeAxisOf(options.x ?? 'step')
  const x = stepToX(prediction.step, axis, { wd: 0, lr: 1 })
  if (x === null) return []
  const label = axis === 'step' ? PREDICTION_LABEL : `${PREDICTION_LABEL} (step ${STEPS.format(prediction.step)})`
  return [{ x, label, color: PREDICTION_COLOR, dash: 'dotted' }]
}

/**
 * The step budget widened to show a prediction a little past the run's end (up to twice the
 * budget); further out the curves would shrink to a sliver, so the page says so instead.
 */
function withPrediction(options: ViewOptions, prediction: LargeInitPrediction | null): ViewOptions {
  const { xMax } = options
  if (!prediction || !xMax || prediction.step <= xMax || prediction.step > 2 * xMax) return options
  return { ...options, xMax: Math.ceil((prediction.step * 1.05) / 100) * 100 }
}

/**
 * The test metric against the prediction: accuracy for the diagonal net (sign agreement), the
 * held-out MSE for matrix completion (its accuracy only fires at 99 % of entries, long after).
 */
export function transitionFigure(series: readonly CurveInput[], config: SystemConfig, given: ViewOptions = {}): LineFigure {
  const prediction = largeInitPrediction(config)
  const options = withPrediction(given, prediction)
  const completion = config.task === 'matrix-completion'
  const [train, test] = completion ? ['train_loss', 'test_loss'] : ['train_acc', 'test_acc']
  const logY = completion
  return fitLogStart(options, {
    title: completion ? 'Held-out MSE against the predicted transition' : 'Test accuracy against the predicted transition',
    x: stepAxis(options),
    y: completion ? { label: 'MSE', scale: 'log' } : { label: 'accuracy', scale: 'linear', min: 0, max: 1 },
    series: [
      ...curveSeries(find(series, test), completion ? 'held-out MSE (test)' : 'test accuracy', SPLIT_COLORS.test, 'solid', options, logY),
      ...curveSeries(find(series, train), completion ? 'observed MSE (train)' : 'train accuracy', SPLIT_COLORS.train, 'dashed', options, logY),
    ],
    markers: [...predictionMarker(prediction, options), ...clocksOn(options, ['T_gen'])],
  })
}

/** ‖θ − θ₀‖/‖θ₀‖ on a log axis: small while training is lazy (kernel regime), order one once it turns rich. */
export function distanceFromInitFigure(series: readonly CurveInput[], config: SystemConfig, given: ViewOptions = {}): LineFigure {
  const prediction = largeInitPrediction(config)
  const options = withPrediction(given, prediction)
  return fitLogStart(options, {
    title: 'Distance from init, lazy against rich',
    x: stepAxis(options),
    y: { label: '‖θ − θ₀‖ / ‖θ₀‖', scale: 'log' },
    series: curveSeries(find(series, 'rel_dist_init'), '‖θ − θ₀‖ / ‖θ₀‖', OKABE_ITO.reddishPurple, 'solid', options, true),
    markers: predictionMarker(prediction, options),
  })
}

// ---- Two-phase regression (GF) ----

export interface CollapseRun {
  runId: number
  /** Legend text, e.g. `#12 λ=0.002`. */
  label: string
  config: { wd: number; lr: number }
  series: readonly CurveInput[]
  color?: string
  /** The page's own run: dashed and drawn on top, so that it shows where the curves collapse onto one. */
  own?: boolean
}

/** Runs sorted by λ with a colour each (kept when given). */
function byLambda(runs: readonly CollapseRun[]): CollapseRun[] {
  return [...runs].sort((a, b) => a.config.wd - b.config.wd || a.runId - b.runId)
}

/**
 * One metric of several runs against λ·η·t, where GF's second phase of every λ should fall on one
 * curve. Runs without weight decay have no place on the axis and are listed in `skipped`.
 */
export function collapseFigure(runs: readonly CollapseRun[], metric: 'param_norm' | 'test_loss'): { figure: LineFigure; skipped: number[] } {
  const skipped: number[] = []
  const series: FigureSeries[] = []
  const logY = metric === 'test_loss'
  byLambda(runs).forEach((run, i) => {
    const curve = find(run.series, metric)
    if (!(run.config.wd > 0)) return void skipped.push(run.runId)
    if (!curve) return
    const { x, y } = mapCurve(curve, 'lambda-t', run.config, logY)
    series.push({ id: `${run.runId}:${metric}`, name: run.label, runId: run.runId, steps: x, values: y, color: run.color ?? seriesColor(i), dash: run.own ? 'dashed' : 'solid' })
  })
  const own = series.findIndex((s) => runs.some((r) => r.own && r.runId === s.runId))
  if (own >= 0) series.push(...series.splice(own, 1))
  const figure: LineFigure = {
    title: metric === 'param_norm' ? '‖θ‖ against λ·η·t' : 'Test loss against λ·η·t',
    x: { label: 'λ·η·t (t in steps)', scale: 'linear', min: 0 },
    y: metric === 'param_norm' ? { label: '‖θ‖', scale: 'linear' } : { label: 'test loss', scale: 'log' },
    series,
    markers: [],
  }
  return { figure, skipped }
}

/** `#12 λ=0.002`: the run and its weight decay, as the legend names it. */
export function lambdaLabel(runId: number, wd: number): string {
  return `#${runId} λ=${Number(wd.toPrecision(3))}`
}

// ---- Captions ----

/** One line: what the system claims and what to look for in its view. */
export function systemCaption(view: SystemView, config: SystemConfig): string {
  if (view === 'deep-linear') {
    return 'TC: the fit is fast (T_margin, T_fit); the energy E keeps closing on its Schatten floor on the slow 1/λ clock: look for E − floor and the balancedness gap falling long after it (T_struct).'
  }
  if (view === 'two-phase') {
    return 'GF: gradient flow first fits (fast), then drifts along the zero-loss manifold minimizing ‖θ‖ on a 1/λ clock; look for the ‖θ‖ curves of different λ falling onto one curve against λ·η·t.'
  }
  const what = config.task === 'matrix-completion' ? 'the held-out MSE leaving its plateau' : 'test accuracy jumping (or falling: misgrokking)'
  return `LD: with large α and small λ, training stays in the kernel regime until t ≈ (1/λ)·log α, then turns rich: look for ${what} near the marker as the distance from init reaches order one.`
}
