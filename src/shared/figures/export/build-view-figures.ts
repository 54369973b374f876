// The export figures of the run page's remaining views: the Fourier view's neuron strip, cos/sin
// circles and Gini/IPR curve, and the per-system views (deep linear, large init, the λ collapse).
// Each reads the library through the API and calls the builder its view calls, with every stored
// point (the views draw downsampled curves; export never does).
import type { RunListItem } from '../../api'
import { LabError } from '../../lab-error'
import type { CurveInput } from '../builders'
import { concentrationByStep } from '../fourier-concentration'
import { concentrationFigure } from '../fourier-figures'
import { circleFrequencies, embeddingCircles, neuronStrip, tokenTensorNames } from '../fourier-views'
import { balancednessFigure, collapseFigure, distanceFromInitFigure, energyFloorFigure, energyGapFigure, lambdaLabel, SYSTEM_VIEW_METRICS, systemViewOf, transitionFigure, type SystemView, type ViewOptions } from '../system-figures'
import type { ExportFigure, Invoke } from './build-export-figure'
import type { ParsedExportRequest } from './export-request'

/** A snapshot step of the run: the one asked for, else the last. */
async function snapshotStep(call: Invoke, runId: number, step: number | undefined): Promise<number> {
  const list = await call('snapshots:list', { runId })
  if (list.steps.length === 0) throw new LabError(`run ${runId} has no weight snapshots yet`)
  if (step === undefined) return list.steps[list.steps.length - 1]
  if (!list.steps.includes(step)) throw new LabError(`run ${runId} has no snapshot at step ${step} (its snapshots: ${list.steps[0]}…${list.steps[list.steps.length - 1]}, ${list.steps.length} in all)`)
  return step
}

async function tokenRun(call: Invoke, runId: number) {
  const item = await call('runs:get', { runId })
  const { model, p, d } = item.run.config
  if (model !== 'embed-mlp' && model !== 'transformer-1l') throw new LabError(`run ${runId} is a ${model} run: it has no token axis, so no Fourier view (embed-mlp and transformer-1l runs do)`)
  return { item, p, d, names: tokenTensorNames(item.run.config) }
}

/** The neuron strip at a snapshot, as the Fourier view's neurons tab draws it. */
export async function neuronsFigure(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  const runId = request.runs[0]
  const { p, d, names } = await tokenRun(call, runId)
  const step = await snapshotStep(call, runId, request.step)
  const [E, W] = await Promise.all([call('snapshots:tensor', { runId, step, tensor: names.embedding }), call('snapshots:tensor', { runId, step, tensor: names.inputWeights })])
  const figure = neuronStrip(E.data, W.data, p, d, W.shape[1])
  return { figure: { kind: 'bar', figure: { ...figure, title: `#${runId} at step ${step}: ${figure.title}` } }, runIds: [runId] }
}

/** One frequency's cos/sin plane of the embedding at a snapshot, as the Fourier view draws it. */
export async function circlesFigure(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  const runId = request.runs[0]
  const { p, names } = await tokenRun(call, runId)
  const step = await snapshotStep(call, runId, request.step)
  const analysis = await call('analysis:run', { runId, step })
  const summary = analysis.fourier?.embedding
  if (!summary) throw new LabError(`run ${runId} has no embedding spectrum at step ${step}`)
  const k = request.frequency ?? circleFrequencies(summary).frequencies[0]
  if (!summary.frequencies.includes(k)) throw new LabError(`--frequency ${k}: run ${runId} has frequencies 1…${summary.frequencies[summary.frequencies.length - 1]} (p = ${p})`)
  const E = await call('snapshots:tensor', { runId, step, tensor: names.embedding })
  const [figure] = embeddingCircles(E.data, E.shape[1], p, summary, [k])
  return { figure: { kind: 'scatter', figure: { ...figure, title: `#${runId} embedding at step ${step}, ${figure.title}` } }, runIds: [runId] }
}

/** Gini and IPR of a view's spectrum over the run; `--step` marks a step as the page's slider does. */
export async function concentrationExport(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  const runId = request.runs[0]
  await tokenRun(call, runId)
  const table = await call('analysis:frequency-steps', { runId, view: request.view })
  if (table.steps.length === 0) throw new LabError(`run ${runId} has no weight snapshots yet`)
  const marked = request.step === undefined ? undefined : await snapshotStep(call, runId, request.step)
  const figure = concentrationFigure(concentrationByStep(table), marked)
  return { figure: { kind: 'line', figure: { ...figure, title: `#${runId} ${request.view}: ${figure.title}` } }, runIds: [runId] }
}

const VIEW_OF: Record<string, SystemView> = { energy: 'deep-linear', 'energy-gap': 'deep-linear', balancedness: 'deep-linear', transition: 'large-init', distance: 'large-init', collapse: 'two-phase' }

async function systemRun(call: Invoke, runId: number, figure: string): Promise<RunListItem> {
  const item = await call('runs:get', { runId })
  const view = systemViewOf(item.run.config)
  if (view !== VIEW_OF[figure]) {
    throw new LabError(`the ${figure} figure is the ${VIEW_OF[figure]} view's; run ${runId} is a ${item.run.config.model} run${view ? ` (its view's figures: ${Object.keys(VIEW_OF).filter((f) => VIEW_OF[f] === view).join(', ')})` : ', with no per-system view'}`)
  }
  return item
}

/** Every stored point of the view's metrics. */
async function curves(call: Invoke, runId: number, names: readonly string[]): Promise<CurveInput[]> {
  const series = await call('runs:series', { runId, names: [...names] })
  return series.map((s) => ({ name: s.name, steps: s.steps, values: s.values }))
}

/** A figure of a run's per-system view (the run page's system tab), its clocks as the page shows them. */
export async function systemFigure(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  if (request.figure === 'collapse') return collapse(call, request)
  const runId = request.runs[0]
  const item = await systemRun(call, runId, request.figure)
  const clocks = request.thresholds ? await call('analysis:clocks', { runId, ...request.thresholds }) : (item.clocks ?? (await call('analysis:clocks', { runId })))
  const series = await curves(call, runId, SYSTEM_VIEW_METRICS[VIEW_OF[request.figure]])
  const options: ViewOptions = { clocks, xMax: item.run.totalSteps || undefined, x: request.x }
  const config = item.run.config
  const build = {
    energy: () => energyFloorFigure(series, options),
    'energy-gap': () => energyGapFigure(series, options),
    balancedness: () => balancednessFigure(series, { ...options, delta: request.thresholds?.delta ?? clocks.thresholds?.delta ?? 0.05 }),
    transition: () => transitionFigure(series, config, options),
    distance: () => distanceFromInitFigure(series, config, options),
  }[request.figure as 'energy']
  const figure = build()
  return { figure: { kind: 'line', figure: { ...figure, title: `#${runId} ${item.run.name}: ${figure.title}` } }, runIds: [runId] }
}

/** The λ collapse of the two-phase view: the first run is the page's own (dashed, on top). */
async function collapse(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  const metric = (request.metrics?.[0] ?? 'param_norm') as 'param_norm' | 'test_loss'
  const [own] = request.runs
  const runs = await Promise.all(
    request.runs.map(async (runId) => {
      const item = await systemRun(call, runId, 'collapse')
      const series = await curves(call, runId, SYSTEM_VIEW_METRICS['two-phase'])
      return { runId, label: `${lambdaLabel(runId, item.run.config.wd)}${runId === own ? ' (this run)' : ''}`, config: item.run.config, series, own: runId === own }
    }),
  )
  const { figure, skipped } = collapseFigure(runs, metric)
  if (figure.series.length === 0) throw new LabError(`no run of ${request.runs.join(', ')} has weight decay and ${metric}: λ·η·t needs wd > 0${skipped.length ? ` (left out: ${skipped.join(', ')})` : ''}`)
  return { figure: { kind: 'line', figure }, runIds: request.runs }
}
