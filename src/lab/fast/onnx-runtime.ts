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
 * CPU threads for one session. GROKKING_LAB_THREADS overrides; a sweep that trains several runs
 * at once divides the cores itself.
 */
export function sessionThreads(): number {
  const fromEnv = Number(process.env.GROKKING_LAB_THREADS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
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
