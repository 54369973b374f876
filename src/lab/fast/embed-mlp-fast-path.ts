import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import type { ModelParam } from '../models/model'
import type { ModularSplit } from '../tasks/modular-arithmetic'
import { EmbedMlpOnnx, makeRowFeed, type EvalMetrics, type MemberParams, type RowFeed } from './embed-mlp-onnx'
import { loadOnnxRuntime } from './onnx-runtime'

/** Which engine computes a run's gradients, and why. */
export interface FastPathStatus {
  active: boolean
  reason: string
}

/** CPU backends, where reading the weights is a memory copy, not a device round trip. */
const CPU_BACKENDS = new Set(['wasm', 'cpu'])

/** Why the fast path does not apply to this run on this backend, or undefined when it may. */
export function fastPathBlocker(c: RunConfig, backend: string): string | undefined {
  if (c.fast_path === 'off') return 'fast_path is off in the config'
  if (c.task !== 'modular' || c.model !== 'embed-mlp') return `no fast path for ${c.model}`
  if (!CPU_BACKENDS.has(backend)) return `the fast path runs on the CPU; the ${backend} backend keeps tfjs`
  return undefined
}

/** Own host copies of tf variables' values. */
export function readParams(params: ModelParam[]): MemberParams {
  const out: MemberParams = {}
  for (const q of params) out[q.name] = (q.variable.dataSync() as Float32Array).slice()
  return out
}

interface Member {
  splits: { train: ModularSplit; test: ModularSplit }
  /** Minibatch rows of the train split at a step (undefined: full batch). */
  batchRows?: (step: number) => Int32Array
  params?: MemberParams
}

/** A result computed once for all members, handed to each member once. */
interface Shared<T> {
  result: Promise<T>
  taken: boolean[]
}

/**
 * K embed-MLP runs of the same shape trained in lockstep by one onnxruntime engine (K = 1 for a
 * single run). Each member asks for its own gradients and measurements; the first ask of a round
 * computes them for every member in one call, at the weights all members hold at that moment.
 */
export class EmbedMlpBatch {
  private readonly members: Member[] = []
  private rowFeeds?: { train: RowFeed; test: RowFeed }
  private previousActive?: Uint8Array
  private hasPrevious = false
  private grads?: Shared<MemberParams[]>
  private evals?: Shared<Record<string, number>[]>

  private constructor(
    private readonly engine: EmbedMlpOnnx,
    readonly size: number,
    private readonly p: number,
  ) {}

  /**
   * A batch for runs of one shape (same p, d, hidden, train-set size and batch size), or why the
   * fast path does not apply. `threads` caps onnxruntime's threads (default: every core).
   */
  static async create(configs: RunConfig[], threads?: number): Promise<{ batch?: EmbedMlpBatch; status: FastPathStatus }> {
    const c = configs[0]
    const blocker = fastPathBlocker(c, tf.getBackend())
    if (blocker) return { status: { active: false, reason: blocker } }
    const { ort, reason } = await loadOnnxRuntime()
    if (!ort) return { status: { active: false, reason } }
    const engine = await EmbedMlpOnnx.create(ort, { p: c.p, d: c.d, hidden: c.hidden, members: configs.length }, threads)
    const what = configs.length > 1 ? `${configs.length} runs batched` : 'per-token tables'
    return { batch: new EmbedMlpBatch(engine, configs.length, c.p), status: { active: true, reason: `fast path: ${reason}, ${what}` } }
  }

  /** Registers member k's data; its weights follow with setParams. */
  join(k: number, member: Member): void {
    this.members[k] = member
  }

  /** Member k's weights as host arrays; the trainer updates them in place. */
  setParams(k: number, params: MemberParams): void {
    this.members[k].params = params
  }

  /** Every member's full train and test sets as graph feeds, built once all members have joined. */
  private feeds(): { train: RowFeed; test: RowFeed } {
    this.rowFeeds ??= {
      train: makeRowFeed(
        this.members.map((m) => m.splits.train),
        this.p,
        true,
      ),
      test: makeRowFeed(
        this.members.map((m) => m.splits.test),
        this.p,
        false,
      ),
    }
    return this.rowFeeds
  }

  private weights(): MemberParams[] {
    if (this.members.length !== this.size || this.members.some((m) => !m?.params)) {
      throw new Error(`all ${this.size} members must join the batch and set their weights before it trains`)
    }
    return this.members.map((m) => m.params!)
  }

  private share<T>(slot: Shared<T> | undefined, k: number, compute: () => Promise<T>): Shared<T> {
    const fresh = !slot || slot.taken[k]
    const s = fresh ? { result: compute(), taken: new Array<boolean>(this.size).fill(false) } : slot
    s.taken[k] = true
    return s
  }

  /** Member k's gradients at step s (its minibatch, or the full train set). */
  async gradients(k: number, step: number): Promise<MemberParams> {
    this.grads = this.share(this.grads, k, async () => {
      const minibatch = this.members[0].batchRows !== undefined
      const feed = minibatch ? makeRowFeed(this.members.map((m) => pickRows(m.splits.train, m.batchRows!(step))), this.p, true) : this.feeds().train
      return (await this.engine.gradients(this.weights(), feed)).grads
    })
    return (await this.grads.result)[k]
  }

  /** Member k's measurements at its current weights: losses, accuracies, margin, ReLU share and churn. */
  async measure(k: number): Promise<Record<string, number>> {
    this.evals = this.share(this.evals, k, () => this.measureAll())
    return (await this.evals.result)[k]
  }

  private async measureAll(): Promise<Record<string, number>[]> {
    const weights = this.weights()
    const feeds = this.feeds()
    this.previousActive ??= new Uint8Array(feeds.train.ia.length * this.engine.shape.hidden)
    let train: EvalMetrics
    if (this.members[0].batchRows === undefined) {
      // Full batch: the step at these weights comes next, so one pass yields both.
      const both = await this.engine.gradientsWithMetrics(weights, feeds.train, this.previousActive)
      train = both.metrics
      this.grads = { result: Promise.resolve(both.grads), taken: new Array<boolean>(this.size).fill(false) }
    } else train = await this.engine.metrics(weights, feeds.train, this.previousActive)
    const test = feeds.test.rows > 0 ? await this.engine.metrics(weights, feeds.test) : undefined
    const out = this.members.map((_, k) => {
      const m: Record<string, number> = {
        train_loss: train.loss[k],
        train_acc: train.acc[k],
        min_train_margin: train.minMargin![k],
        relu_active: train.reluActive![k],
      }
      if (this.hasPrevious) m.relu_churn = train.reluChurn![k]
      if (test) Object.assign(m, { test_loss: test.loss[k], test_acc: test.acc[k] })
      return m
    })
    // Copied: onnxruntime may reuse its output buffer on the next call.
    this.previousActive = train.active!.slice()
    this.hasPrevious = true
    return out
  }

  async dispose(): Promise<void> {
    await this.engine.dispose()
  }
}

function pickRows(split: ModularSplit, rows: Int32Array): ModularSplit {
  return { a: rows.map((r) => split.a[r]), b: rows.map((r) => split.b[r]), label: rows.map((r) => split.label[r]) }
}
