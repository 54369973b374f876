/// <reference types="@webgpu/types" />
import type { FastEngine, ResidentEngine, ResidentEvaluation } from '../fast-engine'
import { LabError } from '../../../shared/lab-error'
import type { FastShape } from '../model-graphs'
import type { EvalMetrics, MemberParams, RowFeed } from '../row-feed'
import { EPILOGUE, RESULT, STAT, type RowParams } from './embed-mlp-wgsl'
import { GpuKernels, type Pass } from './gpu-passes'
import { GpuOptimizer, type OptimizerSlots } from './gpu-optimizer'
import { Readback } from './gpu-readback'
import { PackedLayout } from './packed-layout'

type Mode = 'step' | 'step+metrics' | 'train-metrics' | 'test-metrics' | 'logits'

/** Buffers and recorded passes for one feed of pairs. */
interface Plan {
  rows: number
  /** Width of the padded per-token lists of pairs. */
  seg: number
  idx: GPUBuffer
  scratch: GPUBuffer[]
  passes: Map<Mode, Pass[]>
  hidden: GPUBuffer
  logits: GPUBuffer
  stats: GPUBuffer
  dhidden?: GPUBuffer
  /** Partial products of dW_out over chunks of pairs (split-K), when the train set is long. */
  partial?: { buffer: GPUBuffer; splits: number; chunk: number }
}

/** Pairs per chunk of dW_out's inner dimension (a multiple of the GEMM's 16-deep tiles). */
const SPLIT_CHUNK = 512

// Read when buffers are made: the GPUBufferUsage global exists only once Dawn is set up.
const storage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST
/** Feeds whose buffers stay (the full train and test sets, and the latest minibatches). */
const PLANS_KEPT = 4

/**
 * The embed-MLP fast path on a WebGPU device: per-token tables, gathers, a fixed-order sum per
 * token and a hand-written backward in WGSL, every member in the same dispatches. One step is one
 * upload of the weights, fifteen dispatches and one readback of the gradients.
 */
export class EmbedMlpGpu implements FastEngine, ResidentEngine {
  readonly resident: ResidentEngine = this
  private readonly layout: PackedLayout
  private readonly packed: Float32Array<ArrayBuffer>
  private readonly params: GPUBuffer
  private readonly grads: GPUBuffer
  private readonly tables: GPUBuffer
  private readonly dtables: GPUBuffer
  private readonly result: GPUBuffer
  private readonly none: GPUBuffer
  private pattern?: { rows: number; buffer: GPUBuffer }
  /** Set once weights are trained on the device (load). */
  private optimizer?: GpuOptimizer
  private readonly plans = new Map<RowFeed, Plan>()
  private tail: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly kernels: GpuKernels,
    readonly shape: FastShape,
  ) {
    this.layout = new PackedLayout(shape)
    const at = this.layout.total
    this.packed = new Float32Array(at)
    const table = shape.members * shape.p * shape.hidden
    this.params = this.buffer(at)
    this.grads = this.buffer(at)
    this.tables = this.buffer(2 * table)
    this.dtables = this.buffer(2 * table)
    this.result = this.buffer(shape.members * RESULT.width)
    this.none = this.buffer(4)
  }

  static async create(device: GPUDevice, shape: FastShape): Promise<EmbedMlpGpu> {
    return new EmbedMlpGpu(await GpuKernels.compile(device), shape)
  }

  private get device(): GPUDevice {
    return this.kernels.device
  }

  private buffer(floats: number, usage = storage()): GPUBuffer {
    const size = Math.max(16, Math.ceil((floats * 4) / 16) * 16)
    const limit = this.device.limits.maxStorageBufferBindingSize
    if (size > limit) {
      const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`
      throw new LabError(
        `${this.shape.members} run(s) of p ${this.shape.p} need a GPU buffer of ${mb(size)}, over this GPU's ${mb(limit)}: ` +
          'batch fewer runs (sweep --batch N) or train on the CPU (--backend wasm)',
      )
    }
    return this.device.createBuffer({ size, usage })
  }

  /** Runs `job` after every earlier call has finished: the engine's buffers serve one call at a time. */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job)
    this.tail = next.catch(() => undefined)
    return next
  }

  /** Sends the weights to the device, unless it holds them already (`undefined`, resident training). */
  private upload(members: MemberParams[] | undefined): void {
    if (!members) {
      if (!this.optimizer) throw new Error('no weights given, and none were loaded for training on the device')
      return
    }
    this.device.queue.writeBuffer(this.params, 0, this.layout.pack(members, this.packed))
  }

  /** The ReLU pattern of the last train-set measurement, all-off at first (or when the train set changed size). */
  private patternFor(rows: number): GPUBuffer {
    if (this.pattern?.rows !== rows) {
      this.pattern?.buffer.destroy()
      this.pattern = { rows, buffer: this.buffer(this.shape.members * rows * this.shape.hidden) }
    }
    return this.pattern.buffer
  }

  private plan(feed: RowFeed): Plan {
    let plan = this.plans.get(feed)
    if (plan) {
      this.plans.delete(feed)
      this.plans.set(feed, plan)
      return plan
    }
    const { members: K, p, hidden: H } = this.shape
    const N = feed.rows
    const seg = feed.seg ?? 0
    const ints = new Int32Array(3 * K * N + 2 * K * p * seg)
    ints.set(Int32Array.from(feed.ia, Number), 0)
    ints.set(Int32Array.from(feed.ib, Number), K * N)
    ints.set(Int32Array.from(feed.labels, Number), 2 * K * N)
    if (feed.segA && feed.segB) {
      ints.set(Int32Array.from(feed.segA, Number), 3 * K * N)
      ints.set(Int32Array.from(feed.segB, Number), 3 * K * N + K * p * seg)
    }
    const idx = this.buffer(ints.length)
    this.device.queue.writeBuffer(idx, 0, ints)
    const hidden = this.buffer(K * N * H)
    const logits = this.buffer(K * N * p)
    const stats = this.buffer(K * N * STAT.width)
    const dhidden = feed.segA ? this.buffer(K * N * H) : undefined
    const splits = Math.ceil(N / SPLIT_CHUNK)
    const partial = dhidden && splits > 1 ? { buffer: this.buffer(K * splits * H * p), splits, chunk: SPLIT_CHUNK } : undefined
    const scratch = [idx, hidden, logits, stats, ...(dhidden ? [dhidden] : []), ...(partial ? [partial.buffer] : [])]
    plan = { rows: N, seg, idx, hidden, logits, stats, dhidden, partial, scratch, passes: new Map() }
    this.plans.set(feed, plan)
    if (this.plans.size > PLANS_KEPT) {
      const [oldest, old] = this.plans.entries().next().value!
      this.plans.delete(oldest)
      for (const list of old.passes.values()) list.forEach((q) => q.uniform.destroy())
      old.scratch.forEach((b) => b.destroy())
    }
    return plan
  }

  /** The passes of `mode` on `plan`'s pairs, built once per feed and mode. */
  private passes(plan: Plan, mode: Mode): Pass[] {
    const cached = plan.passes.get(mode)
    if (cached) return cached
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
    plan.passes.set(mode, list)
    return list
  }

  /** Uploads the weights, runs `mode` on `feed` and reads back the gradients, results or logits. */
  private run(members: MemberParams[] | undefined, feed: RowFeed, mode: Mode): Promise<Float32Array[]> {
    return this.serial(async () => {
      this.upload(members)
      const plan = this.plan(feed)
      const encoder = this.device.createCommandEncoder()
      GpuKernels.record(encoder, this.passes(plan, mode))
      const reads: [GPUBuffer, number][] =
        mode === 'logits'
          ? [[plan.logits, this.shape.members * plan.rows * this.shape.p]]
          : mode.startsWith('step')
            ? [
                [this.grads, this.layout.total],
                [this.result, this.shape.members * RESULT.width],
              ]
            : [[this.result, this.shape.members * RESULT.width]]
      const readback = new Readback(
        this.device,
        encoder,
        reads.reduce((sum, [, n]) => sum + n, 0),
      )
      for (const [src, n] of reads) readback.copy(src, n)
      return readback.finish()
    })
  }

  /**
   * Puts K members' weights and optimizer state on the device: from here on the device holds the
   * truth (calls given `undefined` weights use it) until readState() brings it back.
   */
  async load(members: MemberParams[], slots: OptimizerSlots[]): Promise<void> {
    await this.serial(async () => {
      this.optimizer ??= new GpuOptimizer(this.kernels, this.layout, { params: this.params, grads: this.grads })
      this.device.queue.writeBuffer(this.params, 0, this.layout.pack(members, this.packed))
      this.optimizer.load(slots)
    })
  }

  /**
   * One training step on the device with no readback: the gradients on `rows` (unless the last
   * call left this round's gradients in place, `gradientsReady`), then the optimizer update with
   * each member's constants (HostOptimizer.deviceConstants).
   */
  train(rows: RowFeed, constants: Record<string, number[]>[], gradientsReady: boolean): Promise<void> {
    return this.serial(async () => {
      const optimizer = this.optimizer
      if (!optimizer) throw new Error('load() the weights before training on the device')
      const encoder = this.device.createCommandEncoder()
      optimizer.setConstants(constants)
      optimizer.keepBefore(encoder)
      GpuKernels.record(encoder, [...(gradientsReady ? [] : this.passes(this.plan(rows), 'step')), optimizer.pass])
      this.device.queue.submit([encoder.finish()])
      await optimizer.throttle()
    })
  }

  evaluate(train: RowFeed, test: RowFeed | undefined, step: boolean): Promise<ResidentEvaluation> {
    return this.serial(async () => {
      if (!this.optimizer) throw new Error('load() the weights before evaluating on the device')
      const K = this.shape.members
      const results = K * RESULT.width
      const total = this.layout.total
      const encoder = this.device.createCommandEncoder()
      const readback = new Readback(this.device, encoder, results * (test ? 2 : 1) + total * (step ? 2 : 1))
      // The train results are copied out before the test passes reuse the result buffer.
      GpuKernels.record(encoder, this.passes(this.plan(train), step ? 'step+metrics' : 'train-metrics'))
      const trainPart = readback.copy(this.result, results)
      let testPart = -1
      if (test) {
        GpuKernels.record(encoder, this.passes(this.plan(test), 'test-metrics'))
        testPart = readback.copy(this.result, results)
      }
      const gradsPart = step ? readback.copy(this.grads, total) : -1
      const paramsPart = readback.copy(this.params, total)
      const parts = await readback.finish()
      return {
        train: this.readResults(parts[trainPart], true),
        test: test ? this.readResults(parts[testPart], false) : undefined,
        grads: step ? this.layout.unpack(parts[gradsPart]) : undefined,
        params: this.layout.unpack(parts[paramsPart]),
      }
    })
  }

  /** The weights the device holds, per member, and with `withSlots` the optimizer state (`before`: before the last update; batches only). */
  readState(before = false, withSlots = true): Promise<{ params: MemberParams[]; slots?: OptimizerSlots[] }> {
    return this.serial(async () => {
      if (!this.optimizer) throw new Error('nothing was loaded for training on the device')
      return this.optimizer.read(this.device, before, withSlots)
    })
  }

  private readResults(flat: Float32Array, train: boolean): EvalMetrics {
    const column = (c: number) => Float32Array.from({ length: this.shape.members }, (_, k) => flat[k * RESULT.width + c])
    const m: EvalMetrics = { loss: column(RESULT.loss), acc: column(RESULT.acc) }
    if (train) Object.assign(m, { minMargin: column(RESULT.minMargin), reluActive: column(RESULT.reluActive), reluChurn: column(RESULT.reluChurn) })
    return m
  }

  async gradients(members: MemberParams[] | undefined, rows: RowFeed): Promise<{ loss: Float32Array; grads: MemberParams[] }> {
    const [grads, results] = await this.run(members, rows, 'step')
    return { loss: this.readResults(results, false).loss, grads: this.layout.unpack(grads) }
  }

  async gradientsWithMetrics(members: MemberParams[] | undefined, rows: RowFeed): Promise<{ grads: MemberParams[]; metrics: EvalMetrics }> {
    const [grads, results] = await this.run(members, rows, 'step+metrics')
    return { grads: this.layout.unpack(grads), metrics: this.readResults(results, true) }
  }

  async metrics(members: MemberParams[] | undefined, rows: RowFeed, train = false): Promise<EvalMetrics> {
    const [results] = await this.run(members, rows, train ? 'train-metrics' : 'test-metrics')
    return this.readResults(results, train)
  }

  async logits(members: MemberParams[] | undefined, rows: RowFeed): Promise<Float32Array> {
    return (await this.run(members, rows, 'logits'))[0]
  }

  async dispose(): Promise<void> {
    await this.serial(async () => {
      for (const plan of this.plans.values()) {
        for (const list of plan.passes.values()) list.forEach((q) => q.uniform.destroy())
        plan.scratch.forEach((b) => b.destroy())
      }
      this.plans.clear()
      this.pattern?.buffer.destroy()
      this.optimizer?.dispose()
      for (const b of [this.params, this.grads, this.tables, this.dtables, this.result, this.none]) b.destroy()
    })
  }
}
