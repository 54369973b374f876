/// <reference types="@webgpu/types" />
import { setupWebgpu } from '../../backends/webgpu-node'
import { LabError } from '../../../shared/lab-error'

export interface GpuDeviceResult {
  device?: GPUDevice
  /** The adapter, or why there is none. */
  reason: string
  software?: boolean
}

let cached: Promise<GpuDeviceResult> | undefined

/**
 * A WebGPU device of our own for the fast path (tfjs keeps its own), with the adapter's largest
 * buffer limits, since batched runs on big p need storage buffers of hundreds of MB.
 */
export function gpuDevice(): Promise<GpuDeviceResult> {
  cached ??= open()
  return cached
}

async function open(): Promise<GpuDeviceResult> {
  const setup = await setupWebgpu()
  if (!setup.ok) return { reason: setup.reason }
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' })
  if (!adapter) return { reason: 'WebGPU gave no adapter' }
  const limits = adapter.limits
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(8, limits.maxStorageBuffersPerShaderStage),
      // Compatibility mode (OpenGL ES) starts at 128; the kernels use workgroups of 256.
      maxComputeInvocationsPerWorkgroup: Math.min(256, limits.maxComputeInvocationsPerWorkgroup),
      maxComputeWorkgroupSizeX: Math.min(256, limits.maxComputeWorkgroupSizeX),
    },
  })
  device.lost.then((info) => {
    if (info.reason !== 'destroyed') console.error(`WebGPU device lost: ${info.message}`)
  })
  watchDevice(device)
  return { device, reason: setup.description, software: setup.software }
}

/** The first error each device reported outside any error scope (a device with one has done work wrongly since). */
const failures = new WeakMap<GPUDevice, LabError>()

/** The one line saying why `error` makes a GPU result unusable, and what to do. */
export function gpuFailure(error: GPUError): LabError {
  const oom = typeof GPUOutOfMemoryError !== 'undefined' && error instanceof GPUOutOfMemoryError
  return new LabError(
    oom
      ? `the GPU ran out of memory (${error.message}): batch fewer runs (sweep --batch N), lower GROKKING_LAB_GPU_MEMORY_MB, or train on the CPU (--backend wasm)`
      : `the GPU refused the fast path's work (${error.message.split('\n')[0]}): a bug in the lab's kernels; train on the CPU meanwhile (--backend wasm)`,
  )
}

/**
 * Marks `device` failed at its first uncaptured error (an out-of-memory createBuffer, a refused
 * submit): such errors arrive asynchronously, and work that followed may have silently not run.
 */
export function watchDevice(device: GPUDevice): void {
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error
    if (failures.has(device)) return
    const failure = gpuFailure(error)
    failures.set(device, failure)
    console.error(failure.message)
  })
}

/** Throws the device's first uncaptured error, if it had one: nothing it computed since can be trusted. */
export function throwIfDeviceFailed(device: GPUDevice): void {
  const failure = failures.get(device)
  if (failure) throw failure
}
