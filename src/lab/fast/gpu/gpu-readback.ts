/// <reference types="@webgpu/types" />
import { gpuFailure, throwIfDeviceFailed } from './gpu-device'

/**
 * Staging buffers reused by readbacks that are read while later work runs (evaluations): at most
 * `size` in flight, so a run that evaluates at every step cannot queue maps without bound.
 */
export class StagingPool {
  private readonly free: GPUBuffer[] = []
  /** Buffers mapping or mapped, oldest first, with when each comes back to the pool. */
  private readonly busy: { buffer: GPUBuffer; back: Promise<unknown> }[] = []
  private made = 0

  constructor(
    private readonly device: GPUDevice,
    readonly size: number,
  ) {}

  /** A staging buffer of at least `bytes`, waiting for the oldest readback when `size` are in flight. */
  async take(bytes: number): Promise<GPUBuffer> {
    for (;;) {
      const i = this.free.findIndex((b) => b.size >= bytes)
      if (i >= 0) return this.free.splice(i, 1)[0]
      if (this.made < this.size) {
        this.made += 1
        return this.device.createBuffer({ size: Math.max(16, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
      }
      const oldest = this.busy[0]
      if (!oldest) {
        // Every buffer is free but too small: this size replaces the smallest.
        this.free.sort((a, b) => a.size - b.size).shift()!.destroy()
        this.made -= 1
        continue
      }
      await oldest.back
    }
  }

  /** Marks `buffer` as mapping until `back` settles, then returns it to the pool (unmapped by the reader). */
  lend(buffer: GPUBuffer, back: Promise<unknown>): void {
    const entry = {
      buffer,
      back: back.then(
        () => undefined,
        () => undefined,
      ),
    }
    this.busy.push(entry)
    void entry.back.then(() => {
      this.busy.splice(this.busy.indexOf(entry), 1)
      this.free.push(buffer)
    })
  }

  /** Returns a buffer taken but never lent (the call failed before its readback was sent). */
  giveBack(buffer: GPUBuffer): void {
    this.free.push(buffer)
  }

  /** Destroys every buffer, the lent ones too (call once no readback is pending). */
  dispose(): void {
    for (const b of [...this.free, ...this.busy.map((e) => e.buffer)]) b.destroy()
    this.free.length = 0
    this.busy.length = 0
  }
}

/**
 * The readback of one call: copies recorded at chosen points of a command encoder into one staging
 * buffer, then one submit and one map (each map costs about a millisecond through Dawn).
 */
export class Readback {
  private readonly staging: GPUBuffer
  private readonly parts: [number, number][] = []
  private at = 0

  /** `floats`: the size of every copy to come, together; `pooled`: a staging buffer of that pool (taken by the caller) instead of a fresh one. */
  constructor(
    private readonly device: GPUDevice,
    readonly encoder: GPUCommandEncoder,
    floats: number,
    private readonly pooled?: { pool: StagingPool; buffer: GPUBuffer },
  ) {
    this.staging =
      pooled?.buffer ?? device.createBuffer({ size: Math.max(16, floats * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
  }

  /** Copies the first `floats` of `src` as they are at this point of the encoder's work; finish() returns it as part number (the return value). */
  copy(src: GPUBuffer, floats: number): number {
    this.encoder.copyBufferToBuffer(src, 0, this.staging, this.at * 4, floats * 4)
    this.parts.push([this.at, floats])
    this.at += floats
    return this.parts.length - 1
  }

  /** Submits the encoder's work and returns each copy, in order, as a view of one fresh array. */
  finish(): Promise<Float32Array[]> {
    return this.send().parts
  }

  /**
   * Submits the encoder's work and starts the map without waiting for it: work submitted after
   * this call runs while the copies come back (wrapped, so that awaiting send() does not wait for them).
   */
  send(): { parts: Promise<Float32Array[]> } {
    throwIfDeviceFailed(this.device)
    // A refused submit runs nothing and copies nothing, yet the map still resolves: a pooled buffer
    // would hand back an earlier call's numbers. The scopes catch the refusal.
    this.device.pushErrorScope('out-of-memory')
    this.device.pushErrorScope('validation')
    this.device.queue.submit([this.encoder.finish()])
    const refused = Promise.all([this.device.popErrorScope(), this.device.popErrorScope()])
    const parts = (async () => {
      try {
        const [errors] = await Promise.all([refused, this.staging.mapAsync(GPUMapMode.READ)])
        const error = errors.find((e) => e !== null)
        if (error) throw gpuFailure(error)
        throwIfDeviceFailed(this.device)
        const all = new Float32Array(this.staging.getMappedRange(0, this.at * 4).slice(0))
        return this.parts.map(([from, n]) => all.subarray(from, from + n))
      } finally {
        // Unmapped (or its pending map cancelled) on every path, so the pool can lend it again.
        if (this.staging.mapState !== 'unmapped') this.staging.unmap()
        if (!this.pooled) this.staging.destroy()
      }
    })()
    if (this.pooled) this.pooled.pool.lend(this.staging, parts)
    return { parts }
  }
}
