/// <reference types="@webgpu/types" />
import { EMBED_MLP_GRAPHS } from '../embed-mlp-graphs'
import type { FastShape } from '../model-graphs'
import { EPILOGUE, STAT, type RowParams } from './embed-mlp-wgsl'
import { GpuKernels, type Pass } from './gpu-passes'
import { indexLength } from './plan-cache'
import { ResidentGpuEngine, type FeedPlan, type Mode } from './resident-gpu-engine'

/** Buffers and recorded passes for one feed of pairs. */
interface Plan extends FeedPlan {
  hidden: GPUBuffer
  stats: GPUBuffer
  dhidden?: GPUBuffer
  /** Partial products of dW_out over chunks of pairs (split-K), when the train set is long. */
  partial?: { buffer: GPUBuffer; splits: number; chunk: number }
}

/** Pairs per chunk of dW_out's inner dimension (a multiple of the GEMM's 16-deep tiles). */
export const SPLIT_CHUNK = 512

/**
 * The embed-MLP fast path on a WebGPU device: per-token tables, gathers, a fixed-order sum per
 * token and a hand-written backward in WGSL, every member in the same dispatches. One step is one
 * upload of the weights, fifteen dispatches and one readback of the gradients (or, resident, one
 * submit with the optimizer's update and no readback: see ResidentGpuEngine).
 */
export class EmbedMlpGpu extends ResidentGpuEngine<Plan> {
  private readonly tables: GPUBuffer
  private readonly dtables: GPUBuffer

  private constructor(kernels: GpuKernels, shape: FastShape) {
    super(kernels, shape, EMBED_MLP_GRAPHS)
    const table = shape.members * shape.p * shape.hidden
    try {
      ;[this.tables, this.dtables] = this.buffersOrNone([2 * table, 2 * table])
    } catch (e) {
      // The engine is never handed out: nothing else would destroy what super() made.
      this.destroyBaseBuffers()
      throw e
    }
  }

  static async create(device: GPUDevice, shape: FastShape): Promise<EmbedMlpGpu> {
    return new EmbedMlpGpu(await GpuKernels.compile(device), shape)
  }

  protected ownBuffers(): GPUBuffer[] {
    return [this.tables, this.dtables]
  }

  protected makePlan(N: number, seg: number, training: boolean): Plan {
    const { members: K, p, hidden: H } = this.shape
    // Every buffer made goes on this list at once, so a LabError part way destroys them all.
    const scratch: GPUBuffer[] = []
    const make = (floats: number) => {
      const b = this.buffer(floats)
      scratch.push(b)
      return b
    }
    try {
      const idx = make(indexLength(K, p, N, seg))
      const hidden = make(K * N * H)
      const logits = make(K * N * p)
      const stats = make(K * N * STAT.width)
      const dhidden = training ? make(K * N * H) : undefined
      const splits = Math.ceil(N / SPLIT_CHUNK)
      const partial = dhidden && splits > 1 ? { buffer: make(K * splits * H * p), splits, chunk: SPLIT_CHUNK } : undefined
      return { rows: N, seg, training, idx, hidden, logits, stats, dhidden, partial, scratch, passes: new Map() }
    } catch (e) {
      scratch.forEach((b) => b.destroy())
      throw e
    }
  }

  protected buildPasses(plan: Plan, mode: Mode): Pass[] {
    const k = this.kernels
    const { members: K, p: P, d: D, hidden: H } = this.shape
    const N = plan.rows
    const o = this.layout.offsets
    const s = this.layout.sizes
    const { params, grads, tables, dtables } = this
    const half = K * P * H
    const step = mode === 'step' || mode === 'step+metrics'
    const measuring = mode === 'step+metrics' || mode === 'train-metrics'
    const q: RowParams = { K, N, p: P, hidden: H, flags: (measuring ? 1 : 0) | (step ? 2 : 0), rowsA: 0, rowsB: K * N, labels: 2 * K * N }
    const t = (flag: number) => flag << 2
    const list: Pass[] = [
      // Per-token tables Pa = E·W_in[:d] + b_in and Pb = E·W_in[d:].
      k.gemm({ M: P, N: H, Kd: D, flags: t(EPILOGUE.bias), aOff: o.E, lda: D, aStride: s.E, bOff: o.W_in, ldb: H, bStride: s.W_in, ldc: H, cStride: P * H, xOff: o.b_in, xStride: H }, K, params, params, tables, params),
      k.gemm({ M: P, N: H, Kd: D, aOff: o.E, lda: D, aStride: s.E, bOff: o.W_in + D * H, ldb: H, bStride: s.W_in, cOff: half, ldc: H, cStride: P * H }, K, params, params, tables, params),
      k.hidden(q, tables, plan.idx, plan.hidden, plan.stats, measuring ? this.patternFor(N) : this.none),
      k.gemm({ M: N, N: P, Kd: H, flags: t(EPILOGUE.bias), lda: H, aStride: N * H, bOff: o.W_out, ldb: P, bStride: s.W_out, ldc: P, cStride: N * P, xOff: o.b_out, xStride: P }, K, plan.hidden, params, plan.logits, params),
    ]
    if (mode !== 'logits') list.push(k.rows(q, plan.logits, plan.idx, plan.stats))
    if (step) {
      if (!plan.dhidden) throw new Error('a training step needs a feed made with targets (makeRowFeed(…, true))')
      const dh = plan.dhidden
      const dWout = { M: H, N: P, Kd: N, flags: 1, lda: H, aStride: N * H, ldb: P, bStride: N * P }
      const split = plan.partial
      list.push(
        // The logits now hold d(loss)/d(logits). dW_out = Hᵀ·dlogits sums over every pair: in
        // chunks side by side, then the chunks in order, when there are many pairs.
        ...(split
          ? [
              k.gemm({ ...dWout, ldc: P, cStride: split.splits * H * P, splits: split.splits, kChunk: split.chunk, cSplit: H * P }, K, plan.hidden, plan.logits, split.buffer, params),
              k.columnSum({ K, rows: split.splits, cols: H * P, inOff: 0, inStride: split.splits * H * P, outOff: o.W_out, outStride: H * P, seg: 0 }, split.buffer, grads),
            ]
          : [k.gemm({ ...dWout, cOff: o.W_out, ldc: P, cStride: s.W_out }, K, plan.hidden, plan.logits, grads, params)]),
        k.columnSum({ K, rows: N, cols: P, inOff: 0, inStride: N * P, outOff: o.b_out, outStride: P, seg: 0 }, plan.logits, grads),
        k.gemm({ M: N, N: H, Kd: P, flags: 2 | t(EPILOGUE.mask), lda: P, aStride: N * P, bOff: o.W_out, ldb: P, bStride: s.W_out, ldc: H, cStride: N * H, ldx: H, xStride: N * H }, K, plan.logits, params, dh, plan.hidden),
        k.segmentSum({ K, rows: K * N, cols: H, inOff: 3 * K * N, inStride: 0, outOff: 0, outStride: 0, seg: plan.seg }, 2 * K * P, dh, plan.idx, dtables),
        k.columnSum({ K, rows: P, cols: H, inOff: 0, inStride: P * H, outOff: o.b_in, outStride: H, seg: 0 }, dtables, grads),
        k.gemm({ M: D, N: H, Kd: P, flags: 1, aOff: o.E, lda: D, aStride: s.E, ldb: H, bStride: P * H, cOff: o.W_in, ldc: H, cStride: s.W_in }, K, params, dtables, grads, params),
        k.gemm({ M: D, N: H, Kd: P, flags: 1, aOff: o.E, lda: D, aStride: s.E, bOff: half, ldb: H, bStride: P * H, cOff: o.W_in + D * H, ldc: H, cStride: s.W_in }, K, params, dtables, grads, params),
        k.gemm({ M: P, N: D, Kd: H, flags: 2, lda: H, aStride: P * H, bOff: o.W_in, ldb: H, bStride: s.W_in, cOff: o.E, ldc: D, cStride: s.E }, K, dtables, params, grads, params),
        k.gemm({ M: P, N: D, Kd: H, flags: 2 | t(EPILOGUE.accumulate), aOff: half, lda: H, aStride: P * H, bOff: o.W_in + D * H, ldb: H, bStride: s.W_in, cOff: o.E, ldc: D, cStride: s.E }, K, dtables, params, grads, params),
      )
    }
    if (mode !== 'logits') list.push(k.memberReduce(q, plan.stats, this.result))
    return list
  }
}
