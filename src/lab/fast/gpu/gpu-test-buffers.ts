/// <reference types="@webgpu/types" />
// Buffer accounting for the GPU tests (transformer-limits.test.ts, embed-mlp-buffers.test.ts).

/** Counts the device's buffers made and not yet destroyed while `job` runs. */
export async function liveBuffersAfter(device: GPUDevice, job: () => Promise<unknown>): Promise<number> {
  const live = new Set<GPUBuffer>()
  const d = device as unknown as { createBuffer: GPUDevice['createBuffer'] }
  const create = device.createBuffer
  d.createBuffer = (descriptor) => {
    const b = create.call(device, descriptor)
    const destroy = b.destroy
    live.add(b)
    ;(b as unknown as { destroy(): void }).destroy = () => {
      live.delete(b)
      destroy.call(b)
    }
    return b
  }
  try {
    await job()
  } finally {
    d.createBuffer = create
  }
  return live.size
}
