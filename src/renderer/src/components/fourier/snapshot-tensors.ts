// Token tensors of a snapshot fetched once per (run, step, name) for the client-side pictures.
import type { SnapshotList, SnapshotTensor } from '../../../../shared/api'
import { lab } from '../../api'

export { tokenTensorNames } from '../../../../shared/figures/fourier-views'

// Small and bounded: a page looks at a handful of steps, and each tensor is at most a few MB.
const cache = new Map<string, Promise<SnapshotTensor>>()
const LIMIT = 24

/** One tensor of one snapshot, shared by every component that asks for it. */
export function snapshotTensor(runId: number, step: number, tensor: string): Promise<SnapshotTensor> {
  const key = `${runId}:${step}:${tensor}`
  let pending = cache.get(key)
  if (!pending) {
    pending = lab.invoke('snapshots:tensor', { runId, step, tensor })
    pending.catch(() => cache.delete(key))
    cache.set(key, pending)
    if (cache.size > LIMIT) cache.delete(cache.keys().next().value!)
  }
  return pending
}

/** Whether the snapshot list has a 2-D tensor of that name. */
export function hasMatrix(tensors: SnapshotList['tensors'], name: string): boolean {
  return tensors.some((t) => t.name === name && t.shape.length === 2)
}
