/// <reference types="@webgpu/types" />

/**
 * The readback of one call: copies recorded at chosen points of a command encoder into one staging
 * buffer, then one submit and one map (each map costs about a millisecond through Dawn).
 */
export class Readback {
  private readonly staging: GPUBuffer
  private readonly parts: [number, number][] = []
  private at = 0

  /** `floats`: the size of every copy to come, together. */
  constructor(
    private readonly device: GPUDevice,
    readonly encoder: GPUCommandEncoder,
    floats: number,
  ) {
    this.staging = device.createBuffer({ size: Math.max(16, floats * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
  }

  /** Copies the first `floats` of `src` as they are at this point of the encoder's work; finish() returns it as part number (the return value). */
  copy(src: GPUBuffer, floats: number): number {
    this.encoder.copyBufferToBuffer(src, 0, this.staging, this.at * 4, floats * 4)
    this.parts.push([this.at, floats])
    this.at += floats
    return this.parts.length - 1
  }

  /** Submits the encoder's work and returns each copy, in order, as a view of one fresh array. */
  async finish(): Promise<Float32Array[]> {
    this.device.queue.submit([this.encoder.finish()])
    await this.staging.mapAsync(GPUMapMode.READ)
    const all = new Float32Array(this.staging.getMappedRange().slice(0))
    this.staging.destroy()
    return this.parts.map(([from, n]) => all.subarray(from, from + n))
  }
}
