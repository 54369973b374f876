import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import type { ModelParam } from '../models/model'
import type { ModularSplit } from '../tasks/modular-arithmetic'
import { EmbedMlpOnnx, makeRowFeed, type MemberParams, type RowFeed } from './embed-mlp-onnx'
import { loadOnnxRuntime } from './onnx-runtime'

/** Which engine computes a run's gradients, and why. */
export interface FastPathStatus {
  active: boolean
  reason: string
}

/** CPU backends, where reading the weights each step is a memory copy, not a device round trip. */
const CPU_BACKENDS = new Set(['wasm', 'cpu'])

/** Why the fast path does not apply to this run on this backend, or undefined when it may. */
export function fastPathBlocker(c: RunConfig, backend: string): string | undefined {
  if (c.fast_path === 'off') return 'fast_path is off in the config'
  if (c.task !== 'modular' || c.model !== 'embed-mlp') return `no fast path for ${c.model}`
  if (!CPU_BACKENDS.has(backend)) return `the fast path runs on the CPU; the ${backend} backend keeps tfjs`
  return undefined
}

/** Host copies of the tf variables (wasm and cpu keep them in host memory, so this is a memcpy). */
export function readParams(params: ModelParam[]): MemberParams {
  const out: MemberParams = {}
  for (const q of params) out[q.name] = q.variable.dataSync() as Float32Array
  return out
}

/**
 * The embed-MLP system's fast path for one run: gradients for the trainer's optimizer, and the
 * forward passes its measurements need, computed by onnxruntime from the current tf variables.
 */
export class EmbedMlpFastPath {
  private measured: { train: { logits: Float32Array; active: Float32Array }; test: { logits: Float32Array } } | undefined
  private readonly trainFeed: RowFeed
  private readonly testFeeds: { train: RowFeed; test: RowFeed }

  private constructor(
    private readonly c: RunConfig,
    private readonly engine: EmbedMlpOnnx,
    private readonly params: ModelParam[],
    private readonly splits: { train: ModularSplit; test: ModularSplit },
  ) {
    this.trainFeed = makeRowFeed([splits.train], c.p, true)
    this.testFeeds = { train: makeRowFeed([splits.train], c.p, false), test: makeRowFeed([splits.test], c.p, false) }
  }

  /** The fast path for this run, or why it does not apply (then the system keeps tfjs autodiff). */
  static async create(
    c: RunConfig,
    params: ModelParam[],
    splits: { train: ModularSplit; test: ModularSplit },
  ): Promise<{ path?: EmbedMlpFastPath; status: FastPathStatus }> {
    const blocker = fastPathBlocker(c, tf.getBackend())
    if (blocker) return { status: { active: false, reason: blocker } }
    const { ort, reason } = await loadOnnxRuntime()
    if (!ort) return { status: { active: false, reason } }
    const engine = await EmbedMlpOnnx.create(ort, { p: c.p, d: c.d, hidden: c.hidden, members: 1 })
    return { path: new EmbedMlpFastPath(c, engine, params, splits), status: { active: true, reason: `fast path: ${reason}, per-token tables` } }
  }

  /** Gradients at the current weights on the train set, or on the minibatch `rows` of it. */
  async gradients(rows?: Int32Array): Promise<Record<string, tf.Tensor>> {
    const feed = rows ? makeRowFeed([pickRows(this.splits.train, rows)], this.c.p, true) : this.trainFeed
    const { grads } = await this.engine.gradients([readParams(this.params)], feed)
    const out: Record<string, tf.Tensor> = {}
    for (const q of this.params) out[q.name] = tf.tensor(grads[0][q.name], q.variable.shape)
    return out
  }

  /** Runs the forward passes of an evaluation; `measured` then serves them until the next call. */
  async prepareMeasure(): Promise<void> {
    const weights = [readParams(this.params)]
    const train = await this.engine.forward(weights, this.testFeeds.train, true)
    const test = await this.engine.forward(weights, this.testFeeds.test, false)
    this.measured = { train: { logits: train.logits, active: train.active! }, test }
  }

  /** Logits of the last prepareMeasure on a split, as a tensor; call inside tf.tidy. */
  logits(split: 'train' | 'test'): tf.Tensor2D {
    return tf.tensor2d(this.prepared()[split].logits, [this.splits[split].a.length, this.c.p])
  }

  /** The train set's ReLU on/off pattern [N, hidden] of the last prepareMeasure; call inside tf.tidy. */
  trainPattern(): tf.Tensor2D {
    return tf.tensor2d(this.prepared().train.active, [this.splits.train.a.length, this.c.hidden])
  }

  private prepared(): NonNullable<EmbedMlpFastPath['measured']> {
    if (!this.measured) throw new Error('prepareMeasure() must run before measure()')
    return this.measured
  }

  async dispose(): Promise<void> {
    await this.engine.dispose()
  }
}

function pickRows(split: ModularSplit, rows: Int32Array): ModularSplit {
  return { a: rows.map((r) => split.a[r]), b: rows.map((r) => split.b[r]), label: rows.map((r) => split.label[r]) }
}
