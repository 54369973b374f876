import os from 'node:os'
import type * as Ort from 'onnxruntime-node'
import { encodeGraph, type GraphSpec } from './onnx-graph'

export type OrtModule = typeof Ort

let loading: Promise<{ ort?: OrtModule; reason: string }> | undefined

/**
 * Loads onnxruntime-node once per process. It ships prebuilt CPU libraries for Linux, macOS and
 * Windows (N-API, so Electron's Node needs no rebuild); when it cannot load, `reason` says why and
 * the caller keeps the plain tfjs path.
 */
export function loadOnnxRuntime(): Promise<{ ort?: OrtModule; reason: string }> {
  loading ??= import('onnxruntime-node')
    .then((m) => {
      const ort = ((m as { default?: OrtModule }).default ?? m) as OrtModule
      return { ort, reason: `onnxruntime-node ${ort.env.versions?.node ?? ''}`.trim() }
    })
    .catch((e: unknown) => ({ reason: `onnxruntime-node did not load: ${String((e as Error)?.message ?? e).split('\n')[0]}` }))
  return loading
}

/**
 * Below this much work per step (members × p² × hidden units), a step's kernels are too short to
 * share between threads: handing them over costs more than a second core brings. modadd-mlp-small
 * alone (246k) trains 14 % faster on one thread than on two; at p 47 (1.1M) the two tie, and 2
 * small runs batched are faster on two.
 */
const SMALL_STEP = 4e5

/**
 * CPU threads for one session: every core, or one for a step of less than SMALL_STEP `work`.
 * GROKKING_LAB_THREADS overrides both; a sweep that trains several runs at once divides the cores itself.
 */
export function sessionThreads(work = Infinity): number {
  const fromEnv = Number(process.env.GROKKING_LAB_THREADS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  if (work < SMALL_STEP) return 1
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length)
}

/** Compiles a graph into a CPU session with full graph optimisation (it fuses transposes into GEMMs). */
export async function createSession(ort: OrtModule, spec: GraphSpec, threads = sessionThreads()): Promise<Ort.InferenceSession> {
  return ort.InferenceSession.create(encodeGraph(spec), {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Errors only: its warnings about our graphs are for their authors, not for the researcher.
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  })
}
