import type { ClockName, ClockSteps } from './clocks'
import { clockMarkers } from './clocks'
import type { FigureAxis, FigureMarker, FigureSeries, LineDash, LineFigure } from './line-figure'
import { seriesColor, SPLIT_COLORS } from './palette'

/** A metric over steps, as `runs:series` answers it. Builders keep the arrays, never copy them. */
export interface CurveInput {
  name: string
  steps: number[]
  values: number[]
}

export interface RunFigureOptions {
  title?: string
  runId?: number
  /** Clocks to mark; default all that fired. */
  clockNames?: readonly ClockName[]
  /** The step budget: a live curve then grows into a fixed frame instead of rescaling the axis. */
  xMax?: number
}

const STEP_AXIS: FigureAxis = { label: 'step', scale: 'linear', min: 0 }
const stepAxis = (xMax?: number): FigureAxis => (xMax && xMax > 0 ? { ...STEP_AXIS, max: xMax } : STEP_AXIS)

function find(series: readonly CurveInput[], name: string): CurveInput | undefined {
  return series.find((s) => s.name === name)
}

function splitSeries(series: readonly CurveInput[], names: { train: string; test: string }, runId?: number): FigureSeries[] {
  const out: FigureSeries[] = []
  for (const split of ['train', 'test'] as const) {
    const curve = find(series, names[split])
    if (!curve) continue
    const s: FigureSeries = { id: curve.name, name: split, steps: curve.steps, values: curve.values, color: SPLIT_COLORS[split], dash: 'solid' }
    if (runId !== undefined) s.runId = runId
    out.push(s)
  }
  return out
}

/** Train and test loss of one run on a log axis, with its clocks. */
export function lossFigure(series: readonly CurveInput[], clocks?: ClockSteps | null, options: RunFigureOptions = {}): LineFigure {
  return {
    title: options.title ?? 'Loss',
    x: stepAxis(options.xMax),
    y: { label: 'loss', scale: 'log' },
    series: splitSeries(series, { train: 'train_loss', test: 'test_loss' }, options.runId),
    markers: clockMarkers(clocks, { names: options.clockNames, runId: options.runId }),
  }
}

/** Train and test accuracy of one run on [0, 1], with its clocks. */
export function accuracyFigure(series: readonly CurveInput[], clocks?: ClockSteps | null, options: RunFigureOptions = {}): LineFigure {
  return {
    title: options.title ?? 'Accuracy',
    x: stepAxis(options.xMax),
    y: { label: 'accuracy', scale: 'linear', min: 0, max: 1 },
    series: splitSeries(series, { train: 'train_acc', test: 'test_acc' }, options.runId),
    markers: clockMarkers(clocks, { names: options.clockNames, runId: options.runId }),
  }
}

/** One run of a comparison. */
export interface CompareRun {
  runId: number
  /** Legend text, e.g. `#12 modadd λ=1`. */
  label: string
  series: readonly CurveInput[]
  clocks?: ClockSteps | null
  /** Fixed colour; default the run's place in the palette. */
  color?: string
}

export type CompareMetric = 'accuracy' | 'loss'

const COMPARE_METRICS: Record<CompareMetric, { train: string; test: string; y: FigureAxis; title: string }> = {
  accuracy: { train: 'train_acc', test: 'test_acc', y: { label: 'accuracy', scale: 'linear', min: 0, max: 1 }, title: 'Accuracy' },
  loss: { train: 'train_loss', test: 'test_loss', y: { label: 'loss', scale: 'log' }, title: 'Loss' },
}

// One colour per run; the split is told by the dash so that colour alone identifies the run.
const SPLIT_DASH: Record<'train' | 'test', LineDash> = { train: 'dashed', test: 'solid' }
const CLOCK_DASH = (name: ClockName): LineDash => (name === 'T_mem' ? 'dotted' : 'dashed')

/** Several runs overlaid: test solid, train dashed, each run's T_mem (dotted) and T_gen (dashed). */
export function compareFigure(runs: readonly CompareRun[], metric: CompareMetric, options: { title?: string; splits?: readonly ('train' | 'test')[] } = {}): LineFigure {
  const spec = COMPARE_METRICS[metric]
  const splits = options.splits ?? ['test', 'train']
  const series: FigureSeries[] = []
  const markers: FigureMarker[] = []
  runs.forEach((run, i) => {
    const color = run.color ?? seriesColor(i)
    for (const split of splits) {
      const curve = find(run.series, spec[split])
      if (!curve) continue
      series.push({ id: `${run.runId}:${curve.name}`, name: `${run.label} ${split}`, legend: run.label, runId: run.runId, steps: curve.steps, values: curve.values, color, dash: SPLIT_DASH[split] })
    }
    markers.push(...clockMarkers(run.clocks, { names: ['T_mem', 'T_gen'], color, suffix: ` #${run.runId}`, runId: run.runId, dash: CLOCK_DASH }))
  })
  return { title: options.title ?? spec.title, x: STEP_AXIS, y: spec.y, series, markers }
}
