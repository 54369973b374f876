/// <reference types="@webgpu/types" />
import type { MemberParams } from '../row-feed'
import { OPT } from './optimizer-wgsl'
import { GpuKernels, type Pass } from './gpu-passes'
import { Readback } from './gpu-readback'
import type { PackedLayout } from './packed-layout'

/** One member's optimizer state by tensor name, as HostOptimizer keeps it: [m, v], [momentum] or []. */
export type OptimizerSlots = Record<string, Float32Array[]>

/** Steps in flight before train() waits for the oldest: enough to keep the GPU fed, few enough to stay responsive. */
const IN_FLIGHT = 8

/**
 * The optimizer of resident training on WebGPU: each member's first and second moments beside its
 * weights on the device, and one kernel that updates them all (see OPTIMIZER).
 */
export class GpuOptimizer {
  readonly pass: Pass
  private readonly m: GPUBuffer
  private readonly v: GPUBuffer
  private readonly hyper: GPUBuffer
  private readonly table: GPUBuffer
  private readonly constants: Float32Array
  /** When each step in flight is done, oldest first: waiting on the oldest never drains the queue. */
  private readonly inFlight: Promise<unknown>[] = []
  private readonly queue: GPUQueue
  /**
   * Weights, m and v before the last update (batches only): in lockstep the first member's update
   * moves every member, and the others may still read their state of the step before.
   */
  private readonly before?: GPUBuffer

  constructor(
    kernels: GpuKernels,
    private readonly layout: PackedLayout,
    private readonly buffers: { params: GPUBuffer; grads: GPUBuffer },
  ) {
    const device = kernels.device
    this.queue = device.queue
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST
    const make = (bytes: number) => device.createBuffer({ size: Math.ceil(bytes / 16) * 16, usage })
    this.m = make(layout.total * 4)
    this.v = make(layout.total * 4)
    const k = layout.shape.members
    this.constants = new Float32Array(layout.tensors.length * k * OPT.width)
    this.hyper = make(this.constants.byteLength)
    if (k > 1) this.before = make(3 * layout.total * 4)
    const table = layout.table()
    this.table = make(table.byteLength)
    device.queue.writeBuffer(this.table, 0, table)
    this.pass = kernels.optimizer(layout.total, k, layout.tensors.length, buffers.params, buffers.grads, this.m, this.v, this.hyper, this.table)
  }

  /** Each member's state (absent slots start at zero, as a fresh optimizer's do). */
  load(slots: OptimizerSlots[]): void {
    for (const [index, buffer] of [this.m, this.v].entries()) {
      const members = slots.map((s) => Object.fromEntries(this.layout.tensors.map((name) => [name, s[name]?.[index] ?? new Float32Array(this.layout.sizes[name])])))
      this.queue.writeBuffer(buffer, 0, this.layout.pack(members))
    }
  }

  /** The next update's constants, one record per member (HostOptimizer.deviceConstants). */
  setConstants(perMember: Record<string, number[]>[]): void {
    const k = this.layout.shape.members
    this.layout.tensors.forEach((name, t) => perMember.forEach((c, member) => this.constants.set(c[name], (t * k + member) * OPT.width)))
    this.queue.writeBuffer(this.hyper, 0, this.constants)
  }

  /** Records the copy of the state before the update (batches), ahead of the compute passes. */
  keepBefore(encoder: GPUCommandEncoder): void {
    if (!this.before) return
    const bytes = this.layout.total * 4
    ;[this.buffers.params, this.m, this.v].forEach((b, i) => encoder.copyBufferToBuffer(b, 0, this.before!, i * bytes, bytes))
  }

  /** Call after each step's submit: waits while IN_FLIGHT steps are queued, so the queue does not grow without bound. */
  async throttle(): Promise<void> {
    this.inFlight.push(this.queue.onSubmittedWorkDone())
    if (this.inFlight.length > IN_FLIGHT) await this.inFlight.shift()
  }

  /**
   * Reads the weights back, and both moments with `withSlots` (`before`: as they were before the
   * last update), as fresh arrays per member.
   */
  async read(device: GPUDevice, before: boolean, withSlots: boolean): Promise<{ params: MemberParams[]; slots?: OptimizerSlots[] }> {
    const total = this.layout.total
    const parts = withSlots ? 3 : 1
    const readback = new Readback(device, device.createCommandEncoder(), parts * total)
    if (before) {
      if (!this.before) throw new Error('only a batch keeps the state before its last update')
      readback.copy(this.before, parts * total)
    } else [this.buffers.params, this.m, this.v].slice(0, parts).forEach((b) => readback.copy(b, total))
    const copies = await readback.finish()
    // The readback waited for every step before it.
    this.inFlight.length = 0
    // The state before the update came as one copy of the three arrays side by side.
    const arrays = before ? Array.from({ length: parts }, (_, i) => copies[0].subarray(i * total, (i + 1) * total)) : copies
    const [params, m, v] = arrays.map((a) => this.layout.unpack(a))
    if (!withSlots) return { params }
    return { params, slots: m.map((mk, k) => Object.fromEntries(this.layout.tensors.map((name) => [name, [mk[name], v[k][name]]]))) }
  }

  dispose(): void {
    for (const b of [this.m, this.v, this.hyper, this.table, this.pass.uniform]) b.destroy()
    this.before?.destroy()
  }
}
