/** Result of looking for a WebGPU adapter through Dawn (the `webgpu` package). */
export type WebgpuSetup =
  | { ok: true; description: string; software: boolean }
  | { ok: false; reason: string }

interface DawnModule {
  create(flags: string[]): { requestAdapter(options?: object): Promise<GpuAdapterLike | null> }
  globals: Record<string, unknown>
}
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string }
  isFallbackAdapter?: boolean
}

let cached: Promise<WebgpuSetup> | undefined

/**
 * Finds a WebGPU adapter in Node and exposes it as `navigator.gpu`, which tfjs-backend-webgpu
 * needs before it is imported. The native backend (Vulkan, Metal, D3D12) is tried first; then
 * Dawn's OpenGL ES backend on a surfaceless EGL display in compatibility mode, which is what works
 * on machines without a GPU (Mesa's CPU renderer; see ENGINE-NOTES.md).
 */
export function setupWebgpu(): Promise<WebgpuSetup> {
  cached ??= findAdapter()
  return cached
}

async function findAdapter(): Promise<WebgpuSetup> {
  let dawn: DawnModule
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule
  } catch (e) {
    return { ok: false, reason: `the webgpu package (Dawn) did not load: ${String((e as Error).message).split('\n')[0]}` }
  }
  Object.assign(globalThis, dawn.globals)
  const attempts = [
    { flags: [] as string[], options: {} as Record<string, string>, label: 'native' },
    { flags: ['backend=opengl'], options: { featureLevel: 'compatibility' }, label: 'OpenGL ES (EGL)' },
  ]
  for (const attempt of attempts) {
    if (attempt.label !== 'native') process.env.EGL_PLATFORM ??= 'surfaceless'
    let adapter: GpuAdapterLike | null = null
    let gpu: ReturnType<DawnModule['create']>
    try {
      gpu = dawn.create(attempt.flags)
      adapter = await gpu.requestAdapter(attempt.options)
    } catch {
      continue
    }
    if (!adapter) continue
    const info = adapter.info ?? {}
    const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ')
    const software = Boolean(adapter.isFallbackAdapter) || /llvmpipe|lavapipe|swiftshader|softpipe|software/i.test(text)
    const requestAdapter = (options?: object) => gpu.requestAdapter({ ...options, ...attempt.options })
    const nav = { ...((globalThis as { navigator?: object }).navigator ?? {}), gpu: { ...gpu, requestAdapter } }
    Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true, writable: true })
    return {
      ok: true,
      software,
      description: `${attempt.label}: ${text || 'unnamed adapter'}${software ? ' (software renderer)' : ''}`,
    }
  }
  return { ok: false, reason: 'no WebGPU adapter: Dawn found no Vulkan/Metal/D3D12 device and no OpenGL ES (EGL) display' }
}
