import type { RunConfig } from '../../shared/run-config'
import { tensorflowOnGpu } from '../backends/select-backend'
import type { FastEngine } from './fast-engine'
import type { FeedRows } from './gpu/gpu-memory'
import { EMBED_MLP_GRAPHS } from './embed-mlp-graphs'
import type { FastShape, ModelGraphs } from './model-graphs'
import { OnnxEngine } from './onnx-engine'
import { loadOnnxRuntime } from './onnx-runtime'
import { TRANSFORMER_GRAPHS } from './transformer-graphs'

/** Which engine computes a run's gradients, and why. */
export interface FastPathStatus {
  active: boolean
  reason: string
}

/** The onnxruntime graphs of each model with a fast path. */
const GRAPHS_OF: Record<string, ModelGraphs | undefined> = { 'embed-mlp': EMBED_MLP_GRAPHS, 'transformer-1l': TRANSFORMER_GRAPHS }

/** Whether `model` has a fast path (on some backend). */
export function hasFastPath(model: string): boolean {
  return GRAPHS_OF[model] !== undefined
}

/**
 * The engine of a model's fast path on a backend: onnxruntime on the CPU ones; on webgpu, WGSL
 * kernels (gpu/embed-mlp-gpu.ts, gpu/transformer-gpu.ts), with weights and optimizer resident on
 * the device. On native TensorFlow's CPU build (tfjs-node) onnxruntime too: the plain formulation there runs
 * at about PyTorch's CPU speed, which the fast path beats 2× (embed-MLP) to 6× (transformer). None
 * beside tfjs-node-gpu: CUDA may well beat the CPU, and neither is measured here (both need libtensorflow).
 */
export function engineFor(backend: string, model: string, nativeOnGpu = tensorflowOnGpu()): 'onnxruntime' | 'webgpu' | undefined {
  if (!hasFastPath(model)) return undefined
  if (backend === 'webgpu') return 'webgpu'
  if (backend === 'tensorflow') return nativeOnGpu ? undefined : 'onnxruntime'
  return backend === 'wasm' || backend === 'cpu' ? 'onnxruntime' : undefined
}

/** Why the fast path does not apply to this run on this backend, or undefined when it may. */
export function fastPathBlocker(c: RunConfig, backend: string): string | undefined {
  if (c.fast_path === 'off') return 'fast_path is off in the config'
  if (c.task !== 'modular' || !hasFastPath(c.model)) return `no fast path for ${c.model}`
  if (!engineFor(backend, c.model)) return `no fast path beside tfjs-node-gpu (CUDA trains it; the fast path runs on the CPU and is not measured against it)`
  return undefined
}

/** Config keys that may differ between members of one batch: they change values, not shapes or schedules. */
export const PER_MEMBER_KEYS = ['seed', 'lr', 'wd', 'wd_per_layer', 'init_scale', 'optimizer', 'beta1', 'beta2', 'eps', 'momentum', 'warmup'] as const

/** What runs of one batch must share: the whole config but its per-member keys. */
export function batchShapeKey(c: RunConfig): string {
  const shape: Record<string, unknown> = { ...c }
  for (const k of PER_MEMBER_KEYS) delete shape[k]
  return JSON.stringify(shape)
}

/** The fast-path engine for K runs of `model` in `shape` on `backend` (`rows`: pairs per member, when known), or why there is none. */
export async function openEngine(backend: string, model: string, shape: FastShape, threads?: number, rows?: FeedRows): Promise<{ engine?: FastEngine; reason: string }> {
  const gpuProblem = await gpuShapeProblem(backend, model, shape, rows)
  if (gpuProblem) {
    // A shape over WebGPU's grid limits trains on the CPU's fast path instead of failing its first step.
    const { ort, reason } = await loadOnnxRuntime()
    if (!ort) return { reason: `${reason}; and not on WebGPU: ${gpuProblem}` }
    return { engine: await OnnxEngine.create(ort, GRAPHS_OF[model]!, shape, threads), reason: `${reason} on the CPU, since ${gpuProblem}` }
  }
  if (engineFor(backend, model) === 'webgpu') {
    const { gpuDevice } = await import('./gpu/gpu-device')
    const { device, reason } = await gpuDevice()
    if (!device) return { reason }
    const engine =
      model === 'transformer-1l'
        ? await (await import('./gpu/transformer-gpu')).TransformerGpu.create(device, shape, undefined, rows)
        : await (await import('./gpu/embed-mlp-gpu')).EmbedMlpGpu.create(device, shape)
    return { engine, reason: `WGSL kernels on ${reason}` }
  }
  const { ort, reason } = await loadOnnxRuntime()
  if (!ort) return { reason }
  const where = backend === 'tensorflow' ? ' on the CPU, beside tfjs-node' : ''
  return { engine: await OnnxEngine.create(ort, GRAPHS_OF[model]!, shape, threads), reason: reason + where }
}

/** Why `shape` of `model` cannot take the WebGPU engine on `backend` (WebGPU's grid limits, with `rows` those over the pairs too), or undefined. */
export async function gpuShapeProblem(backend: string, model: string, shape: FastShape, rows?: FeedRows): Promise<string | undefined> {
  if (engineFor(backend, model) !== 'webgpu' || model !== 'transformer-1l') return undefined
  const { transformerGridProblem } = await import('./gpu/transformer-grids')
  return transformerGridProblem(shape, rows)
}
