import type { FastShape, ModelGraphs } from '../model-graphs'
import type { MemberParams } from '../row-feed'

/** What a layout needs of a model: its tensors in order and their shapes per member. */
export type ModelTensors = Pick<ModelGraphs, 'tensors' | 'memberShapes'>

/**
 * Where each member's tensors sit in one packed device buffer: tensor by tensor (in the model's
 * order), and within a tensor member by member (so a kernel's per-member stride is the tensor's size).
 */
export class PackedLayout {
  readonly sizes: Record<string, number> = {}
  readonly offsets: Record<string, number> = {}
  readonly total: number
  readonly tensors: readonly string[]

  constructor(
    readonly shape: FastShape,
    model: ModelTensors,
  ) {
    const shapes = model.memberShapes(shape)
    this.tensors = model.tensors
    let at = 0
    for (const name of this.tensors) {
      this.sizes[name] = shapes[name].reduce((a, b) => a * b, 1)
      this.offsets[name] = at
      at += shape.members * this.sizes[name]
    }
    this.total = at
  }

  /** Packs K members' tensors into `into` (checked against the shape). */
  pack(members: MemberParams[], into: Float32Array<ArrayBuffer> = new Float32Array(this.total)): Float32Array<ArrayBuffer> {
    const k = this.shape.members
    if (members.length !== k) throw new Error(`expected ${k} members, got ${members.length}`)
    for (const name of this.tensors) {
      members.forEach((m, i) => {
        const a = m[name]
        if (a?.length !== this.sizes[name]) throw new Error(`${name} has ${a?.length ?? 0} values, expected ${this.sizes[name]}`)
        into.set(a, this.offsets[name] + i * this.sizes[name])
      })
    }
    return into
  }

  /** Views of each member's tensors in a packed array. */
  unpack(flat: Float32Array): MemberParams[] {
    return Array.from({ length: this.shape.members }, (_, i) => {
      const out: MemberParams = {}
      for (const name of this.tensors) {
        const from = this.offsets[name] + i * this.sizes[name]
        out[name] = flat.subarray(from, from + this.sizes[name])
      }
      return out
    })
  }

  /** Each tensor's (offset, per-member size), for the optimizer kernel. */
  table(): Uint32Array {
    return Uint32Array.from(this.tensors.flatMap((name) => [this.offsets[name], this.sizes[name]]))
  }
}
