/// <reference types="@webgpu/types" />
import { EPILOGUE } from './embed-mlp-wgsl'
import type { Pass } from './gpu-passes'
import type { PackedLayout } from './packed-layout'
import type { TransformerPlan, TransformerTables } from './transformer-gpu'
import type { TransformerKernels } from './transformer-kernels'
import type { TfParams } from './transformer-wgsl'

/**
 * The transformer's backward pass from d(loss)/d(logits) (in plan.logits) to every gradient in
 * `grads`, in the reverse order of the forward passes, as transformer-graphs.ts's backward():
 * unembedding, MLP, W_O, the attention per pair, the per-token sums into the tables, then the
 * projections, the embedding and the positions. W_U's "=" column is never written: it stays zero.
 */
export function backwardPasses(
  tk: TransformerKernels,
  layout: PackedLayout,
  tf: TfParams,
  plan: TransformerPlan,
  tables: TransformerTables,
  weights: { params: GPUBuffer; grads: GPUBuffer },
): Pass[] {
  const g = tk.shared
  const { K, p: P, d: D, hidden: H, heads } = tf
  const N = plan.rows
  const T = 2 * P + 1
  const W = heads + D
  const [, , , , , WO, WIN, BIN, WOUT, BOUT, WU] = layout.tensors
  const o = layout.offsets
  const s = layout.sizes
  const { params, grads } = weights
  const { dres, dZ, dz, dpair, partial } = plan.back!
  const { X, Wc, QKV, dTab, dQKV, dWc, dX, dx2 } = tables
  const transB = 2
  const mask = EPILOGUE.mask << 2
  const accumulate = EPILOGUE.accumulate << 2

  /** grads[at] = Aᵀ·B summed over the pairs (A [N, M], B [N, cols]): in chunks side by side, then the chunks in order, on long sets. */
  const overPairs = (M: number, cols: number, a: GPUBuffer, b: GPUBuffer, at: { off: number; ldo: number; stride: number }): Pass[] => {
    const product = { M, N: cols, Kd: N, flags: 1, lda: M, aStride: N * M, ldb: cols, bStride: N * cols }
    if (!partial) return [g.gemm({ ...product, cOff: at.off, ldc: at.ldo, cStride: at.stride }, K, a, b, grads, params)]
    const { buffer, splits, chunk } = partial
    return [
      g.gemm({ ...product, ldc: cols, cStride: splits * M * cols, splits, kChunk: chunk, cSplit: M * cols }, K, a, b, buffer, params),
      tk.splitSum({ K, splits, M, N: cols, outOff: at.off, outStride: at.stride, ldo: at.ldo, pad: 0 }, buffer, grads),
    ]
  }
  const sumPairs = (src: GPUBuffer, cols: number, dst: GPUBuffer, outOff: number, outStride: number, inOff = 0): Pass =>
    g.columnSum({ K, rows: N, cols, inOff, inStride: N * cols, outOff, outStride, seg: 0 }, src, dst)
  const tensor = (name: string, ldo: number) => ({ off: o[name], ldo, stride: s[name] })

  return [
    // Unembedding: dW_U[:, :p] = finalᵀ·dlogits, dfinal = dlogits·W_U[:, :p]ᵀ.
    ...overPairs(D, P, plan.final, plan.logits, tensor(WU, P + 1)),
    g.gemm({ M: N, N: D, Kd: P, flags: transB, lda: P, aStride: N * P, bOff: o[WU], ldb: P + 1, bStride: s[WU], ldc: D, cStride: N * D }, K, plan.logits, params, dres, params),
    // MLP (dres holds dfinal, then dresid = dfinal + dZ·W_inᵀ).
    sumPairs(dres, D, grads, o[BOUT], D),
    ...overPairs(H, D, plan.hidden, dres, tensor(WOUT, D)),
    g.gemm({ M: N, N: H, Kd: D, flags: transB | mask, lda: D, aStride: N * D, bOff: o[WOUT], ldb: D, bStride: s[WOUT], ldc: H, cStride: N * H, ldx: H, xStride: N * H }, K, dres, params, dZ, plan.hidden),
    sumPairs(dZ, H, grads, o[BIN], H),
    ...overPairs(D, H, plan.resid, dZ, tensor(WIN, H)),
    g.gemm({ M: N, N: D, Kd: H, flags: transB | accumulate, lda: H, aStride: N * H, bOff: o[WIN], ldb: H, bStride: s[WIN], ldc: D, cStride: N * D }, K, dZ, params, dres, params),
    // W_O, and the "=" row's residual share (the same row for every pair).
    ...overPairs(D, D, plan.z, dres, tensor(WO, D)),
    g.gemm({ M: N, N: D, Kd: D, flags: transB, lda: D, aStride: N * D, bOff: o[WO], ldb: D, bStride: s[WO], ldc: D, cStride: N * D }, K, dres, params, dz, params),
    sumPairs(dres, D, dx2, 0, D),
    // The attention per pair, then its table gradients per token (positions 0 and 1) and over every pair (the "=" row).
    tk.attendBack(tf, dz, plan.attn, QKV, plan.idx, dpair),
    tk.tokenSum({ ...tf, segOff: 3 * K * N, srcOff: 0, rowOff: 0 }, dpair, plan.idx, dTab),
    tk.tokenSum({ ...tf, segOff: 3 * K * N + K * P * plan.seg, srcOff: K * N * W, rowOff: P }, dpair, plan.idx, dTab),
    sumPairs(dpair, W, dTab, 2 * P * W, T * W, 2 * K * N * W),
    // Scores and values back to the rows' query, key and value; then the projections and the rows.
    tk.scoresBack(tf, dTab, QKV, dQKV),
    g.gemm({ M: D, N: 3 * D, Kd: T, flags: 1, lda: D, aStride: T * D, ldb: 3 * D, bStride: T * 3 * D, ldc: 3 * D, cStride: D * 3 * D }, K, X, dQKV, dWc, params),
    g.gemm({ M: T, N: D, Kd: 3 * D, flags: transB, lda: 3 * D, aStride: T * 3 * D, ldb: 3 * D, bStride: D * 3 * D, ldc: D, cStride: T * D }, K, dQKV, Wc, dX, params),
    tk.embedBack(tf, dX, dx2, dWc, grads),
  ]
}
