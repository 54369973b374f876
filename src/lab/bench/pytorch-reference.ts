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
}

/** Why PyTorch cannot be used here, or null when `python3 -c "import torch"` works. */
export function pytorchUnavailable(python = process.env.PYTHON ?? 'python3'): string | null {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 })
  if (r.error) return `${python} not found`
  if (r.status !== 0) return `PyTorch not importable (${r.stderr.trim().split('\n').pop()})`
  return null
}

/** Runs the PyTorch reference for the same model and data shape; ms per step of AdamW, full batch. */
export function timePytorch(config: RunConfig, opts: { device: string; threads?: number; python?: string }): ReferenceTiming {
  const python = opts.python ?? process.env.PYTHON ?? 'python3'
  const args = [script(), '--model', config.model, '--p', String(config.p), '--frac', String(config.frac), '--d', String(config.d),
    '--hidden', String(config.hidden), '--device', opts.device]
  if (opts.threads) args.push('--threads', String(opts.threads))
  const r = spawnSync(python, args, { encoding: 'utf8', timeout: 600_000 })
  if (r.status !== 0) throw new Error(`PyTorch reference failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`)
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!)
  return { msPerStep: out.ms_per_step, device: out.device, threads: out.threads, torch: out.torch }
}
