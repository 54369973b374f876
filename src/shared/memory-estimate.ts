// How much memory a run of a config needs, estimated from its sizes before anything is allocated,
// so that a config whose tensors cannot fit is refused with the estimate rather than crashing the
// worker (or the machine) at step 0. Rough on purpose: float32 everywhere, the big tensors only.
// No Node imports: the page compiles this too (there the check is left to the lab's own process).
// The check belongs where a run is about to train on this machine, not in config validation: a
// config planned here (a Slurm sweep on a login node, a form) trains elsewhere or later.
import { LabError } from './lab-error'
import type { RunConfig } from './run-config'

const FLOAT = 4

export interface MemoryEstimate {
  /** Trainable parameters. */
  parameters: number
  /** Parameters, gradients, optimizer moments and a checkpoint copy, in bytes. */
  stateBytes: number
  /** The data set and the activations of a full forward and backward pass, in bytes. */
  workBytes: number
  bytes: number
}

/** Trainable parameters of the config's model (the tensor shapes of src/lab/models and systems). */
export function parameterCount(c: RunConfig): number {
  switch (c.model) {
    case 'embed-mlp':
      return c.p * c.d + 2 * c.d * c.hidden + c.hidden + c.hidden * c.p + c.p
    case 'transformer-1l':
      return (c.p + 1) * c.d * 2 + 3 * c.d + 4 * c.d * c.d + 2 * c.d * c.hidden + c.hidden + c.d
    case 'deep-linear': {
      const [input, output] = c.task === 'modular' ? [2 * c.p, c.p] : [c.dim, c.classes]
      const widths = [input, ...Array.from({ length: Math.max(0, c.depth - 1) }, () => c.hidden), output]
      return widths.slice(1).reduce((sum, w, l) => sum + w * widths[l], 0)
    }
    case 'diagonal-linear':
      return 2 * c.dim
    case 'matrix-factorization':
      return 2 * c.dim * c.hidden
    case 'two-layer-relu':
      return c.hidden * c.dim + 2 * c.hidden
    case 'gm-two-layer':
      return 2 * c.p * c.hidden
  }
}

/** Floats held per example by a forward and backward pass (activations and their gradients). */
function floatsPerExample(c: RunConfig): number {
  switch (c.model) {
    case 'embed-mlp':
    case 'gm-two-layer':
      return 2 * (c.hidden + c.p)
    case 'transformer-1l':
      return 2 * (3 * (8 * c.d + c.hidden) + c.heads * 9 + c.p)
    case 'deep-linear':
      return 2 * ((c.task === 'modular' ? 3 * c.p : c.dim + c.classes) + c.depth * c.hidden)
    case 'diagonal-linear':
      return 2 * c.dim
    case 'matrix-factorization':
      return 2
    case 'two-layer-relu':
      return c.dim + 2 * c.hidden
  }
}

/** Examples a step and an evaluation touch: every pair (modular), every entry, or the points. */
function examples(c: RunConfig): number {
  if (c.task === 'modular') return c.p * c.p
  if (c.task === 'matrix-completion') return c.dim * c.dim
  return c.n_train + c.n_test
}

/** The memory a run of `c` needs, estimated from its sizes. */
export function estimateMemory(c: RunConfig): MemoryEstimate {
  const parameters = parameterCount(c)
  const moments = c.optimizer === 'sgd' ? (c.momentum > 0 ? 1 : 0) : 2
  // Weights, gradients, moments, and one copy of weights and moments while a checkpoint is written.
  const stateBytes = parameters * FLOAT * (2 + 2 * moments + 1)
  const workBytes = examples(c) * floatsPerExample(c) * FLOAT
  return { parameters, stateBytes, workBytes, bytes: stateBytes + workBytes }
}

/** Bytes as "48 GB", "512 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'more bytes than any machine has'
  if (bytes >= 1e12) return `${(bytes / 1e12).toPrecision(3)} TB`
  if (bytes >= 1e9) return `${(bytes / 1e9).toPrecision(2)} GB`
  return `${Math.max(1, Math.round(bytes / 1e6))} MB`
}

/**
 * The memory this process may still use, in bytes (Node's process.availableMemory: the free memory,
 * or less under a cgroup limit), or null where it cannot be read (a page).
 */
export function machineMemory(): { free: number } | null {
  const proc = (globalThis as { process?: { availableMemory?: () => number; versions?: { node?: string } } }).process
  if (typeof proc?.availableMemory !== 'function' || !proc.versions?.node) return null
  return { free: proc.availableMemory() }
}

/**
 * Why a run of `c` cannot fit in `memory` (default: this machine's free memory), or null when it
 * can or the memory is unknown.
 */
export function memoryProblem(c: RunConfig, memory = machineMemory()): string | null {
  if (!memory) return null
  const e = estimateMemory(c)
  if (e.bytes <= memory.free) return null
  const biggest = c.model === 'diagonal-linear' || c.model === 'two-layer-relu' || c.task === 'matrix-completion' ? 'dim, hidden' : c.model === 'deep-linear' ? 'p, dim, hidden, depth' : 'p, d, hidden'
  return (
    `this config needs about ${formatBytes(e.bytes)} (${formatBytes(e.stateBytes)} for ${e.parameters.toExponential(2)} parameters with gradients and optimizer state, ` +
    `${formatBytes(e.workBytes)} for the data and activations), more than this machine's ${formatBytes(memory.free)} of free memory; make ${biggest} smaller`
  )
}

/**
 * Throws LabError ("invalid run config: this config needs about …") when the largest of `configs`
 * cannot fit in `memory` (default: this machine's free memory). Call it right before runs train here.
 */
export function assertFitsInMemory(configs: RunConfig | readonly RunConfig[], memory = machineMemory()): void {
  const list: readonly RunConfig[] = Array.isArray(configs) ? configs : [configs as RunConfig]
  if (!memory || list.length === 0) return
  const largest = list.reduce((a, b) => (estimateMemory(b).bytes > estimateMemory(a).bytes ? b : a))
  const problem = memoryProblem(largest, memory)
  if (problem) throw new LabError(`invalid run config: ${problem}`)
}
