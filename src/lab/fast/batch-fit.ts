import type { RunConfig } from '../../shared/run-config'
import { engineFor, fastPathBlocker } from './engine-choice'
import { feedRows } from './feed-rows'
import { fitsBudget, gpuMemoryBudgetBytes, residentBuffers, splitBatch } from './gpu/gpu-memory'

export { feedRows }

/**
 * The runs of one batch (configs equal but for per-member keys) as consecutive groups of indices
 * whose device buffers fit: on the WebGPU fast path, by the device's buffer limits and the total
 * budget (GROKKING_LAB_GPU_MEMORY_MB, see gpu-memory.ts); one group everywhere else.
 */
export async function batchesThatFit(configs: RunConfig[], backend: string): Promise<number[][]> {
  const all = configs.map((_, i) => i)
  const c = configs[0]
  if (!c || fastPathBlocker(c, backend) || engineFor(backend, c.model) !== 'webgpu') return [all]
  const { gpuDevice } = await import('./gpu/gpu-device')
  const { device } = await gpuDevice()
  if (!device) return [all]
  const rows = feedRows(c)
  const budget = {
    maxBufferSize: device.limits.maxBufferSize,
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    totalBytes: gpuMemoryBudgetBytes(),
  }
  const sizes = splitBatch(configs.length, (k) =>
    fitsBudget(residentBuffers(c.model, { p: c.p, d: c.d, hidden: c.hidden, heads: c.heads, members: k }, rows), budget),
  )
  let at = 0
  return sizes.map((n) => all.slice(at, (at += n)))
}
