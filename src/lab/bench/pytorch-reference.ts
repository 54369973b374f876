import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { RunConfig } from '../../shared/run-config'

/** The reference script; a bundled bench (the GPU machine's) points GROKKING_LAB_TORCH_SCRIPT at it. */
const script = () =>
  process.env.GROKKING_LAB_TORCH_SCRIPT ?? fileURLToPath(new URL('../../../bench/reference/grokking_reference.py', import.meta.url))

export interface ReferenceTiming {
  msPerStep: { median: number; min: number; max: number }
  device: string
  threads: number
  torch: string
  /** With `evalEvery`: the same windows with an evaluation (loss and accuracy of both splits) every evalEvery steps. */
  msPerStepEval?: { median: number; min: number; max: number }
  /** msPerStepEval's median over msPerStep's, minus 1. */
  evalOverhead?: number
}

export interface ReferenceOptions {
  device: string
  threads?: number
  python: string
  /** Timed windows and their length (the script's defaults: 5 of 1.5 s). */
  windows?: number
  windowMs?: number
  /** Also time windows with an evaluation every this many steps, alternating with plain ones. */
  evalEvery?: number
}

// Debian's python3-torch lives under /usr/bin/python3, which a pyenv or venv python3 may shadow.
const PYTHONS = () => (process.env.PYTHON ? [process.env.PYTHON] : ['python3', '/usr/bin/python3'])

/** The first Python that can `import torch`, or the reason none can. */
export function findPytorch(): { python: string } | { reason: string } {
  const reasons: string[] = []
  for (const python of PYTHONS()) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 })
    if (r.status === 0) return { python }
    reasons.push(r.error ? `${python} not found` : `${python}: no torch (${r.stderr.trim().split('\n').pop()})`)
  }
  return { reason: `PyTorch not importable (${reasons.join('; ')}); on Debian: apt-get install python3-torch libopenblas0-pthread` }
}

/** Runs the PyTorch reference for the same model and data shape; ms per step of AdamW, full batch. */
export function timePytorch(config: RunConfig, opts: ReferenceOptions): ReferenceTiming {
  const python = opts.python
  const args = [script(), '--model', config.model, '--p', String(config.p), '--frac', String(config.frac), '--d', String(config.d),
    '--hidden', String(config.hidden), '--heads', String(config.heads), '--device', opts.device]
  if (opts.threads) args.push('--threads', String(opts.threads))
  if (opts.windows) args.push('--windows', String(opts.windows))
  if (opts.windowMs) args.push('--window-ms', String(opts.windowMs))
  if (opts.evalEvery) args.push('--eval-every', String(opts.evalEvery))
  const r = spawnSync(python, args, { encoding: 'utf8', timeout: 600_000 })
  if (r.status !== 0) throw new Error(`PyTorch reference failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`)
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!)
  return {
    msPerStep: out.ms_per_step,
    device: out.device,
    threads: out.threads,
    torch: out.torch,
    ...(out.ms_per_step_eval ? { msPerStepEval: out.ms_per_step_eval, evalOverhead: out.eval_overhead } : {}),
  }
}
