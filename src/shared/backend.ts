/** tfjs backends, best first. */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_NAMES)[number]

/** Whether a backend loads here, and why (or why not). */
export interface BackendProbe {
  name: BackendName
  available: boolean
  reason: string
  /** A WebGPU adapter that is a CPU renderer: correct but far slower than wasm. */
  software?: boolean
}
