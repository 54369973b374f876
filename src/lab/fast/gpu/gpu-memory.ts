import { EMBED_MLP_GRAPHS } from '../embed-mlp-graphs'
import type { FastShape } from '../model-graphs'
import { TRANSFORMER_GRAPHS } from '../transformer-graphs'
import { SPLIT_CHUNK as EMBED_CHUNK } from './embed-mlp-gpu'
import { RESULT, STAT } from './embed-mlp-wgsl'
import { OPT } from './optimizer-wgsl'
import { PackedLayout } from './packed-layout'
import { STAGED } from './resident-gpu-engine'
import { SPLIT_CHUNK as TRANSFORMER_CHUNK } from './transformer-gpu'

/** What a device allows: its two buffer limits, and a total for all of a batch's buffers. */
export interface GpuBudget {
  maxBufferSize: number
  maxStorageBufferBindingSize: number
  totalBytes: number
}

/**
 * The total budget when GROKKING_LAB_GPU_MEMORY_MB does not say: WebGPU tells no VRAM size, so
 * this is low enough for most discrete GPUs and for integrated ones sharing the host's memory.
 */
export const DEFAULT_GPU_MEMORY_MB = 4096

/** The total budget in bytes: GROKKING_LAB_GPU_MEMORY_MB (decimals allowed) or DEFAULT_GPU_MEMORY_MB. */
export function gpuMemoryBudgetBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.GROKKING_LAB_GPU_MEMORY_MB
  const mb = raw === undefined || raw === '' ? DEFAULT_GPU_MEMORY_MB : Number(raw)
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`GROKKING_LAB_GPU_MEMORY_MB must be a positive number of MB, not '${raw}'`)
  return mb * 2 ** 20
}

/** Rows per member of the feeds a run trains on: its train and test sets, and its minibatches. */
export interface FeedRows {
  train: number
  test: number
  batch?: number
}

/** Uniforms of a plan's passes and the rest too small to count one by one. */
const SLACK_PER_PLAN = 16 * 1024

/** A buffer of `floats` as the engines allocate it: whole 16-byte units, 16 at least. */
const bytesOf = (floats: number) => Math.max(16, Math.ceil((floats * 4) / 16) * 16)

/**
 * The bytes of every device buffer a batch of `shape.members` runs of `model` holds at once while it
 * trains resident (mirrors the engines' allocations; checked against them in batch-memory.test.ts):
 * weights and gradients, optimizer m/v and the 'before' copy, the model's tables, the scratch of each
 * feed's plan (train and test sets, and the minibatches the plan cache keeps), the ReLU
 * pattern and the staging of readbacks.
 */
export function residentBuffers(model: string, shape: FastShape, rows: FeedRows): number[] {
  const transformer = model === 'transformer-1l'
  const layout = new PackedLayout(shape, transformer ? TRANSFORMER_GRAPHS : EMBED_MLP_GRAPHS)
  const { members: K, hidden: H } = shape
  const total = layout.total
  const tensors = layout.tensors.length
  const out = [total, total, K * RESULT.width, 4, K * rows.train * H].map(bytesOf)
  // GpuOptimizer: m, v, constants, table, the state before the update (batches).
  out.push(...[total, total, tensors * K * OPT.width, 2 * tensors].map(bytesOf))
  if (K > 1) out.push(bytesOf(3 * total))
  out.push(...modelTables(transformer, shape).map(bytesOf))
  const plans: [number, boolean][] = [
    [rows.train, true],
    [rows.test, false],
  ]
  // Every minibatch of a run shares one plan, its lists sized for the longest (plan-cache.ts).
  if (rows.batch !== undefined) plans.push([rows.batch, true])
  for (const [n, step] of plans) if (n > 0) out.push(...planFloats(transformer, shape, n, step).map(bytesOf), SLACK_PER_PLAN)
  // Staging: the evaluations in flight, and one state readback (weights, m and v) or step readback.
  const evaluation = 2 * K * RESULT.width + 2 * total
  out.push(...Array.from({ length: STAGED }, () => bytesOf(evaluation)), bytesOf(Math.max(3 * total, total + K * RESULT.width)))
  return out
}

function modelTables(transformer: boolean, shape: FastShape): number[] {
  const { members: K, p, d, hidden: H } = shape
  if (!transformer) return [2 * K * p * H, 2 * K * p * H]
  const heads = shape.heads ?? 1
  const T = 2 * p + 1
  return [K * T * d, K * d * 3 * d, K * T * 3 * d, K * T * heads, K * T * (heads + d), K * T * 3 * d, K * d * 3 * d, K * T * d, K * d]
}

/** A plan's scratch for N pairs per member (`step`: a feed with targets, which trains). */
function planFloats(transformer: boolean, shape: FastShape, N: number, step: boolean): number[] {
  const { members: K, p, d, hidden: H } = shape
  // A token's list of pairs is no longer than the feed, nor than the p pairs it can be part of.
  const seg = step ? Math.min(N, p) : 0
  const idx = 3 * K * N + 2 * K * p * seg
  const splits = Math.ceil(N / (transformer ? TRANSFORMER_CHUNK : EMBED_CHUNK))
  if (!transformer) {
    const out = [idx, K * N * H, K * N * p, K * N * STAT.width]
    if (step) out.push(K * N * H, ...(splits > 1 ? [K * splits * H * p] : []))
    return out
  }
  const heads = shape.heads ?? 1
  const out = [idx, K * N * heads * 3, K * N * d, K * N * d, K * N * H, K * N * d, K * N * p, K * N * STAT.width]
  if (step) out.push(K * N * d, K * N * H, K * N * d, K * N * 3 * (heads + d), ...(splits > 1 ? [K * splits * d * Math.max(p, H, d)] : []))
  return out
}

/** Whether buffers of these sizes fit: each under both buffer limits, all together under the total. */
export function fitsBudget(buffers: number[], budget: GpuBudget): boolean {
  const most = Math.min(budget.maxBufferSize, budget.maxStorageBufferBindingSize)
  return buffers.every((b) => b <= most) && buffers.reduce((a, b) => a + b, 0) <= budget.totalBytes
}

/**
 * Sizes of the batches `count` runs train in so each fits (`fits(k)`: whether k runs fit), as
 * even as can be: 64 runs of which 16 fit become 4 batches of 16, 10 of which 4 fit 4, 3 and 3.
 * A single run that does not fit stays a batch of 1 (the engine then says why it cannot train).
 */
export function splitBatch(count: number, fits: (k: number) => boolean): number[] {
  if (count <= 0) return []
  let most = count
  // The buffers grow with k, so the largest k that fits is found by bisection.
  if (!fits(count)) {
    let lo = 1
    let hi = count
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (fits(mid)) lo = mid
      else hi = mid
    }
    most = lo
  }
  const batches = Math.ceil(count / most)
  const base = Math.floor(count / batches)
  return Array.from({ length: batches }, (_, i) => base + (i < count % batches ? 1 : 0))
}
