/// <reference types="@webgpu/types" />
import { compileAll, GpuKernels, makePass, MAX_GRID, spread, type Pass } from './gpu-passes'
import { ATTEND_BACK, EMBED_BACK, SCORES_BACK, SPLIT_FIELDS, SPLIT_SUM, TOKEN_SUM, type SplitParams } from './transformer-backward-wgsl'
import { ADD, ATTEND, PREPARE, RELU, SCORES, TF_FIELDS, type TfParams } from './transformer-wgsl'

const KINDS = ['prepare', 'scores', 'attend', 'relu', 'add', 'attendBack', 'tokenSum', 'scoresBack', 'embedBack', 'splitSum'] as const
type Kind = (typeof KINDS)[number]

/** One thread per element of `perMember`, members on the grid's second side. */
const perMember = (count: number, K: number): [number, number, number] => [Math.ceil(count / 64), K, 1]

/**
 * The compiled kernels of the transformer-1L's fast path: its own (transformer-wgsl.ts,
 * transformer-backward-wgsl.ts) and the embed-MLP's GEMM, sums and cross-entropy (`shared`).
 */
export class TransformerKernels {
  private constructor(
    readonly shared: GpuKernels,
    private readonly pipelines: Record<Kind, GPUComputePipeline>,
  ) {}

  static async compile(device: GPUDevice): Promise<TransformerKernels> {
    const [shared, own] = await Promise.all([
      GpuKernels.compile(device),
      compileAll(device, [PREPARE, SCORES, ATTEND, RELU, ADD, ATTEND_BACK, TOKEN_SUM, SCORES_BACK, EMBED_BACK, SPLIT_SUM]),
    ])
    return new TransformerKernels(shared, Object.fromEntries(KINDS.map((kind, i) => [kind, own[i]])) as Record<Kind, GPUComputePipeline>)
  }

  get device(): GPUDevice {
    return this.shared.device
  }

  private pass(kind: Kind, values: number[], buffers: GPUBuffer[], grid: [number, number, number]): Pass {
    return makePass(this.device, this.pipelines[kind], kind, values, buffers, grid)
  }

  private tf(kind: Kind, q: TfParams, buffers: GPUBuffer[], grid: [number, number, number]): Pass {
    return this.pass(
      kind,
      TF_FIELDS.map((f) => q[f]),
      buffers,
      grid,
    )
  }

  /** The tables' input rows X and the projections as columns Wc, from the packed weights. */
  prepare(q: TfParams, params: GPUBuffer, x: GPUBuffer, wc: GPUBuffer): Pass {
    return this.tf('prepare', q, [params, x, wc], perMember((2 * q.p + 1) * q.d + 3 * q.d * q.d, q.K))
  }

  scores(q: TfParams, qkv: GPUBuffer, s: GPUBuffer): Pass {
    return this.tf('scores', q, [qkv, s], perMember((2 * q.p + 1) * q.heads, q.K))
  }

  attend(q: TfParams, qkv: GPUBuffer, s: GPUBuffer, idx: GPUBuffer, attn: GPUBuffer, z: GPUBuffer): Pass {
    return this.tf('attend', q, [qkv, s, idx, attn, z], spread(Math.ceil((q.K * q.N * q.heads) / 64)))
  }

  /** The ReLU in place on [K·N, hidden]; measuring (flags bit 0) also fills the pairs' ReLU statistics and the pattern. */
  relu(q: TfParams, h: GPUBuffer, stats: GPUBuffer, pattern: GPUBuffer): Pass {
    return this.tf('relu', q, [h, stats, pattern], [Math.min(q.N, MAX_GRID), q.K, 1])
  }

  /** dst[i] += src[i] for the first n. */
  add(n: number, src: GPUBuffer, dst: GPUBuffer): Pass {
    return this.pass('add', [n, 0, 0, 0], [src, dst], spread(Math.ceil(n / 64)))
  }

  attendBack(q: TfParams, dz: GPUBuffer, attn: GPUBuffer, qkv: GPUBuffer, idx: GPUBuffer, dpair: GPUBuffer): Pass {
    return this.tf('attendBack', q, [dz, attn, qkv, idx, dpair], spread(Math.ceil((q.K * q.N * q.heads) / 64)))
  }

  /** One position's per-token sums (q.segOff, q.srcOff and q.rowOff pick it). */
  tokenSum(q: TfParams, dpair: GPUBuffer, idx: GPUBuffer, dTab: GPUBuffer): Pass {
    return this.tf('tokenSum', q, [dpair, idx, dTab], [Math.ceil((q.heads + q.d) / 64), q.K * q.p, 1])
  }

  scoresBack(q: TfParams, dTab: GPUBuffer, qkv: GPUBuffer, dqkv: GPUBuffer): Pass {
    return this.tf('scoresBack', q, [dTab, qkv, dqkv], perMember((2 * q.p + 1) * 3 * q.d, q.K))
  }

  embedBack(q: TfParams, dX: GPUBuffer, dx2: GPUBuffer, dWc: GPUBuffer, grads: GPUBuffer): Pass {
    return this.tf('embedBack', q, [dX, dx2, dWc, grads], perMember((q.p + 1) * q.d + 3 * q.d + 3 * q.d * q.d, q.K))
  }

  splitSum(q: SplitParams, partial: GPUBuffer, dst: GPUBuffer): Pass {
    return this.pass(
      'splitSum',
      SPLIT_FIELDS.map((f) => q[f]),
      [partial, dst],
      perMember(q.M * q.N, q.K),
    )
  }
}
