/// <reference types="@webgpu/types" />
import type { FastEngine, PendingEvaluation, ResidentEngine } from '../fast-engine'
import { LabError } from '../../../shared/lab-error'
import type { FastShape } from '../model-graphs'
import type { EvalMetrics, MemberParams, RowFeed } from '../row-feed'
import { RESULT } from './embed-mlp-wgsl'
import { throwIfDeviceFailed } from './gpu-device'
import { GpuKernels, type Pass } from './gpu-passes'
import { GpuOptimizer, type OptimizerSlots } from './gpu-optimizer'
import { Readback, StagingPool } from './gpu-readback'
import { PlanCache } from './plan-cache'
import { PackedLayout, type ModelTensors } from './packed-layout'

/** What one recorded list of passes computes on a feed. */
export type Mode = 'step' | 'step+metrics' | 'train-metrics' | 'test-metrics' | 'logits'

/** A model's buffers and recorded passes for one feed of pairs. */
export interface FeedPlan {
  rows: number
  /** Width of the padded per-token lists in `idx` (0 without targets). */
  seg: number
  /** Whether made for a feed with targets (a training step's buffers). */
  training: boolean
  /** The pairs' rows, labels and per-token lists (plan-cache.ts's indexTable), rewritten when a minibatch reuses the plan. */
  idx: GPUBuffer
  /** Buffers owned by the plan, destroyed with it. */
  scratch: GPUBuffer[]
  passes: Map<Mode, Pass[]>
  /** Logits [K·N·p] after a forward pass (d(loss)/d(logits) after a step). */
  logits: GPUBuffer
}

// Read when buffers are made: the GPUBufferUsage global exists only once Dawn is set up.
const storage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST
/** Evaluations whose readback may be on its way at once (each holds a staging buffer). */
export const STAGED = 3

/**
 * A model's fast path on a WebGPU device, the host side: packed weights and gradients, the
 * resident optimizer, plans per feed, one submit and at most one readback per call. A model
 * supplies its plans and their passes; every pass writes the per-member results (RESULT) into
 * `result` and, in a step, every gradient into `grads` at the layout's offsets.
 */
export abstract class ResidentGpuEngine<P extends FeedPlan> implements FastEngine, ResidentEngine {
  readonly resident: ResidentEngine = this
  protected readonly layout: PackedLayout
  private readonly packed: Float32Array<ArrayBuffer>
  protected readonly params: GPUBuffer
  protected readonly grads: GPUBuffer
  protected readonly result: GPUBuffer
  /** A placeholder for unused bindings. */
  protected readonly none: GPUBuffer
  private pattern?: { rows: number; buffer: GPUBuffer }
  /** Set once weights are trained on the device (load). */
  private optimizer?: GpuOptimizer
  private plans?: PlanCache<P>
  private tail: Promise<unknown> = Promise.resolve()
  /** The staging buffers of evaluations, made at the first. */
  private staging?: StagingPool

  protected constructor(
    protected readonly kernels: GpuKernels,
    readonly shape: FastShape,
    model: ModelTensors,
  ) {
    this.layout = new PackedLayout(shape, model)
    this.packed = new Float32Array(this.layout.total)
    const [params, grads, result, none] = this.buffersOrNone([this.layout.total, this.layout.total, shape.members * RESULT.width, 4])
    this.params = params
    this.grads = grads
    this.result = result
    this.none = none
  }

  /** Storage buffers of these sizes, all or none: a LabError part way destroys those already made before it is rethrown. */
  protected buffersOrNone(sizes: number[]): GPUBuffer[] {
    const made: GPUBuffer[] = []
    try {
      for (const floats of sizes) made.push(this.buffer(floats))
      return made
    } catch (e) {
      made.forEach((b) => b.destroy())
      throw e
    }
  }

  /** Destroys the base's own buffers: for a subclass whose constructor fails after super(). */
  protected destroyBaseBuffers(): void {
    for (const b of [this.params, this.grads, this.result, this.none]) b.destroy()
  }

  /** A plan's buffers for `rows` pairs per member, its index buffer sized for per-token lists `seg` wide (plan-cache.ts fills it). */
  protected abstract makePlan(rows: number, seg: number, training: boolean): P
  /** The passes of `mode` on `plan`'s pairs (built once per feed and mode). */
  protected abstract buildPasses(plan: P, mode: Mode): Pass[]
  /** The model's own buffers beside those of the base and the plans, destroyed at dispose(). */
  protected abstract ownBuffers(): GPUBuffer[]

  protected get device(): GPUDevice {
    return this.kernels.device
  }

  /** A storage buffer of `floats` floats, or a LabError saying how to fit when it is over the GPU's limit. */
  protected buffer(floats: number, usage = storage()): GPUBuffer {
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

  /** The ReLU pattern [K·N·hidden] of the last train-set measurement, all-off at first (or when the train set changed size). */
  protected patternFor(rows: number): GPUBuffer {
    if (this.pattern?.rows !== rows) {
      this.pattern?.buffer.destroy()
      this.pattern = { rows, buffer: this.buffer(this.shape.members * rows * this.shape.hidden) }
    }
    return this.pattern.buffer
  }

  private plan(feed: RowFeed): P {
    this.plans ??= new PlanCache(this.device, this.shape.members, this.shape.p, (rows, seg, training) => this.makePlan(rows, seg, training), (plan) => this.destroyPlan(plan))
    return this.plans.get(feed)
  }

  private destroyPlan(plan: P): void {
    for (const list of plan.passes.values()) list.forEach((q) => q.uniform.destroy())
    plan.scratch.forEach((b) => b.destroy())
  }

  private passes(plan: P, mode: Mode): Pass[] {
    const cached = plan.passes.get(mode)
    if (cached) return cached
    const list = this.buildPasses(plan, mode)
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
      // Steps have no readback to reject: a device that failed earlier fails the run here.
      throwIfDeviceFailed(this.device)
      const encoder = this.device.createCommandEncoder()
      optimizer.setConstants(constants)
      optimizer.keepBefore(encoder)
      GpuKernels.record(encoder, [...(gradientsReady ? [] : this.passes(this.plan(rows), 'step')), optimizer.pass])
      this.device.queue.submit([encoder.finish()])
      await optimizer.throttle()
    })
  }

  evaluate(train: RowFeed, test: RowFeed | undefined, step: boolean): Promise<PendingEvaluation> {
    return this.serial(async () => {
      if (!this.optimizer) throw new Error('load() the weights before evaluating on the device')
      const K = this.shape.members
      const results = K * RESULT.width
      const total = this.layout.total
      const floats = results * (test ? 2 : 1) + total * (step ? 2 : 1)
      // Waits here only when STAGED readbacks are still on their way.
      this.staging ??= new StagingPool(this.device, STAGED)
      const buffer = await this.staging.take(floats * 4)
      try {
        return this.sendEvaluation(train, test, step, floats, { pool: this.staging, buffer })
      } catch (e) {
        // Not lent yet: without this the pool would count it as made and never see it again.
        this.staging.giveBack(buffer)
        throw e
      }
    })
  }

  /** Records and submits an evaluation into the taken staging buffer; its readback comes back to the pool by itself once sent. */
  private sendEvaluation(train: RowFeed, test: RowFeed | undefined, step: boolean, floats: number, pooled: { pool: StagingPool; buffer: GPUBuffer }): PendingEvaluation {
    const results = this.shape.members * RESULT.width
    const total = this.layout.total
    const encoder = this.device.createCommandEncoder()
    const readback = new Readback(this.device, encoder, floats, pooled)
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
    const arrived = readback.send().parts.then((parts) => ({
      train: this.readResults(parts[trainPart], true),
      test: test ? this.readResults(parts[testPart], false) : undefined,
      grads: step ? this.layout.unpack(parts[gradsPart]) : undefined,
      params: this.layout.unpack(parts[paramsPart]),
    }))
    // Marked handled here: the caller may take it up only after later calls.
    arrived.catch(() => undefined)
    return { results: arrived }
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
      this.plans?.clear()
      this.pattern?.buffer.destroy()
      this.optimizer?.dispose()
      this.staging?.dispose()
      for (const b of [this.params, this.grads, this.result, this.none, ...this.ownBuffers()]) b.destroy()
    })
  }
}
