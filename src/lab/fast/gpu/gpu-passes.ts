/// <reference types="@webgpu/types" />
import {
  COLUMN_SUM,
  COLUMN_SUM_TREE,
  GEMM,
  GEMM_FIELDS,
  HIDDEN,
  MEMBER_REDUCE,
  ROW_FIELDS,
  ROWS,
  SEGMENT_SUM,
  SUM_FIELDS,
  TILE,
  type GemmParams,
  type RowParams,
  type SumParams,
} from './embed-mlp-wgsl'
import { OPTIMIZER } from './optimizer-wgsl'

/** One compute dispatch, ready to record: its pipeline, bindings and grid. */
export interface Pass {
  pipeline: GPUComputePipeline
  bindGroup: GPUBindGroup
  grid: [number, number, number]
  /** The uniform buffer it owns (destroyed with the plan). */
  uniform: GPUBuffer
}

/** WebGPU's cap on workgroups per side of a dispatch. */
export const MAX_GRID = 65535

/** A grid of `groups` workgroups laid out on two sides, for kernels that number their threads gid.x + gid.y·width. */
export function spread(groups: number): [number, number, number] {
  const x = Math.min(groups, MAX_GRID)
  return [x, Math.ceil(groups / x), 1]
}

/** A dispatch of `pipeline` with its own uniform block (`values`, u32) at binding 0 and `buffers` after it. */
export function makePass(device: GPUDevice, pipeline: GPUComputePipeline, label: string, values: number[], buffers: GPUBuffer[], grid: [number, number, number]): Pass {
  const uniform = device.createBuffer({ size: Math.ceil((values.length * 4) / 16) * 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST })
  device.queue.writeBuffer(uniform, 0, Uint32Array.from(values))
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [uniform, ...buffers].map((buffer, binding) => ({ binding, resource: { buffer } })),
  })
  for (const n of grid) if (n > MAX_GRID) throw new Error(`a ${label} dispatch needs ${n} workgroups on one side, over WebGPU's ${MAX_GRID}`)
  return { pipeline, bindGroup, grid, uniform }
}

/** Compiles WGSL compute shaders (entry point `main`) into pipelines, side by side. */
export function compileAll(device: GPUDevice, codes: string[]): Promise<GPUComputePipeline[]> {
  return Promise.all(codes.map((code) => device.createComputePipelineAsync({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } })))
}

/** The compiled kernels of the embed-MLP fast path (GEMM, sums and cross-entropy serve the transformer too) and builders of their passes. */
export class GpuKernels {
  private constructor(
    readonly device: GPUDevice,
    private readonly pipelines: Record<'gemm' | 'hidden' | 'rows' | 'columnSum' | 'columnSumTree' | 'segmentSum' | 'memberReduce' | 'optimizer', GPUComputePipeline>,
  ) {}

  static async compile(device: GPUDevice): Promise<GpuKernels> {
    const [gemm, hidden, rows, columnSum, columnSumTree, segmentSum, memberReduce, optimizer] = await compileAll(device, [
      GEMM,
      HIDDEN,
      ROWS,
      COLUMN_SUM,
      COLUMN_SUM_TREE,
      SEGMENT_SUM,
      MEMBER_REDUCE,
      OPTIMIZER,
    ])
    return new GpuKernels(device, { gemm, hidden, rows, columnSum, columnSumTree, segmentSum, memberReduce, optimizer })
  }

  private pass(kind: keyof GpuKernels['pipelines'], values: number[], buffers: GPUBuffer[], grid: [number, number, number]): Pass {
    return makePass(this.device, this.pipelines[kind], kind, values, buffers, grid)
  }

  /** C = op(A)·op(B) (+ epilogue) for `members` members; `x` is the bias or mask operand. */
  gemm(q: Partial<GemmParams> & Pick<GemmParams, 'M' | 'N' | 'Kd'>, members: number, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, x: GPUBuffer): Pass {
    const full: GemmParams = { flags: 0, aOff: 0, lda: 0, aStride: 0, bOff: 0, ldb: 0, bStride: 0, cOff: 0, ldc: 0, cStride: 0, xOff: 0, ldx: 0, xStride: 0, splits: 1, kChunk: q.Kd, cSplit: 0, pad: 0, ...q }
    return this.pass(
      'gemm',
      GEMM_FIELDS.map((f) => full[f]),
      [a, b, c, x],
      [Math.ceil(q.N / TILE), Math.ceil(q.M / TILE), members * full.splits],
    )
  }

  hidden(q: RowParams, tables: GPUBuffer, idx: GPUBuffer, h: GPUBuffer, stats: GPUBuffer, pattern: GPUBuffer): Pass {
    return this.pass('hidden', ROW_FIELDS.map((f) => q[f]), [tables, idx, h, stats, pattern], [Math.min(q.N, MAX_GRID), q.K, 1])
  }

  rows(q: RowParams, logits: GPUBuffer, idx: GPUBuffer, stats: GPUBuffer): Pass {
    return this.pass('rows', ROW_FIELDS.map((f) => q[f]), [logits, idx, stats], spread(Math.ceil((q.K * q.N) / 64)))
  }

  /** Column sums over `rows` rows: a thread per column for few rows, a workgroup per column for many. */
  columnSum(q: SumParams, src: GPUBuffer, dst: GPUBuffer): Pass {
    if (q.rows >= 256) return this.pass('columnSumTree', SUM_FIELDS.map((f) => q[f]), [src, dst], [q.cols, q.K, 1])
    return this.pass('columnSum', SUM_FIELDS.map((f) => q[f]), [src, dst], [Math.ceil(q.cols / 64), q.K, 1])
  }

  /** `tokens` stacked token rows (both halves of every member). */
  segmentSum(q: SumParams, tokens: number, dZ: GPUBuffer, idx: GPUBuffer, dT: GPUBuffer): Pass {
    return this.pass('segmentSum', SUM_FIELDS.map((f) => q[f]), [dZ, idx, dT], [Math.ceil(q.cols / 64), tokens, 1])
  }

  memberReduce(q: RowParams, stats: GPUBuffer, result: GPUBuffer): Pass {
    return this.pass('memberReduce', ROW_FIELDS.map((f) => q[f]), [stats, result], [q.K, 1, 1])
  }

  /** One optimizer update of `total` packed weights of K members (see OPTIMIZER). */
  optimizer(total: number, members: number, tensors: number, w: GPUBuffer, g: GPUBuffer, m: GPUBuffer, v: GPUBuffer, hyper: GPUBuffer, layout: GPUBuffer): Pass {
    return this.pass('optimizer', [total, members, tensors, 0], [w, g, m, v, hyper, layout], spread(Math.ceil(total / 256)))
  }

  /** Records the passes in order into one compute pass of `encoder`. */
  static record(encoder: GPUCommandEncoder, passes: Pass[]): void {
    const cp = encoder.beginComputePass()
    for (const p of passes) {
      cp.setPipeline(p.pipeline)
      cp.setBindGroup(0, p.bindGroup)
      cp.dispatchWorkgroups(...p.grid)
    }
    cp.end()
  }
}
