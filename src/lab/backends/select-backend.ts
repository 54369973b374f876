import * as tf from '@tensorflow/tfjs'
import { LabError } from '../../shared/lab-error'
import { BACKEND_NAMES, type BackendName, type BackendProbe } from '../../shared/backend'
import { wasmThreadCount, withWasmThreads } from './wasm-threads'
import { setupWebgpu } from './webgpu-node'

/** Threads the wasm backend started with (it starts once per process). */
let wasmThreads: number | undefined

// Production mode skips tfjs's debug checks and its console banners.
tf.enableProdMode()

/**
 * Tries to make one backend usable in this process. Each probe registers its tfjs backend and
 * returns why it cannot be used, so `auto` and `grokking-lab backends` can explain themselves.
 */
async function probe(name: BackendName): Promise<BackendProbe> {
  try {
    switch (name) {
      case 'tensorflow':
        return await probeTensorflow()
      case 'webgpu': {
        const adapter = await setupWebgpu()
        if (!adapter.ok) return { name, available: false, reason: adapter.reason }
        await import('@tensorflow/tfjs-backend-webgpu')
        await initialise('webgpu')
        return { name, available: true, reason: adapter.description, software: adapter.software }
      }
      case 'wasm': {
        const wasm = await import('@tensorflow/tfjs-backend-wasm')
        // A bundled copy cannot find its .wasm files next to the package; say where they are.
        if (process.env.GROKKING_LAB_WASM_DIR) wasm.setWasmPaths(`${process.env.GROKKING_LAB_WASM_DIR}/`)
        const threads = wasmThreadCount()
        if (threads > 1 && !tf.findBackend('wasm')) await withWasmThreads(wasm, tf.env(), threads, () => initialise('wasm'))
        else await initialise('wasm')
        wasmThreads ??= threads
        return { name, available: true, reason: `WebAssembly (SIMD), ${wasmThreads > 1 ? `${wasmThreads} threads` : 'single thread'}` }
      }
      case 'cpu':
        await initialise('cpu')
        return { name, available: true, reason: 'plain JavaScript (slow: for checks only)' }
    }
  } catch (e) {
    return { name, available: false, reason: firstLine(e) }
  }
}

/** Which native TensorFlow package the tensorflow backend runs on, once probed. */
let tensorflowPackage: string | undefined

/** Whether the tensorflow backend is tfjs-node-gpu (CUDA) rather than tfjs-node (CPU). */
export function tensorflowOnGpu(): boolean {
  return tensorflowPackage === '@tensorflow/tfjs-node-gpu'
}

async function probeTensorflow(): Promise<BackendProbe> {
  const reasons: string[] = []
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg)
      await initialise('tensorflow')
      tensorflowPackage = pkg
      return { name: 'tensorflow', available: true, reason: `native libtensorflow via ${pkg}` }
    } catch (e) {
      const msg = firstLine(e)
      reasons.push(
        /Cannot find (module|package)/.test(msg)
          ? `${pkg} not installed (npm install ${pkg}; its install downloads libtensorflow)`
          : `${pkg}: libtensorflow not usable (${msg})`,
      )
    }
  }
  return { name: 'tensorflow', available: false, reason: reasons.join('; ') }
}

async function initialise(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name)
  if (!ok) throw new Error(`tfjs could not initialise the ${name} backend`)
  await tf.ready()
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0]
}

/** Probes every backend, best first, leaving the best usable one active. */
export async function probeBackends(): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = []
  for (const name of BACKEND_NAMES) probes.push(await probe(name))
  const best = pickAuto(probes)
  if (best) await tf.setBackend(best)
  return probes
}

/**
 * The backend `auto` picks: the first available, skipping a WebGPU adapter that is a software
 * renderer (on a machine without a GPU Dawn can run on Mesa's CPU OpenGL, ~30× slower than wasm).
 */
export function pickAuto(probes: BackendProbe[]): BackendName | undefined {
  return probes.find((p) => p.available && !p.software)?.name ?? probes.find((p) => p.available)?.name
}

export interface ActiveBackend {
  name: BackendName
  probes: BackendProbe[]
}

/** Activates the requested backend (or the best for `auto`); throws LabError saying why not. */
export async function useBackend(requested: BackendName | 'auto'): Promise<ActiveBackend> {
  if (requested === 'auto') {
    const probes: BackendProbe[] = []
    for (const name of BACKEND_NAMES) {
      const result = await probe(name)
      probes.push(result)
      if (result.available && !result.software) return { name, probes }
    }
    const fallback = pickAuto(probes)
    if (!fallback) throw new LabError('no tfjs backend could be initialised')
    await tf.setBackend(fallback)
    return { name: fallback, probes }
  }
  if (!BACKEND_NAMES.includes(requested)) {
    throw new LabError(`unknown backend '${requested}' (choose one of: auto, ${BACKEND_NAMES.join(', ')})`)
  }
  const result = await probe(requested)
  if (!result.available) throw new LabError(`backend ${requested} is not available: ${result.reason}`)
  return { name: requested, probes: [result] }
}
