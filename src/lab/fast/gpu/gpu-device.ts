/// <reference types="@webgpu/types" />
import { setupWebgpu } from '../../backends/webgpu-node'

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
  return { device, reason: setup.description, software: setup.software }
}
