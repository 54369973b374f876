import type * as Ort from 'onnxruntime-node'
import type { FastEngine } from './fast-engine'
import { forwardGraph, metricsGraph, stepGraph, stepMetricsGraph, type FastShape, type ModelGraphs } from './model-graphs'
import type { EvalMetrics, MemberParams, RowFeed } from './row-feed'
import { createSession, sessionThreads, type OrtModule } from './onnx-runtime'

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
 * The fast path on onnxruntime's CPU kernels for a model's graphs (embed-MLP, transformer-1L):
 * per-token tables, gathers and a real fixed-order sum per token instead of one-hot products,
 * hand-written backward, multi-threaded GEMMs. Runs K members of the same shape in one call
 * (batched runs); K = 1 for a single run.
 */
export class OnnxEngine implements FastEngine {
  /** The ReLU pattern [K·N·hidden] of the last train-set measurement (1 = active). */
  private pattern?: Uint8Array

  private constructor(
    private readonly ort: OrtModule,
    private readonly graphs: ModelGraphs,
    readonly shape: FastShape,
    private readonly step: Ort.InferenceSession,
    private readonly stepMetrics: Ort.InferenceSession,
    private readonly trainMetrics: Ort.InferenceSession,
    private readonly testMetrics: Ort.InferenceSession,
    private readonly threads?: number,
  ) {}

  /** Compiled on first use: training never needs raw logits. */
  private forwardLogits?: Promise<Ort.InferenceSession>

  static async create(ort: OrtModule, graphs: ModelGraphs, shape: FastShape, threads = sessionThreads(shape.members * shape.p ** 2 * shape.hidden)): Promise<OnnxEngine> {
    const [step, stepMetrics, train, test] = await Promise.all([
      createSession(ort, stepGraph(graphs, shape), threads),
      createSession(ort, stepMetricsGraph(graphs, shape), threads),
      createSession(ort, metricsGraph(graphs, shape, true), threads),
      createSession(ort, metricsGraph(graphs, shape, false), threads),
    ])
    return new OnnxEngine(ort, graphs, shape, step, stepMetrics, train, test, threads)
  }

  /** Stacks the members' tensors along a new leading axis (no copy for a single member). */
  private paramFeeds(members: MemberParams[] | undefined): Record<string, Ort.Tensor> {
    if (!members) throw new Error('onnxruntime keeps no weights between calls: pass them')
    const shapes = this.graphs.memberShapes(this.shape)
    const k = this.shape.members
    if (members.length !== k) throw new Error(`expected ${k} members, got ${members.length}`)
    const feeds: Record<string, Ort.Tensor> = {}
    for (const name of this.graphs.tensors) {
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
    for (const name of this.graphs.tensors) {
      const all = out[`d${name}`].data as Float32Array
      const size = all.length / k
      grads.forEach((g, i) => (g[name] = k === 1 ? all : all.subarray(i * size, (i + 1) * size)))
    }
    return grads
  }

  /** Logits [K·N·p] on `rows`. */
  async logits(members: MemberParams[] | undefined, rows: RowFeed): Promise<Float32Array> {
    this.forwardLogits ??= createSession(this.ort, forwardGraph(this.graphs, this.shape), this.threads)
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
