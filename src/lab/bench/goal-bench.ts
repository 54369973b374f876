import os from 'node:os'
import type { BackendName } from '../../shared/backend'
import { parseRunConfig, type RunConfig } from '../../shared/run-config'
import { useBackend } from '../backends/select-backend'
import { getPreset } from '../presets'
import type { GoalReport } from './goal-report'
import { findPytorch, timePytorch, type ReferenceOptions, type ReferenceTiming } from './pytorch-reference'
import { timeBatched } from './time-batched'
import { timeEvalOverhead } from './time-eval-overhead'
import { timeTraining } from './time-training'

export interface GoalBenchOptions {
  /** The tfjs backend measured (default webgpu). */
  backend?: BackendName
  /** PyTorch's device: 'cuda' on the GPU machine, 'cpu' for a trial elsewhere. */
  torchDevice: string
  torchThreads?: number
  /** Small shapes and few steps: checks the whole command end to end on a slow machine, measures nothing. */
  quick?: boolean
  onProgress?: (line: string) => void
}

// The quick shapes: every code path of the real ones (4 heads, full batch), a fraction of the work.
const QUICK_SHAPE = { p: 23, d: 32, hidden: 64 }

/** How long each measure runs: the real one fits in about two minutes on a GPU (issue 17's one command). */
const PLAN = {
  full: { warmupSteps: 5, windows: 5, windowMs: 1500, batchedSteps: 1000, batchedWarmup: 20, torch: {} as Partial<ReferenceOptions> },
  quick: { warmupSteps: 1, windows: 2, windowMs: 1, batchedSteps: 20, batchedWarmup: 2, torch: { windows: 2, windowMs: 200 } },
}

/** The bench config of a preset, shrunk for `quick`. */
function benchConfig(preset: string, quick: boolean, steps?: number): RunConfig {
  const c = getPreset(preset).config
  return parseRunConfig({ ...c, ...(quick ? QUICK_SHAPE : {}), ...(steps ? { steps } : {}) })
}

/**
 * Measures issue 17's three goals on one backend, PyTorch beside each where it has a counterpart:
 * (a) transformer-1L ms/step, (b) the embed-MLP's measurement overhead at eval_every 20, (c) 8 batched transformer runs against one.
 */
export async function runGoalBench(opts: GoalBenchOptions): Promise<GoalReport> {
  const say = opts.onProgress ?? (() => {})
  const quick = Boolean(opts.quick)
  const plan = quick ? PLAN.quick : PLAN.full
  const active = await useBackend(opts.backend ?? 'webgpu')
  const probe = active.probes.find((p) => p.name === active.name)!
  const torch = findPytorch()
  const reference = (config: RunConfig, extra: Partial<ReferenceOptions> = {}): { pytorch?: ReferenceTiming; pytorchError?: string } => {
    if (!('python' in torch)) return { pytorchError: 'PyTorch not found' }
    try {
      return { pytorch: timePytorch(config, { device: opts.torchDevice, threads: opts.torchThreads, python: torch.python, ...plan.torch, ...extra }) }
    } catch (e) {
      // Ours stay measured when the reference fails (no CUDA, say): say why in the table.
      return { pytorchError: String((e as Error).message).slice(0, 200) }
    }
  }

  const transformer = benchConfig('nanda-transformer', quick)
  say(`(a) timing transformer-1L on ${active.name}…`)
  const tOurs = await timeTraining(transformer, plan)
  say('(a) timing transformer-1L in PyTorch…')
  const tRef = reference(transformer)

  const mlp = benchConfig('modadd-mlp', quick)
  say(`(b) timing the embed-MLP's loop with evaluations every ${mlp.eval_every} steps and without…`)
  const eOurs = await timeEvalOverhead(mlp, { evalEvery: mlp.eval_every, ...plan })
  say('(b) the same in PyTorch…')
  const eRef = reference(mlp, { evalEvery: mlp.eval_every })

  say('(c) timing 8 batched transformer runs against one…')
  const many = benchConfig('nanda-transformer', quick, plan.batchedSteps)
  const batched = await timeBatched('nanda-transformer', many, 8, { warmupSteps: plan.batchedWarmup })

  return {
    date: new Date().toISOString(),
    host: { cpus: os.cpus().length, node: process.version, platform: `${process.platform}-${process.arch}` },
    backend: active.name,
    adapter: probe.reason,
    software: Boolean(probe.software),
    quick,
    pytorch: 'python' in torch ? `PyTorch ${tRef.pytorch?.torch ?? eRef.pytorch?.torch ?? '?'} on ${opts.torchDevice} (${torch.python})` : torch.reason,
    transformer: { config: transformer, ours: tOurs, ...tRef },
    evalOverhead: { config: mlp, ours: eOurs, ...eRef },
    batched: { config: many, ours: batched },
  }
}
