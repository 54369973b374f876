import type * as Ort from 'onnxruntime-node'
import type { ModularSplit } from '../tasks/modular-arithmetic'
import { EMBED_MLP_TENSORS, embedMlpForwardGraph, embedMlpStepGraph, memberShapes, type EmbedMlpShape } from './embed-mlp-graphs'
import { createSession, type OrtModule } from './onnx-runtime'

/** One member's tensors by name (E, W_in, b_in, W_out, b_out). */
export type MemberParams = Record<string, Float32Array>

/** Pairs of every member, as the graphs take them: stacked table-row indices and scaled one-hot targets. */
export interface RowFeed {
  rows: number
  ia: BigInt64Array
  ib: BigInt64Array
  /** One-hot labels divided by N, [K, N, p] (only for training steps). */
  target?: Float32Array
}

/** Builds the feed for K members' splits of equal size (member k's token t is table row k·p + t). */
export function makeRowFeed(splits: ModularSplit[], p: number, withTarget: boolean): RowFeed {
  const n = splits[0].a.length
  if (splits.some((s) => s.a.length !== n)) throw new Error('members of a batch must have splits of the same size')
  const k = splits.length
  const ia = new BigInt64Array(k * n)
  const ib = new BigInt64Array(k * n)
  const target = withTarget ? new Float32Array(k * n * p) : undefined
  splits.forEach((s, m) => {
    for (let i = 0; i < n; i++) {
      ia[m * n + i] = BigInt(m * p + s.a[i])
      ib[m * n + i] = BigInt(m * p + s.b[i])
      if (target) target[(m * n + i) * p + s.label[i]] = 1 / n
    }
  })
  return { rows: n, ia, ib, target }
}

/**
 * The embed-MLP fast path on onnxruntime's CPU kernels: per-token tables, gathers and a real
 * scatter-add instead of one-hot products, hand-written backward, multi-threaded GEMMs. Runs K
 * members of the same shape in one call (batched runs); K = 1 for a single run.
 */
export class EmbedMlpOnnx {
  private constructor(
    private readonly ort: OrtModule,
    readonly shape: EmbedMlpShape,
    private readonly step: Ort.InferenceSession,
    private readonly forwardPlain: Ort.InferenceSession,
    private readonly forwardPattern: Ort.InferenceSession,
  ) {}

  static async create(ort: OrtModule, shape: EmbedMlpShape, threads?: number): Promise<EmbedMlpOnnx> {
    const [step, plain, pattern] = await Promise.all([
      createSession(ort, embedMlpStepGraph(shape), threads),
      createSession(ort, embedMlpForwardGraph(shape, false), threads),
      createSession(ort, embedMlpForwardGraph(shape, true), threads),
    ])
    return new EmbedMlpOnnx(ort, shape, step, plain, pattern)
  }

  /** Stacks the members' tensors along a new leading axis (no copy for a single member). */
  private paramFeeds(members: MemberParams[]): Record<string, Ort.Tensor> {
    const shapes = memberShapes(this.shape)
    const k = this.shape.members
    if (members.length !== k) throw new Error(`expected ${k} members, got ${members.length}`)
    const feeds: Record<string, Ort.Tensor> = {}
    for (const name of EMBED_MLP_TENSORS) {
      const size = shapes[name].reduce((a, b) => a * b, 1)
      let data: Float32Array
      if (k === 1) data = members[0][name]
      else {
        data = new Float32Array(k * size)
        members.forEach((m, i) => data.set(m[name], i * size))
      }
      if (data.length !== k * size) throw new Error(`${name} has ${data.length / k} values per member, expected ${size}`)
      feeds[name] = new this.ort.Tensor('float32', data, [k, ...shapes[name]])
    }
    return feeds
  }

  private indexFeeds(rows: RowFeed): Record<string, Ort.Tensor> {
    return {
      ia: new this.ort.Tensor('int64', rows.ia, [rows.ia.length]),
      ib: new this.ort.Tensor('int64', rows.ib, [rows.ib.length]),
    }
  }

  /** Mean cross-entropy of each member on `rows`, and each member's gradients by tensor name. */
  async gradients(members: MemberParams[], rows: RowFeed): Promise<{ loss: Float32Array; grads: MemberParams[] }> {
    if (!rows.target) throw new Error('a training feed needs targets (makeRowFeed(…, true))')
    const k = this.shape.members
    const out = await this.step.run({
      ...this.paramFeeds(members),
      ...this.indexFeeds(rows),
      target: new this.ort.Tensor('float32', rows.target, [k, rows.rows, this.shape.p]),
      inv_n: new this.ort.Tensor('float32', Float32Array.of(1 / rows.rows), []),
    })
    const grads: MemberParams[] = Array.from({ length: k }, () => ({}))
    for (const name of EMBED_MLP_TENSORS) {
      const all = out[`d${name}`].data as Float32Array
      const size = all.length / k
      grads.forEach((g, i) => (g[name] = k === 1 ? all : all.subarray(i * size, (i + 1) * size)))
    }
    return { loss: out.loss.data as Float32Array, grads }
  }

  /** Logits [K·N·p] on `rows`, and with `withPattern` the ReLU pattern [K·N·hidden] as 0/1. */
  async forward(members: MemberParams[], rows: RowFeed, withPattern: boolean): Promise<{ logits: Float32Array; active?: Float32Array }> {
    const session = withPattern ? this.forwardPattern : this.forwardPlain
    const out = await session.run({ ...this.paramFeeds(members), ...this.indexFeeds(rows) })
    return { logits: out.logits.data as Float32Array, active: withPattern ? (out.active.data as Float32Array) : undefined }
  }

  async dispose(): Promise<void> {
    await Promise.all([this.step.release(), this.forwardPlain.release(), this.forwardPattern.release()])
  }
}
