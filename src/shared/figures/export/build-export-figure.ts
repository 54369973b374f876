// Builds the figure an export request names from the lab's API, with every stored point: the CLI
// calls it over the in-process dispatcher and the app's Export dialog over its API client, and
// both get the figure the page's views draw (the same builders in ../), never a downsampled one.
import type { LabBridge, LabChannel, LabRequest, LabResponses, RunListItem } from '../../api'
import { LabError } from '../../lab-error'
import { num } from '../../format-number'
import type { CurveInput } from '../builders'
import { metricGroups, overlaidCharts, smallMultiples, type ClockRun } from '../clock-plot'
import type { FourierSummary } from '../../analysis-types'
import { spectrumStats } from '../fourier-concentration'
import { frequencyStepsFigure, spectrumFigure } from '../fourier-figures'
import { maxAbs } from '../heatmap-data'
import { buildHeatmapFigure, heatmapOrder } from '../heatmap-figure'
import { seriesColor } from '../palette'
import { buildPhaseGrid, buildScalingFigure, fitLabel } from '../sweep-figures'
import { circlesFigure, concentrationExport, neuronsFigure, systemFigure } from './build-view-figures'
import type { Figure } from './figure'
import type { ParsedExportRequest } from './export-request'

export type Invoke = <C extends LabChannel>(channel: C, request: LabRequest<C>) => Promise<LabResponses[C]>

/** A built figure with the runs (and sweep) it shows, for the figure bundle's provenance. */
export interface ExportFigure {
  figure: Figure
  runIds: number[]
  sweepId?: number
}

const DEFAULT_CURVES = ['train_acc', 'test_acc']
const DEFAULT_CLOCKS = ['train_acc', 'test_acc', 'train_loss', 'test_loss']
const VIEW_LABEL = { embedding: 'embedding E', unembed: 'unembedding W_U', neurons: 'neuron inputs', outputMap: 'W_out·W_U' } as const

/** The figure `request` names, built from the library through `invoke` (LabBridge.invoke or the dispatcher). */
export async function buildExportFigure(invoke: Invoke | LabBridge['invoke'], request: ParsedExportRequest): Promise<ExportFigure> {
  const call = invoke as Invoke
  switch (request.figure) {
    case 'curves':
    case 'clocks':
      return clockFigure(call, request)
    case 'heatmap':
      return heatmap(call, request)
    case 'fourier':
      return fourier(call, request)
    case 'fourier-time':
      return fourierTime(call, request)
    case 'neurons':
      return neuronsFigure(call, request)
    case 'circles':
      return circlesFigure(call, request)
    case 'concentration':
      return concentrationExport(call, request)
    case 'energy':
    case 'energy-gap':
    case 'balancedness':
    case 'transition':
    case 'distance':
    case 'collapse':
      return systemFigure(call, request)
    case 'sweep':
    case 'phase':
      return sweepFigure(call, request)
  }
}

function runLabel(item: RunListItem): string {
  return `#${item.run.id} ${item.run.name} λ=${num(item.run.config.wd)}`
}

async function clockRuns(call: Invoke, request: ParsedExportRequest, metrics: string[]): Promise<ClockRun[]> {
  return Promise.all(
    request.runs.map(async (runId, i) => {
      const item = await call('runs:get', { runId })
      const stored = await call('runs:metrics', { runId })
      const missing = metrics.filter((m) => !stored.some((s) => s.name === m))
      if (missing.length === metrics.length) {
        throw new LabError(`run ${runId} has none of the metrics ${metrics.join(', ')} (it stores: ${stored.map((s) => s.name).join(', ') || 'nothing yet'})`)
      }
      // No width: every stored point.
      const series = await call('runs:series', { runId, names: metrics })
      const clocks = request.thresholds ? await call('analysis:clocks', { runId, ...request.thresholds }) : (item.clocks ?? (await call('analysis:clocks', { runId })))
      const curves: CurveInput[] = series.map((s) => ({ name: s.name, steps: s.steps, values: s.values }))
      return { runId, label: runLabel(item), color: seriesColor(i), config: { wd: Number(item.run.config.wd), lr: Number(item.run.config.lr) }, series: curves, clocks }
    }),
  )
}

async function clockFigure(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  const metrics = request.metrics ?? (request.figure === 'curves' ? DEFAULT_CURVES : DEFAULT_CLOCKS)
  const runs = await clockRuns(call, request, metrics)
  const groups = metricGroups(metrics)
  const options = { x: request.x, logY: request.logY }
  const title = runs.map((r) => r.label).join(' vs ')
  if (request.figure === 'curves') {
    // One run: train and test in their own colours and each clock in its own (the run page's
    // look); several: one colour per run, as Compare overlays them.
    const charts = runs.length === 1 ? smallMultiples(runs, groups, options).flat() : overlaidCharts(runs, groups, options)
    const figure: Figure = charts.length === 1 ? { kind: 'line', figure: charts[0].figure } : { kind: 'panels', title, columns: charts.length, panels: charts.map((c) => c.figure) }
    return { figure, runIds: request.runs }
  }
  const rows = smallMultiples(runs, groups, options)
  return { figure: { kind: 'panels', title, columns: runs.length, panels: rows.flat().map((c) => c.figure) }, runIds: request.runs }
}

async function heatmap(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  const runId = request.runs[0]
  const item = await call('runs:get', { runId })
  const list = await call('snapshots:list', { runId })
  if (list.steps.length === 0) throw new LabError(`run ${runId} has no weight snapshots to draw`)
  const step = request.step ?? list.steps[list.steps.length - 1]
  const name = request.tensor ?? list.tensors[0].name
  const tensor = await call('snapshots:tensor', { runId, step, tensor: name })
  const p = typeof item.run.config.p === 'number' ? item.run.config.p : null
  let sort = null
  if (request.sort) {
    const order = p === null ? null : heatmapOrder(tensor.shape, tensor.data, p)
    if (!order) throw new LabError(`tensor ${name} of run ${runId} has no axis of length p, so it has no frequency order; leave out --sort`)
    sort = { order }
  }
  // The page's default scale: max |value| of the tensor over every snapshot, so that steps compare.
  const scaleMax = request.scale === 'shared' ? await sharedMax(call, runId, name, list.steps, step, tensor.data) : undefined
  const figure = buildHeatmapFigure({ name, shape: tensor.shape, data: tensor.data, step, runId, sort, scaleMax }, p)
  return { figure: { kind: 'heatmap', figure }, runIds: [runId] }
}

/** Max |value| of a tensor over the run's snapshots (one at a time: each can be megabytes). */
async function sharedMax(call: Invoke, runId: number, tensor: string, steps: number[], shown: number, data: Float32Array): Promise<number> {
  let max = maxAbs(data)
  for (const step of steps) if (step !== shown) max = Math.max(max, maxAbs((await call('snapshots:tensor', { runId, step, tensor })).data))
  return max
}

async function fourier(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  const runId = request.runs[0]
  const analysis = await call('analysis:run', { runId, step: request.step })
  if (!analysis.fourier) throw new LabError(`run ${runId} has no token axis, so it has no Fourier view (embed-mlp and transformer-1l runs do)`)
  const title = `#${runId} ${VIEW_LABEL[request.view]}: power per frequency at step ${analysis.step}`
  if (request.view === 'neurons') {
    // The neurons' spectrum is a column of frequency × step, as the Fourier view draws it.
    const table = await call('analysis:frequency-steps', { runId, view: 'neurons' })
    const j = table.steps.indexOf(analysis.step)
    if (j < 0) throw new LabError(`run ${runId} has no snapshot at step ${analysis.step}`)
    const share = table.share.map((row) => row[j])
    const { keyFrequencies } = spectrumStats(table.frequencies, share)
    return { figure: { kind: 'bar', figure: spectrumFigure({ frequencies: table.frequencies, share, keyFrequencies } as FourierSummary, title) }, runIds: [runId] }
  }
  const summary = analysis.fourier[request.view]
  if (!summary) throw new LabError(`run ${runId} has no ${request.view} view (W_out·W_U exists for transformer-1l runs)`)
  return { figure: { kind: 'bar', figure: spectrumFigure(summary, title) }, runIds: [runId] }
}

async function fourierTime(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  const runId = request.runs[0]
  const table = await call('analysis:frequency-steps', { runId, view: request.view })
  if (table.steps.length === 0) throw new LabError(`run ${runId} has no weight snapshots yet`)
  const figure = frequencyStepsFigure(table, `#${runId} ${VIEW_LABEL[request.view]}: share of power per frequency over the run`)
  return { figure: { kind: 'grid-heatmap', figure }, runIds: [runId] }
}

async function sweepFigure(call: Invoke, request: ParsedExportRequest): Promise<ExportFigure> {
  const sweepId = request.sweep!
  const [detail, report] = await Promise.all([call('sweeps:get', { sweepId }), call('sweeps:report', { sweepId })])
  const runIds = report.runs.map((r) => r.runId)
  if (request.figure === 'phase') {
    const grid = buildPhaseGrid(detail.axes, report.runs)
    if (!grid) throw new LabError(`sweep ${sweepId} has no swept keys to map`)
    return { figure: { kind: 'phase', title: `${report.name}: phases over ${detail.axes.slice(0, 2).map((a) => a.key).join(' × ')}`, grid }, runIds, sweepId }
  }
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  const fits = report.fits.filter(
    (f) => (!request.clock || f.clock === request.clock) && (!request.key || f.key === request.key) && Object.entries(request.fixed ?? {}).every(([k, v]) => same(f.fixed[k], v)),
  )
  const fit = fits.find((f) => f.fit) ?? fits[0]
  if (!fit) {
    const have = report.fits.map(fitLabel).join('; ') || 'none (no clock fired in enough runs)'
    throw new LabError(`sweep ${sweepId} has no fit of ${request.clock ?? 'any clock'} against ${request.key ?? 'any key'}; its fits: ${have}`)
  }
  const figure = buildScalingFigure(fit, report.runs)
  if (!figure) throw new LabError(`sweep ${sweepId}: ${fitLabel(fit)} has no fitted line (${fit.censored} run(s) never fired)`)
  return { figure: { kind: 'scaling', figure }, runIds, sweepId }
}
