import * as tf from '@tensorflow/tfjs'
import { parseRunConfig, type RunConfig } from '../../shared/run-config'
import type { BackendName, BackendProbe } from '../../shared/backend'
import { probeBackends } from '../backends/select-backend'
import { fastPathBlocker } from '../fast/engine-choice'
import { getPreset } from '../presets'
import type { LibraryTiming } from './library-timing'
import { findPytorch, timePytorch, type ReferenceTiming } from './pytorch-reference'
import { timeBatched, type BatchedTiming } from './time-batched'
import { timeTraining, type StepTiming } from './time-training'

/** The two reference experiments of the benchmark. */
export const BENCH_MODELS: Record<string, RunConfig> = {
  'embed-mlp': parseRunConfig(getPreset('modadd-mlp').config),
  'transformer-1l': parseRunConfig(getPreset('nanda-transformer').config),
}

export interface BenchRow {
  backend: BackendName
  model: string
  timing?: StepTiming
  pytorch?: ReferenceTiming
  /** PyTorch ms / our ms, in the same run: > 1 means we are faster. */
  ratio?: number
  skipped?: string
}

export interface BenchReport {
  date: string
  host: { cpus: number; node: string; platform: string }
  backends: BackendProbe[]
  pytorch: string
  rows: BenchRow[]
  /** Absent when the bench ran without the library (`library: false`). */
  library?: LibraryTiming
  /** 8 embed-MLP runs trained as one batch against one run alone, on each fast-path backend measured. */
  batched: BatchedTiming[]
}

export interface BenchOptions {
  backends?: BackendName[]
  models?: string[]
  windows?: number
  windowMs?: number
  /** PyTorch device for the reference ('cpu' here; 'cuda' on a GPU machine). */
  torchDevice?: string
  torchThreads?: number
  onProgress?: (line: string) => void
  /** Time 8 batched runs against one (default true). */
  batched?: boolean
  /** Time the SQLite library too (default true; the bundled GPU bench has no SQLite). */
  library?: boolean
}

// Backends that take seconds per step: only measured when asked for by name.
const SLOW = new Set<BackendName>(['cpu'])

/** Measures every requested backend × model, the PyTorch reference beside it, and the library. */
export async function runBench(opts: BenchOptions = {}): Promise<BenchReport> {
  const say = opts.onProgress ?? (() => {})
  const probes = await probeBackends()
  const asked = opts.backends
  const models = opts.models ?? Object.keys(BENCH_MODELS)
  const torch = findPytorch()
  const torchCache = new Map<string, ReferenceTiming>()
  const rows: BenchRow[] = []
  for (const probe of probes) {
    if (asked && !asked.includes(probe.name)) continue
    const skip = !probe.available
      ? probe.reason
      : !asked && (SLOW.has(probe.name) || probe.software)
        ? `slow here (${probe.reason}); measure with --backend ${probe.name}`
        : undefined
    for (const model of models) {
      if (skip) {
        rows.push({ backend: probe.name, model, skipped: skip })
        continue
      }
      // Where a fast path applies, the plain tfjs formulation is timed beside it.
      const variants: RunConfig[] = [BENCH_MODELS[model]]
      if (!fastPathBlocker(BENCH_MODELS[model], probe.name)) variants.push({ ...BENCH_MODELS[model], fast_path: 'off' })
      for (const config of variants) {
        const row: BenchRow = { backend: probe.name, model }
        rows.push(row)
        await tf.setBackend(probe.name)
        say(`timing ${model} on ${probe.name}${config.fast_path === 'off' ? ' (plain tfjs)' : ''}…`)
        row.timing = await timeTraining(config, { warmupSteps: 3, windows: opts.windows ?? 5, windowMs: opts.windowMs ?? 1500 })
        if ('python' in torch) {
          if (!torchCache.has(model)) {
            say(`timing ${model} in PyTorch…`)
            const device = opts.torchDevice ?? 'cpu'
            torchCache.set(model, timePytorch(BENCH_MODELS[model], { device, threads: opts.torchThreads, python: torch.python }))
          }
          row.pytorch = torchCache.get(model)
          row.ratio = row.pytorch!.msPerStep.median / row.timing.msPerStep.median
        }
      }
    }
  }
  const batched: BatchedTiming[] = []
  for (const probe of probes) {
    const measured = rows.some((r) => r.backend === probe.name && r.timing)
    if (opts.batched === false || !measured || fastPathBlocker(BENCH_MODELS['embed-mlp'], probe.name)) continue
    await tf.setBackend(probe.name)
    // The small preset everywhere; the reference shape too where a device has room to spare (a GPU).
    const shapes: [string, number][] = [['modadd-mlp-small', 1000], ...(probe.name === 'webgpu' ? ([['modadd-mlp', 300]] as [string, number][]) : [])]
    for (const [preset, steps] of shapes) {
      say(`timing 8 batched runs of ${preset} against one on ${probe.name}…`)
      batched.push(await timeBatched(preset, parseRunConfig({ ...getPreset(preset).config, steps }), 8))
    }
  }
  let library: LibraryTiming | undefined
  if (opts.library !== false) {
    say('timing the run library…')
    const { timeLibrary } = await import('./library-timing')
    library = await timeLibrary(BENCH_MODELS['embed-mlp'])
  }
  return {
    date: new Date().toISOString(),
    host: { cpus: (await import('node:os')).cpus().length, node: process.version, platform: `${process.platform}-${process.arch}` },
    backends: probes,
    pytorch: 'python' in torch ? `PyTorch on ${opts.torchDevice ?? 'cpu'} (${torch.python})` : torch.reason,
    rows,
    library,
    batched,
  }
}
