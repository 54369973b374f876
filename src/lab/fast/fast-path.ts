import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import type { ModelParam } from '../models/model'
import type { HostOptimizer } from '../training/host-optimizer'
import type { ModularSplit } from '../tasks/modular-arithmetic'
import { LabError } from '../../shared/lab-error'
import { feedRows } from './feed-rows'
import { batchShapeKey, fastPathBlocker, openEngine, PER_MEMBER_KEYS, type FastPathStatus } from './engine-choice'
import type { FastEngine } from './fast-engine'
import { makeRowFeed, type EvalMetrics, type MemberParams, type RowFeed } from './row-feed'

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
  /** The trainer's optimizer: its state and constants, when the engine trains on its device. */
  optimizer?: HostOptimizer
}

/** Measurements submitted to the device and on their way back (wrapped, so awaiting the object does not wait for them). */
export interface LaterMeasurement<T> {
  /** Whether they bring the round's gradients (full batch). */
  gradients: boolean
  result: Promise<T>
}

/** One member's deferred measurements, with the weights and (full batch) the gradients they were taken at. */
export interface MemberMeasurement {
  metrics: Record<string, number>
  params: MemberParams
  grads?: MemberParams
}

/** A result computed once for all members, handed to each member once. */
interface Shared<T> {
  result: Promise<T>
  taken: boolean[]
}

/**
 * K runs of one model and shape (embed-MLP or transformer-1L) trained in lockstep by one engine (K = 1 for a
 * single run). Each member asks for its own gradients and measurements; the first ask of a round
 * computes them for every member in one call, at the weights all members hold at that moment.
 */
export class FastPathBatch {
  private readonly members: Member[] = []
  private rowFeeds?: { train: RowFeed; test: RowFeed }
  private hasPrevious = false
  private grads?: Shared<MemberParams[]>
  private evals?: Shared<Record<string, number>[]>
  private updates?: Shared<MemberParams[] | undefined>
  /** Resident training: the weights are on the device, the device is ahead of the host arrays. */
  private loaded = false
  /** Updates the device has applied, updates each member has taken, and the update each member's host arrays reflect. */
  private deviceRound = 0
  private readonly memberRound: number[] = []
  private readonly hostRound: number[] = []
  /** The update each member's optimizer state reflects (read only for checkpoints: it is twice the weights' size). */
  private readonly slotRound: number[] = []
  /** The last state read back, by round, so members of one round share one readback. */
  private lastRead?: { round: number; withSlots: boolean; state: Promise<{ params: MemberParams[]; slots?: Record<string, Float32Array[]>[] }> }
  /** The gradients of this round, on the device and read back, from an evaluation's combined pass. */
  private roundGradients?: MemberParams[]
  /** This round's gradients are on the device (an evaluation's combined pass): the update needs no pass of its own. */
  private gradientsOnDevice = false
  private laterEvals?: Shared<LaterMeasurement<MemberMeasurement[]>>

  private constructor(
    private readonly engine: FastEngine,
    readonly size: number,
    private readonly p: number,
  ) {}

  /**
   * A batch for runs of one model and shape, configs equal but for their per-member keys (seed, λ,
   * α, optimizer settings), or why the fast path does not apply. `threads` caps onnxruntime's
   * threads (default: every core).
   */
  static async create(configs: RunConfig[], threads?: number): Promise<{ batch?: FastPathBatch; status: FastPathStatus }> {
    const c = configs[0]
    if (configs.some((other) => batchShapeKey(other) !== batchShapeKey(c))) {
      throw new LabError(`runs of one batch may differ only in ${PER_MEMBER_KEYS.join(', ')}; train the others apart (--batch 1)`)
    }
    const blocker = fastPathBlocker(c, tf.getBackend())
    if (blocker) return { status: { active: false, reason: blocker } }
    const shape = { p: c.p, d: c.d, hidden: c.hidden, heads: c.heads, members: configs.length }
    // The sets' sizes too: some WebGPU grids grow with the pairs.
    const { engine, reason } = await openEngine(tf.getBackend(), c.model, shape, threads, feedRows(c))
    if (!engine) return { status: { active: false, reason } }
    const what = configs.length > 1 ? `${configs.length} runs batched` : 'per-token tables'
    return { batch: new FastPathBatch(engine, configs.length, c.p), status: { active: true, reason: `fast path: ${reason}, ${what}` } }
  }

  /** Registers member k's data; its weights follow with setParams. */
  join(k: number, member: Member): void {
    this.members[k] = member
  }

  /** Member k's weights as host arrays; the trainer updates them in place. */
  setParams(k: number, params: MemberParams): void {
    this.members[k].params = params
  }

  /** Whether the engine trains on its device (then trainers call update and pull, not gradients). */
  get trainsOnDevice(): boolean {
    return this.engine.resident !== undefined
  }

  /** Member k's optimizer, whose state the device takes over and whose constants drive each update. */
  setOptimizer(k: number, optimizer: HostOptimizer): void {
    this.members[k].optimizer = optimizer
  }

  private trainFeed(step: number): RowFeed {
    return this.members[0].batchRows === undefined
      ? this.feeds().train
      : { ...makeRowFeed(this.members.map((m) => pickRows(m.splits.train, m.batchRows!(step))), this.p, true), minibatch: true }
  }

  /** Sends every member's weights and optimizer state to the device, once. */
  private async ensureLoaded(): Promise<void> {
    const resident = this.engine.resident
    if (!resident || this.loaded) return
    const weights = this.weights()
    if (this.members.some((m) => !m.optimizer)) throw new Error('every member must set its optimizer before the batch trains on the device')
    await resident.load(
      weights,
      this.members.map((m) => Object.fromEntries(Object.keys(weights[0]).map((name) => [name, m.optimizer!.slotsOf(name)]))),
    )
    this.loaded = true
  }

  /** The weights to pass the engine: none once they live on the device. */
  private async current(): Promise<MemberParams[] | undefined> {
    await this.ensureLoaded()
    return this.loaded ? undefined : this.weights()
  }

  /**
   * Resident training: member k's update at step s, every member's in one device call (the first
   * ask of a round). `withGradients` returns member k's gradients, read back, for their norms.
   */
  async update(k: number, step: number, withGradients: boolean): Promise<MemberParams | undefined> {
    this.updates = this.share(this.updates, k, async () => {
      await this.ensureLoaded()
      const ready = this.roundGradients
      const onDevice = this.gradientsOnDevice
      this.roundGradients = undefined
      this.gradientsOnDevice = false
      const rows = this.trainFeed(step)
      const grads = ready ?? (withGradients && !onDevice ? (await this.engine.gradients(undefined, rows)).grads : undefined)
      const constants = this.members.map((m) => m.optimizer!.deviceConstants())
      await this.engine.resident!.train(rows, constants, onDevice || grads !== undefined)
      this.deviceRound += 1
      return grads
    })
    const grads = await this.updates.result
    this.memberRound[k] = (this.memberRound[k] ?? 0) + 1
    if (withGradients && !grads) throw new Error('members of a batch must evaluate at the same steps, and a deferred evaluation brings its own gradients')
    return grads?.[k]
  }

  /**
   * Brings member k's weights and optimizer state from the device into its host arrays (resident
   * training), as of the updates member k has taken: in a round, the first member's call has moved
   * every member on the device, and the others still read the state from before it.
   */
  async pull(k: number, withSlots: boolean): Promise<void> {
    const round = this.memberRound[k] ?? 0
    const slotsNeeded = withSlots && (this.slotRound[k] ?? 0) !== round
    if ((this.hostRound[k] ?? 0) === round && !slotsNeeded) return
    if (round < this.deviceRound - 1) throw new Error(`member ${k} fell more than one update behind its batch`)
    if (this.lastRead?.round !== round || (slotsNeeded && !this.lastRead.withSlots)) {
      this.lastRead = { round, withSlots: slotsNeeded, state: this.engine.resident!.readState(round < this.deviceRound, slotsNeeded) }
    }
    const state = await this.lastRead.state
    const m = this.members[k]
    for (const [name, a] of Object.entries(m.params!)) a.set(state.params[k][name])
    this.hostRound[k] = round
    if (!slotsNeeded) return
    for (const [name, slots] of Object.entries(state.slots![k])) m.optimizer!.slotsOf(name).forEach((a, i) => a.set(slots[i]))
    this.slotRound[k] = round
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
    this.grads = this.share(this.grads, k, async () => (await this.engine.gradients(await this.current(), this.trainFeed(step))).grads)
    return (await this.grads.result)[k]
  }

  /** Member k's measurements at its current weights: losses, accuracies, margin, ReLU share and churn. */
  async measure(k: number): Promise<Record<string, number>> {
    this.evals = this.share(this.evals, k, () => this.measureAll())
    return (await this.evals.result)[k]
  }

  /**
   * Resident training: member k's measurements at its current weights, started on the device and
   * not waited for. Resolves once they are submitted (every member's, at the round's first ask),
   * so the next update can follow at once; `result` brings member k's metrics with the weights they
   * were taken at and, on full batches, the round's gradients (the update then reuses them on the device).
   */
  async measureLater(k: number): Promise<LaterMeasurement<MemberMeasurement>> {
    this.laterEvals = this.share(this.laterEvals, k, () => this.startMeasureAll())
    const later = await this.laterEvals.result
    return { gradients: later.gradients, result: later.result.then((all) => all[k]) }
  }

  private async startMeasureAll(): Promise<LaterMeasurement<MemberMeasurement[]>> {
    await this.ensureLoaded()
    if (!this.loaded) throw new Error('measureLater is for training on the device')
    const feeds = this.feeds()
    const fullBatch = this.members[0].batchRows === undefined
    const pending = await this.engine.resident!.evaluate(feeds.train, feeds.test.rows > 0 ? feeds.test : undefined, fullBatch)
    this.gradientsOnDevice = fullBatch
    const churn = this.hasPrevious
    this.hasPrevious = true
    const result = pending.results.then((out) =>
      this.members.map((_, k) => ({ metrics: this.memberMetrics(out.train, out.test, k, churn), params: out.params[k], grads: out.grads?.[k] })),
    )
    result.catch(() => undefined)
    return { gradients: fullBatch, result }
  }

  private memberMetrics(train: EvalMetrics, test: EvalMetrics | undefined, k: number, churn: boolean): Record<string, number> {
    const m: Record<string, number> = {
      train_loss: train.loss[k],
      train_acc: train.acc[k],
      min_train_margin: train.minMargin![k],
      relu_active: train.reluActive![k],
    }
    if (churn) m.relu_churn = train.reluChurn![k]
    if (test) Object.assign(m, { test_loss: test.loss[k], test_acc: test.acc[k] })
    return m
  }

  private async measureAll(): Promise<Record<string, number>[]> {
    const weights = await this.current()
    const feeds = this.feeds()
    const fullBatch = this.members[0].batchRows === undefined
    let train: EvalMetrics
    let test: EvalMetrics | undefined
    if (this.loaded) {
      // On the device: the measurements, this round's gradients and the weights in one readback.
      const out = await (await this.engine.resident!.evaluate(feeds.train, feeds.test.rows > 0 ? feeds.test : undefined, fullBatch)).results
      ;({ train, test } = out)
      if (fullBatch) this.roundGradients = out.grads
      this.gradientsOnDevice = fullBatch
      this.members.forEach((m, k) => {
        // Every member is at the device's state in a round's first evaluation: their weights come along.
        if ((this.memberRound[k] ?? 0) !== this.deviceRound) return
        for (const [name, a] of Object.entries(m.params!)) a.set(out.params[k][name])
        this.hostRound[k] = this.deviceRound
      })
    } else if (fullBatch) {
      // Full batch: the step at these weights comes next, so one pass yields both.
      const both = await this.engine.gradientsWithMetrics(weights, feeds.train)
      train = both.metrics
      this.grads = { result: Promise.resolve(both.grads), taken: new Array<boolean>(this.size).fill(false) }
    } else train = await this.engine.metrics(weights, feeds.train, true)
    if (!this.loaded && feeds.test.rows > 0) test = await this.engine.metrics(weights, feeds.test)
    const out = this.members.map((_, k) => this.memberMetrics(train, test, k, this.hasPrevious))
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
