import type * as Ort from 'onnxruntime-node'
import type { ModularSplit } from '../tasks/modular-arithmetic'
import {
  EMBED_MLP_TENSORS,
  embedMlpForwardGraph,
  embedMlpMetricsGraph,
  embedMlpStepGraph,
  embedMlpStepMetricsGraph,
  memberShapes,
  type EmbedMlpShape,
} from './embed-mlp-graphs'
import type { EmbedMlpEngine } from './embed-mlp-engine'
import { createSession, type OrtModule } from './onnx-runtime'

/** One member's tensors by name (E, W_in, b_in, W_out, b_out). */
export type MemberParams = Record<string, Float32Array>

/** Pairs of every member, as the graphs take them: stacked table-row indices and scaled one-hot targets. */
export interface RowFeed {
  rows: number
  ia: BigInt64Array
  ib: BigInt64Array
  /** Class labels [K, N]. */
  labels: BigInt64Array
  /** One-hot labels divided by N, [K, N, p] (only for training steps). */
  target?: Float32Array
  /** For each member's token (row k·p + t), the stacked rows whose a (b) is t, padded with K·N (a zero row): [K·p, seg]. */
  segA?: BigInt64Array
  segB?: BigInt64Array
  seg?: number
}

/** Rows per token, padded to the longest list with `pad`: a fixed-order segment sum's index table. */
function segments(tokens: BigInt64Array, tables: number, pad: number): { seg: BigInt64Array; width: number } {
  const lists: number[][] = Array.from({ length: tables }, () => [])
  tokens.forEach((t, row) => lists[Number(t)].push(row))
  const width = Math.max(1, ...lists.map((l) => l.length))
  const seg = new BigInt64Array(tables * width).fill(BigInt(pad))
  lists.forEach((l, t) => l.forEach((row, j) => (seg[t * width + j] = BigInt(row))))
  return { seg, width }
}

/** Builds the feed for K members' splits of equal size (member k's token t is table row k·p + t). */
export function makeRowFeed(splits: ModularSplit[], p: number, withTarget: boolean): RowFeed {
  const n = splits[0].a.length
  if (splits.some((s) => s.a.length !== n)) throw new Error('members of a batch must have splits of the same size')
  const k = splits.length
  const ia = new BigInt64Array(k * n)
  const ib = new BigInt64Array(k * n)
  const labels = new BigInt64Array(k * n)
  const target = withTarget ? new Float32Array(k * n * p) : undefined
  splits.forEach((s, m) => {
    for (let i = 0; i < n; i++) {
      ia[m * n + i] = BigInt(m * p + s.a[i])
      ib[m * n + i] = BigInt(m * p + s.b[i])
      labels[m * n + i] = BigInt(s.label[i])
      if (target) target[(m * n + i) * p + s.label[i]] = 1 / n
    }
  })
  if (!withTarget) return { rows: n, ia, ib, labels }
  // Both tables padded to one width, so one graph input shape serves both.
  const a = segments(ia, k * p, k * n)
  const b = segments(ib, k * p, k * n)
  const width = Math.max(a.width, b.width)
  const widen = (s: { seg: BigInt64Array; width: number }) => {
    if (s.width === width) return s.seg
    const out = new BigInt64Array(k * p * width).fill(BigInt(k * n))
    for (let t = 0; t < k * p; t++) out.set(s.seg.subarray(t * s.width, (t + 1) * s.width), t * width)
    return out
  }
  return { rows: n, ia, ib, labels, target, segA: widen(a), segB: widen(b), seg: width }
}

/** Per-member evaluation results (arrays of length K). */
export interface EvalMetrics {
  loss: Float32Array
  acc: Float32Array
  minMargin?: Float32Array
  reluActive?: Float32Array
  reluChurn?: Float32Array
  /** onnxruntime's ReLU pattern [K·N·hidden], 1 = active, kept by the engine for the next evaluation's churn. */
  active?: Uint8Array
}

function readMetrics(out: Ort.InferenceSession.OnnxValueMapType): EvalMetrics {
  const f = (name: string) => (out[name] ? (out[name].data as Float32Array) : undefined)
  return {
    loss: f('loss')!,
    acc: f('acc')!,
    minMargin: f('min_margin'),
    reluActive: f('relu_active'),
    reluChurn: f('relu_churn'),
    active: out.active ? (out.active.data as Uint8Array) : undefined,
  }
}

/**
 * The embed-MLP fast path on onnxruntime's CPU kernels: per-token tables, gathers and a real
 * fixed-order sum per token instead of one-hot products, hand-written backward, multi-threaded GEMMs. Runs K
 * members of the same shape in one call (batched runs); K = 1 for a single run.
 */
export class EmbedMlpOnnx implements EmbedMlpEngine {
  /** The ReLU pattern [K·N·hidden] of the last train-set measurement (1 = active). */
  private pattern?: Uint8Array

  private constructor(
    private readonly ort: OrtModule,
    readonly shape: EmbedMlpShape,
    private readonly step: Ort.InferenceSession,
    private readonly stepMetrics: Ort.InferenceSession,
    private readonly trainMetrics: Ort.InferenceSession,
    private readonly testMetrics: Ort.InferenceSession,
    private readonly threads?: number,
  ) {}

  /** Compiled on first use: training never needs raw logits. */
  private forwardLogits?: Promise<Ort.InferenceSession>

  static async create(ort: OrtModule, shape: EmbedMlpShape, threads?: number): Promise<EmbedMlpOnnx> {
    const [step, stepMetrics, train, test] = await Promise.all([
      createSession(ort, embedMlpStepGraph(shape), threads),
      createSession(ort, embedMlpStepMetricsGraph(shape), threads),
      createSession(ort, embedMlpMetricsGraph(shape, true), threads),
      createSession(ort, embedMlpMetricsGraph(shape, false), threads),
    ])
    return new EmbedMlpOnnx(ort, shape, step, stepMetrics, train, test, threads)
  }

  /** Stacks the members' tensors along a new leading axis (no copy for a single member). */
  private paramFeeds(members: MemberParams[] | undefined): Record<string, Ort.Tensor> {
    if (!members) throw new Error('onnxruntime keeps no weights between calls: pass them')
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
  async gradients(members: MemberParams[] | undefined, rows: RowFeed): Promise<{ loss: Float32Array; grads: MemberParams[] }> {
    const out = await this.step.run(this.stepFeeds(members, rows))
    return { loss: out.loss.data as Float32Array, grads: this.splitGradients(out) }
  }

  async gradientsWithMetrics(members: MemberParams[] | undefined, rows: RowFeed): Promise<{ grads: MemberParams[]; metrics: EvalMetrics }> {
    const k = this.shape.members
    const out = await this.stepMetrics.run({
      ...this.stepFeeds(members, rows),
      labels: new this.ort.Tensor('int64', rows.labels, [k, rows.rows]),
      previous_active: this.previousPattern(rows),
    })
    return { grads: this.splitGradients(out), metrics: this.keepPattern(readMetrics(out)) }
  }

  private previousPattern(rows: RowFeed): Ort.Tensor {
    const size = this.shape.members * rows.rows * this.shape.hidden
    if (this.pattern?.length !== size) this.pattern = new Uint8Array(size)
    return new this.ort.Tensor('bool', this.pattern, [this.shape.members, rows.rows, this.shape.hidden])
  }

  /** Copied: onnxruntime may reuse its output buffer on the next call. */
  private keepPattern(m: EvalMetrics): EvalMetrics {
    this.pattern = m.active!.slice()
    return m
  }

  private stepFeeds(members: MemberParams[] | undefined, rows: RowFeed): Record<string, Ort.Tensor> {
    if (!rows.target) throw new Error('a training feed needs targets (makeRowFeed(…, true))')
    return {
      ...this.paramFeeds(members),
      ...this.indexFeeds(rows),
      target: new this.ort.Tensor('float32', rows.target, [this.shape.members, rows.rows, this.shape.p]),
      inv_n: new this.ort.Tensor('float32', Float32Array.of(1 / rows.rows), []),
      seg_a: new this.ort.Tensor('int64', rows.segA!, [this.shape.members * this.shape.p, rows.seg!]),
      seg_b: new this.ort.Tensor('int64', rows.segB!, [this.shape.members * this.shape.p, rows.seg!]),
    }
  }

  private splitGradients(out: Ort.InferenceSession.OnnxValueMapType): MemberParams[] {
    const k = this.shape.members
    const grads: MemberParams[] = Array.from({ length: k }, () => ({}))
    for (const name of EMBED_MLP_TENSORS) {
      const all = out[`d${name}`].data as Float32Array
      const size = all.length / k
      grads.forEach((g, i) => (g[name] = k === 1 ? all : all.subarray(i * size, (i + 1) * size)))
    }
    return grads
  }

  /** Logits [K·N·p] on `rows`. */
  async logits(members: MemberParams[] | undefined, rows: RowFeed): Promise<Float32Array> {
    this.forwardLogits ??= createSession(this.ort, embedMlpForwardGraph(this.shape), this.threads)
    const out = await (await this.forwardLogits).run({ ...this.paramFeeds(members), ...this.indexFeeds(rows) })
    return out.logits.data as Float32Array
  }

  async metrics(members: MemberParams[] | undefined, rows: RowFeed, train = false): Promise<EvalMetrics> {
    const k = this.shape.members
    const feeds: Record<string, Ort.Tensor> = {
      ...this.paramFeeds(members),
      ...this.indexFeeds(rows),
      labels: new this.ort.Tensor('int64', rows.labels, [k, rows.rows]),
    }
    if (!train) return readMetrics(await this.testMetrics.run(feeds))
    feeds.previous_active = this.previousPattern(rows)
    return this.keepPattern(readMetrics(await this.trainMetrics.run(feeds)))
  }

  async dispose(): Promise<void> {
    const logits = this.forwardLogits ? [await this.forwardLogits] : []
    await Promise.all([this.step, this.stepMetrics, this.trainMetrics, this.testMetrics, ...logits].map((s) => s.release()))
  }
}
