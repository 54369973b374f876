import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { initialValues } from '../models/model'
import { buildSystem, systemSpecs } from '../systems/system-registry'
import type { FastPathStatus } from '../fast/engine-choice'
import type { BatchSlot } from '../systems/modular-system'
import type { TrainingSystem } from '../systems/training-system'
import { EvalDelivery } from './eval-delivery'
import { evaluate } from './evaluate'
import { groupSquaredNorms, hostGroupNorms, readGradientMetrics, type GroupNorms } from './gradient-norms'
import { HostOptimizer } from './host-optimizer'
import { Optimizer } from './optimizer'
import { snapshotSteps } from './snapshot-schedule'

import type { Checkpoint, EvalRecord, TensorData, TrainerCallbacks, TrainingSession, TrainOutcome } from './trainer-types'

export type { Checkpoint, EvalRecord, TensorData, TrainerCallbacks, TrainingSession, TrainOutcome }

/**
 * One run of a config on the current tf backend: dataset, model, optimizer, and the loop that
 * evaluates every `eval_every` steps, snapshots on the log+linear schedule and checkpoints.
 */
export class Trainer {
  readonly system: TrainingSystem
  readonly optimizer: Optimizer
  private readonly initial: tf.Tensor[]
  /** θ₀ on the host, by tensor name, for the fast path's norms. */
  private readonly initialHost: Record<string, Float32Array>
  private readonly snapshotAt: Set<number>
  private step: number
  private wallOffset: number
  /** The train set's ReLU pattern at the last evaluation (churn is measured against it). */
  private pattern: tf.Tensor | undefined
  /** tf variable name → tensor name, to key gradients by tensor. */
  private readonly varNames: Map<string, string>
  private engineStatus: Promise<FastPathStatus> | undefined
  /** The fast path's optimizer over the system's host weights; undefined while tfjs trains. */
  private hostOptimizer: HostOptimizer | undefined
  /** The host weights moved since the tf variables were last refreshed from them. */
  private variablesStale = false
  /** Evaluations whose readback is on its way, reported (onEval) in order as they arrive. */
  private readonly evalsOnTheirWay = new EvalDelivery()

  constructor(
    readonly config: RunConfig,
    resume?: Checkpoint,
    slot?: BatchSlot,
  ) {
    const c = config
    const specs = systemSpecs(c)
    const init = initialValues(specs, c.seed, c.init_scale)
    this.system = buildSystem(c, resume ? specs.map((s) => resume.params[s.name]) : init, slot)
    this.initial = specs.map((s, i) => tf.tensor(init[i], s.shape))
    this.initialHost = Object.fromEntries(specs.map((s, i) => [s.name, init[i]]))
    this.optimizer = new Optimizer(c, this.system.params)
    if (resume) this.optimizer.load(resume.optimizer)
    this.snapshotAt = new Set(snapshotSteps(c.steps, c.snapshot_budget))
    this.step = resume?.step ?? 0
    this.varNames = new Map(this.system.params.map((q) => [q.variable.name, q.name]))
    this.wallOffset = resume?.wallSeconds ?? 0
  }

  /** Steps completed so far. */
  get stepsDone(): number {
    return this.step
  }

  /** Sets up the system's fast path once (if it has one) and says which engine computes the gradients. */
  engine(): Promise<FastPathStatus> {
    this.engineStatus ??= this.setupEngine()
    return this.engineStatus
  }

  private async setupEngine(): Promise<FastPathStatus> {
    const status = (await this.system.prepare?.()) ?? { active: false, reason: 'tfjs autodiff' }
    const host = this.system.hostParams?.()
    if (host) {
      this.hostOptimizer = new HostOptimizer(this.config, Object.fromEntries(Object.entries(host).map(([n, a]) => [n, a.length])))
      // Carries a resumed checkpoint's state over from the tfjs optimizer, which loaded it.
      this.hostOptimizer.load(await this.optimizer.state())
      this.system.useOptimizer?.(this.hostOptimizer)
    }
    return status
  }

  /**
   * Whether evaluations are read back while the next steps run: when the device trains and holds
   * the weights (the WebGPU fast path), and no host metric needs the weights at the evaluation.
   */
  private evaluatesLater(): boolean {
    return Boolean(this.system.trainsOnDevice?.() && this.system.measureLater && !this.system.hostMetrics)
  }

  /**
   * Evaluation step s on the device without waiting for its readback: the measurements are
   * submitted, then update s (whose gradients the measurement pass left on the device, on full
   * batches), and onEval follows when the results arrive. Same values and order as evaluate():
   * the norms come from the weights read back with the measurements.
   */
  private async evaluateLater(session: TrainingSession, s: number, stopping: boolean): Promise<void> {
    const later = await this.system.measureLater!()
    // The gradient at θ_s comes with update s; at the last step it needs a pass of its own.
    const ownNorms = stopping ? await this.gradientNorms() : await this.update(s, !later.gradients)
    const wallSeconds = this.wall(session)
    this.evalsOnTheirWay.add(async () => {
      const m = await later.result
      const { metrics } = await evaluate({
        hostMeasurements: m.metrics,
        hostWeights: { current: m.params, initial: this.initialHost },
        system: this.system,
        initial: this.initial,
        weightDecay: (name) => this.config.wd_per_layer[name] ?? this.config.wd,
      })
      const gradNorms = ownNorms ?? hostGroupNorms(this.system.params, m.grads!)
      Object.assign(metrics, await readGradientMetrics(gradNorms))
      await session.cb.onEval?.({ step: s, wallSeconds, metrics })
    })
  }

  /** Runs until `config.steps` or until `shouldStop`; always ends on a checkpoint. */
  async run(cb: TrainerCallbacks = {}, tickMs = 250): Promise<TrainOutcome> {
    const session = await this.begin(cb, tickMs)
    while (await this.advance(session)) {
      // Each advance is one step; a batch of runs interleaves the advances of its members.
    }
    return this.finish(session)
  }

  /** Starts a training session (sets up the engine); drive it with advance, end it with finish. */
  async begin(cb: TrainerCallbacks = {}, tickMs = 250): Promise<TrainingSession> {
    await this.engine()
    const now = performance.now()
    return { cb, tickMs, started: now, startStep: this.step, lastTick: now, lastTickStep: this.step, lastYield: now, stopped: false }
  }

  private wall(session: TrainingSession): number {
    return this.wallOffset + (performance.now() - session.started) / 1000
  }

  /**
   * One step of the session: snapshot, evaluation and update as due, then checkpoint and progress.
   * Returns false once the run has reached its last step or was asked to stop (nothing updated then).
   */
  async advance(session: TrainingSession): Promise<boolean> {
    // A failed delivery (the store, a dead device) fails the run now, not at the next checkpoint.
    this.evalsOnTheirWay.throwIfFailed()
    const c = this.config
    const cb = session.cb
    const s = this.step
    if (this.snapshotAt.has(s)) {
      await this.evalsOnTheirWay.drained()
      await cb.onSnapshot?.(s, await this.readWeights())
    }
    const evalStep = s % c.eval_every === 0 || s === c.steps
    const stopping = s === c.steps || Boolean(cb.shouldStop?.())
    if (evalStep && this.evaluatesLater()) await this.evaluateLater(session, s, stopping)
    else if (evalStep) {
      const metrics = await this.evaluate()
      // The gradient at θ_s comes with update s; at the last step it needs a pass of its own.
      const gradNorms = stopping ? await this.gradientNorms() : (await this.update(s, true))!
      Object.assign(metrics, await readGradientMetrics(gradNorms))
      await cb.onEval?.({ step: s, wallSeconds: this.wall(session), metrics })
    }
    if (stopping) {
      session.stopped = s !== c.steps
      return false
    }
    if (!evalStep) await this.update(s)
    this.step = s + 1
    if (this.step % c.checkpoint_every === 0 && this.step < c.steps) {
      await this.evalsOnTheirWay.drained()
      await cb.onCheckpoint?.(await this.checkpoint(this.wall(session)))
    }
    const now = performance.now()
    if (cb.onTick && now - session.lastTick >= session.tickMs) {
      cb.onTick(this.step, ((this.step - session.lastTickStep) * 1000) / (now - session.lastTick))
      session.lastTick = now
      session.lastTickStep = this.step
    }
    if (now - session.lastYield > 50) {
      // Let IPC messages (cancel) and stdout through: wasm kernels run synchronously.
      await new Promise((resolve) => setImmediate(resolve))
      session.lastYield = performance.now()
    }
    return true
  }

  /** Ends a session on a checkpoint and reports it. */
  async finish(session: TrainingSession): Promise<TrainOutcome> {
    await this.evalsOnTheirWay.drained()
    const wallSeconds = this.wall(session)
    await session.cb.onCheckpoint?.(await this.checkpoint(wallSeconds))
    const elapsed = performance.now() - session.started
    const done = this.step - session.startStep
    return { stopped: session.stopped, step: this.step, msPerStep: done > 0 ? elapsed / done : 0, wallSeconds }
  }

  /**
   * Runs `count` updates with no evaluation, snapshot or checkpoint, then waits until the backend
   * has finished them (async backends queue work). For benchmarks.
   */
  async trainSteps(count: number): Promise<void> {
    await this.engine()
    for (let i = 0; i < count; i++) await this.update(this.step++)
    // Reading the weights back waits for the device's queued steps too.
    await this.pullHost()
    await this.system.params[0].variable.data()
  }

  /**
   * Brings the weights (and with `withOptimizer` the optimizer state) back from the device, when it
   * trains them; the fast path knows whether the host is behind, so this costs nothing when it is not.
   */
  private async pullHost(withOptimizer = false): Promise<void> {
    await this.system.pullHost?.(withOptimizer)
  }

  /**
   * One optimizer update at step s, all intermediates released. With `withGradNorms` it also
   * returns the squared gradient norms of the head and of the rest (a kept tensor to read back).
   */
  private async update(s: number, withGradNorms = false): Promise<GroupNorms | undefined> {
    const host = this.system.hostParams?.()
    if (host && this.hostOptimizer && this.system.trainsOnDevice?.()) {
      const grads = await this.system.deviceUpdate!(s, withGradNorms)
      this.variablesStale = true
      return grads ? hostGroupNorms(this.system.params, grads) : undefined
    }
    if (host && this.hostOptimizer) {
      const grads = await this.system.fastGradients!(s)
      const norms = withGradNorms ? hostGroupNorms(this.system.params, grads) : undefined
      this.hostOptimizer.apply(host, grads)
      this.variablesStale = true
      return norms
    }
    return tf.tidy(() => {
      const grads = this.gradients(s)
      const norms = withGradNorms ? groupSquaredNorms(this.system.params, grads) : undefined
      this.optimizer.apply(grads)
      return norms
    })
  }

  /** Refreshes the tf variables from the fast path's host weights, if they moved. */
  private syncVariables(): void {
    const host = this.system.hostParams?.()
    if (!host || !this.variablesStale) return
    // A new tensor per assign: wasm caches packed weights per tensor, so memory is never rewritten.
    // Of a copy: some backends (webgpu) keep the array they are given and hand it back from data(),
    // and the host arrays change in place.
    for (const q of this.system.params) tf.tidy(() => q.variable.assign(tf.tensor(host[q.name].slice(), q.variable.shape)))
    this.variablesStale = false
  }

  private gradients(s: number): Record<string, tf.Tensor> {
    const vars = this.system.params.map((q) => q.variable)
    const { grads } = tf.variableGrads(this.system.trainLoss(s), vars)
    const byName: Record<string, tf.Tensor> = {}
    for (const [varName, g] of Object.entries(grads)) byName[this.varNames.get(varName)!] = g
    return byName
  }

  /** Gradient norms at the current weights on the full train set, without updating. */
  private async gradientNorms(): Promise<GroupNorms> {
    if (this.system.hostParams?.()) return hostGroupNorms(this.system.params, await this.system.fastGradients!(this.step))
    return tf.tidy(() => groupSquaredNorms(this.system.params, this.gradients(this.step)))
  }

  /** Losses, accuracies, margin, norms and distance from init at the current weights. */
  async evaluate(): Promise<Record<string, number>> {
    await this.engine()
    // Measured first: on the GPU the measurement brings the weights back with it, and the pull is then free.
    const hostMeasurements = await this.system.measureHost?.()
    await this.pullHost()
    const host = this.system.hostParams?.()
    const { metrics, pattern } = await evaluate({
      hostMeasurements,
      hostWeights: host ? { current: host, initial: this.initialHost } : undefined,
      system: this.system,
      initial: this.initial,
      weightDecay: (name) => this.config.wd_per_layer[name] ?? this.config.wd,
      previousPattern: this.pattern,
    })
    this.pattern?.dispose()
    this.pattern = pattern
    if (this.system.hostMetrics) Object.assign(metrics, this.system.hostMetrics(await this.readWeights(), this.step))
    return metrics
  }

  /** Copies every weight tensor to the host. */
  async readWeights(): Promise<TensorData[]> {
    await this.pullHost()
    this.syncVariables()
    return Promise.all(
      this.system.params.map(async (q) => ({
        name: q.name,
        shape: q.variable.shape.slice(),
        data: (await q.variable.data()) as Float32Array,
      })),
    )
  }

  async checkpoint(wallSeconds: number): Promise<Checkpoint> {
    await this.pullHost(true)
    const params: Record<string, Float32Array> = {}
    for (const w of await this.readWeights()) params[w.name] = w.data
    const optimizer = this.hostOptimizer ? this.hostOptimizer.state() : await this.optimizer.state()
    return { step: this.step, wallSeconds, params, optimizer }
  }

  dispose(): void {
    this.pattern?.dispose()
    this.system.dispose()
    this.initial.forEach((t) => t.dispose())
    this.optimizer.dispose()
    this.system.params.forEach((q) => q.variable.dispose())
  }
}
