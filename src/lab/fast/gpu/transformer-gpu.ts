/// <reference types="@webgpu/types" />
import { LabError } from '../../../shared/lab-error'
import type { FastShape } from '../model-graphs'
import { TRANSFORMER_GRAPHS } from '../transformer-graphs'
import { EPILOGUE, STAT, type RowParams } from './embed-mlp-wgsl'
import type { Pass } from './gpu-passes'
import { indexLength } from './plan-cache'
import { ResidentGpuEngine, type FeedPlan, type Mode } from './resident-gpu-engine'
import { backwardPasses } from './transformer-backward-passes'
import { TransformerKernels } from './transformer-kernels'
import { SPLIT_CHUNK, transformerGridProblem } from './transformer-grids'
import type { FeedRows } from './gpu-memory'
import type { TfParams } from './transformer-wgsl'

/** Buffers of one feed of pairs (the per-pair activations the backward pass reads). */
export interface TransformerPlan extends FeedPlan {
  attn: GPUBuffer
  z: GPUBuffer
  resid: GPUBuffer
  /** The MLP's pre-activations, then (in place) its ReLU output. */
  hidden: GPUBuffer
  final: GPUBuffer
  stats: GPUBuffer
  /** A step's scratch: dfinal (then dresid), dZ, dz, the per-pair table gradients, split-K partials. */
  back?: { dres: GPUBuffer; dZ: GPUBuffer; dz: GPUBuffer; dpair: GPUBuffer; partial?: { buffer: GPUBuffer; splits: number; chunk: number } }
}

/** The per-member tables of the "=" position's attention, shared by every feed (T = 2p + 1 rows). */
export interface TransformerTables {
  X: GPUBuffer
  Wc: GPUBuffer
  QKV: GPUBuffer
  S: GPUBuffer
  dTab: GPUBuffer
  dQKV: GPUBuffer
  dWc: GPUBuffer
  dX: GPUBuffer
  dx2: GPUBuffer
}

export { SPLIT_CHUNK } from './transformer-grids'

/**
 * The transformer-1L fast path on a WebGPU device: the maths of transformer-graphs.ts in WGSL. Only
 * the "=" position is computed; keys, values and scores of positions 0 and 1 are tables over the p
 * tokens, each pair gathers its rows, a softmax over 3 scores per head, then W_O, the MLP and the
 * unembedding as GEMMs; the backward pass sums each pair's table gradients per token in a fixed
 * order. K members share every dispatch; weights and optimizer state can stay on the device
 * (ResidentGpuEngine).
 */
export class TransformerGpu extends ResidentGpuEngine<TransformerPlan> {
  private readonly tables: TransformerTables

  private constructor(
    private readonly tk: TransformerKernels,
    shape: FastShape,
    /** Pairs per split-K chunk (tests shorten it to check the split on small sets). */
    private readonly splitChunk: number,
  ) {
    super(tk.shared, shape, TRANSFORMER_GRAPHS)
    const { members: K, p, d } = shape
    const heads = shape.heads!
    const T = 2 * p + 1
    const sizes = { X: K * T * d, Wc: K * d * 3 * d, QKV: K * T * 3 * d, S: K * T * heads, dTab: K * T * (heads + d), dQKV: K * T * 3 * d, dWc: K * d * 3 * d, dX: K * T * d, dx2: K * d }
    try {
      const made = this.buffersOrNone(Object.values(sizes))
      this.tables = Object.fromEntries(Object.keys(sizes).map((name, i) => [name, made[i]])) as unknown as TransformerTables
    } catch (e) {
      // The engine is never handed out: nothing else would destroy what super() made.
      this.destroyBaseBuffers()
      throw e
    }
  }

  /** The engine for K members of `shape` (heads must divide d); a LabError when its grids are over WebGPU's limits, with `rows` (pairs per member) those over the pairs too. */
  static async create(device: GPUDevice, shape: FastShape, splitChunk = SPLIT_CHUNK, rows?: FeedRows): Promise<TransformerGpu> {
    if (!shape.heads || shape.d % shape.heads !== 0) throw new Error(`d (${shape.d}) must split into heads (${shape.heads})`)
    const problem = transformerGridProblem(shape, rows, splitChunk)
    if (problem) throw new LabError(problem)
    return new TransformerGpu(await TransformerKernels.compile(device), shape, splitChunk)
  }

  protected ownBuffers(): GPUBuffer[] {
    return Object.values(this.tables)
  }

  protected makePlan(N: number, seg: number, training: boolean): TransformerPlan {
    const { members: K, p, d, hidden: H } = this.shape
    const heads = this.shape.heads!
    // Every buffer made goes on this list at once, so a LabError part way destroys them all.
    const made: GPUBuffer[] = []
    const make = (floats: number) => {
      const b = this.buffer(floats)
      made.push(b)
      return b
    }
    try {
      const idx = make(indexLength(K, p, N, seg))
      const rowsOf = (width: number) => make(K * N * width)
      const plan: TransformerPlan = {
        rows: N,
        seg,
        training,
        idx,
        attn: rowsOf(heads * 3),
        z: rowsOf(d),
        resid: rowsOf(d),
        hidden: rowsOf(H),
        final: rowsOf(d),
        logits: rowsOf(p),
        stats: rowsOf(STAT.width),
        scratch: made,
        passes: new Map(),
      }
      if (training) {
        const splits = Math.ceil(N / this.splitChunk)
        plan.back = {
          dres: rowsOf(d),
          dZ: rowsOf(H),
          dz: rowsOf(d),
          dpair: rowsOf(3 * (heads + d)),
          // The largest weight gradient summed over pairs is d × max(p, hidden, d).
          partial: splits > 1 ? { buffer: make(K * splits * d * Math.max(p, H, d)), splits, chunk: this.splitChunk } : undefined,
        }
      }
      return plan
    } catch (e) {
      made.forEach((b) => b.destroy())
      throw e
    }
  }

  /** The transformer kernels' uniform values for `plan` (offsets of the packed tensors, the scale's bits). */
  private tfParams(plan: TransformerPlan, flags: number): TfParams {
    const { members: K, p, d, hidden } = this.shape
    const heads = this.shape.heads!
    const o = this.layout.offsets
    const s = this.layout.sizes
    const [WE, POS, WQ, WK, WV] = this.layout.tensors
    const scaleBits = new Uint32Array(Float32Array.of(1 / Math.sqrt(d / heads)).buffer)[0]
    return {
      K,
      N: plan.rows,
      p,
      d,
      heads,
      dh: d / heads,
      hidden,
      flags,
      oWE: o[WE],
      oPOS: o[POS],
      oWQ: o[WQ],
      oWK: o[WK],
      oWV: o[WV],
      sWE: s[WE],
      sPOS: s[POS],
      sW: s[WQ],
      seg: plan.seg,
      segOff: 0,
      rowOff: 0,
      srcOff: 0,
      scale: scaleBits,
      pad0: 0,
      pad1: 0,
      pad2: 0,
    }
  }

  protected buildPasses(plan: TransformerPlan, mode: Mode): Pass[] {
    const g = this.kernels
    const { members: K, p: P, d: D, hidden: H } = this.shape
    const N = plan.rows
    const T = 2 * P + 1
    const [, , , , , WO, WIN, BIN, WOUT, BOUT, WU] = this.layout.tensors
    const o = this.layout.offsets
    const s = this.layout.sizes
    const { params } = this
    const { X, Wc, QKV, S } = this.tables
    const step = mode === 'step' || mode === 'step+metrics'
    const measuring = mode === 'step+metrics' || mode === 'train-metrics'
    const tf = this.tfParams(plan, measuring ? 1 : 0)
    const bias = EPILOGUE.bias << 2
    const list: Pass[] = [
      this.tk.prepare(tf, params, X, Wc),
      // Every table row's query, key and value at once ([K, T, 3d]); only the "=" row's query is read.
      g.gemm({ M: T, N: 3 * D, Kd: D, lda: D, aStride: T * D, ldb: 3 * D, bStride: D * 3 * D, ldc: 3 * D, cStride: T * 3 * D }, K, X, Wc, QKV, params),
      this.tk.scores(tf, QKV, S),
      this.tk.attend(tf, QKV, S, plan.idx, plan.attn, plan.z),
      // resid = z·W_O + x2 (the "=" row of X as the bias).
      g.gemm({ M: N, N: D, Kd: D, flags: bias, lda: D, aStride: N * D, bOff: o[WO], ldb: D, bStride: s[WO], ldc: D, cStride: N * D, xOff: 2 * P * D, xStride: T * D }, K, plan.z, params, plan.resid, X),
      g.gemm({ M: N, N: H, Kd: D, flags: bias, lda: D, aStride: N * D, bOff: o[WIN], ldb: H, bStride: s[WIN], ldc: H, cStride: N * H, xOff: o[BIN], xStride: H }, K, plan.resid, params, plan.hidden, params),
      this.tk.relu(tf, plan.hidden, plan.stats, measuring ? this.patternFor(N) : this.none),
      g.gemm({ M: N, N: D, Kd: H, flags: bias, lda: H, aStride: N * H, bOff: o[WOUT], ldb: D, bStride: s[WOUT], ldc: D, cStride: N * D, xOff: o[BOUT], xStride: D }, K, plan.hidden, params, plan.final, params),
      this.tk.add(K * N * D, plan.resid, plan.final),
      // The logits read the p answers: W_U's "=" column is left out (ldb p + 1).
      g.gemm({ M: N, N: P, Kd: D, lda: D, aStride: N * D, bOff: o[WU], ldb: P + 1, bStride: s[WU], ldc: P, cStride: N * P }, K, plan.final, params, plan.logits, params),
    ]
    const q: RowParams = { K, N, p: P, hidden: H, flags: (measuring ? 1 : 0) | (step ? 2 : 0), rowsA: 0, rowsB: K * N, labels: 2 * K * N }
    if (mode !== 'logits') list.push(g.rows(q, plan.logits, plan.idx, plan.stats))
    if (step) {
      if (!plan.back) throw new Error('a training step needs a feed made with targets (makeRowFeed(…, true))')
      list.push(...backwardPasses(this.tk, this.layout, tf, plan, this.tables, { params, grads: this.grads }))
    }
    if (mode !== 'logits') list.push(g.memberReduce(q, plan.stats, this.result))
    return list
  }
}
