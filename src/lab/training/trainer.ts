import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { initialValues } from '../models/model'
import { buildSystem, systemSpecs } from '../systems/system-registry'
import type { FastPathStatus } from '../fast/embed-mlp-fast-path'
import type { BatchSlot } from '../systems/modular-system'
import type { TrainingSystem } from '../systems/training-system'
import { evaluate } from './evaluate'
import { HostOptimizer } from './host-optimizer'
import { Optimizer, type OptimizerState } from './optimizer'
import { snapshotSteps } from './snapshot-schedule'

/** [‖∇head‖², ‖∇rest‖²], on the backend (read back once per evaluation) or already on the host. */
type GroupNorms = tf.Tensor | number[]

/** Reads [‖∇head‖², ‖∇rest‖²] back as metrics and disposes the tensor. */
async function readGradientMetrics(norms: GroupNorms): Promise<Record<string, number>> {
  const [headSq, restSq] = Array.isArray(norms) ? norms : await norms.data()
  if (!Array.isArray(norms)) norms.dispose()
  const head = Math.sqrt(headSq)
  const rest = Math.sqrt(restSq)
  return { 'grad_norm/head': head, 'grad_norm/rest': rest, grad_ratio_head: rest > 0 ? head / rest : Number.NaN }
}

/** Weights and optimizer state after `step` updates: enough to continue the run exactly. */
export interface Checkpoint {
  step: number
  wallSeconds: number
  params: Record<string, Float32Array>
  optimizer: OptimizerState
}

export interface TensorData {
  name: string
  shape: number[]
  data: Float32Array
}

export interface EvalRecord {
  step: number
  wallSeconds: number
  metrics: Record<string, number>
}

/** What the trainer reports; each may be async (the store writes there). */
export interface TrainerCallbacks {
  onEval?(record: EvalRecord): void | Promise<void>
  onSnapshot?(step: number, tensors: TensorData[]): void | Promise<void>
  onCheckpoint?(checkpoint: Checkpoint): void | Promise<void>
  /** Called at most every `tickMs` with the step reached and the recent speed. */
  onTick?(step: number, stepsPerSecond: number): void
  /** Polled between steps; true stops the run after a checkpoint. */
  shouldStop?(): boolean
}

export interface TrainOutcome {
  stopped: boolean
  step: number
  /** Mean wall time per update in this session, evaluations included. */
  msPerStep: number
  wallSeconds: number
}

/**
 * One run of a config on the current tf backend: dataset, model, optimizer, and the loop that
 * evaluates every `eval_every` steps, snapshots on the log+linear schedule and checkpoints.
 */
export class Trainer {
  readonly system: TrainingSystem
  readonly optimizer: Optimizer
  private readonly initial: tf.Tensor[]
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
    }
    return status
  }

  /** Runs until `config.steps` or until `shouldStop`; always ends on a checkpoint. */
  async run(cb: TrainerCallbacks = {}, tickMs = 250): Promise<TrainOutcome> {
    const c = this.config
    await this.engine()
    const started = performance.now()
    const startStep = this.step
    const wall = () => this.wallOffset + (performance.now() - started) / 1000
    let lastTick = performance.now()
    let lastTickStep = this.step
    let lastYield = performance.now()
    let stopped = false
    while (true) {
      const s = this.step
      if (this.snapshotAt.has(s)) await cb.onSnapshot?.(s, await this.readWeights())
      const evalStep = s % c.eval_every === 0 || s === c.steps
      const stopping = s === c.steps || Boolean(cb.shouldStop?.())
      if (evalStep) {
        const metrics = await this.evaluate()
        // The gradient at θ_s comes with update s; at the last step it needs a pass of its own.
        const gradNorms = stopping ? await this.gradientNorms() : (await this.update(s, true))!
        Object.assign(metrics, await readGradientMetrics(gradNorms))
        await cb.onEval?.({ step: s, wallSeconds: wall(), metrics })
      }
      if (stopping) {
        stopped = s !== c.steps
        break
      }
      if (!evalStep) await this.update(s)
      this.step = s + 1
      if (this.step % c.checkpoint_every === 0 && this.step < c.steps) await cb.onCheckpoint?.(await this.checkpoint(wall()))
      const now = performance.now()
      if (cb.onTick && now - lastTick >= tickMs) {
        cb.onTick(this.step, ((this.step - lastTickStep) * 1000) / (now - lastTick))
        lastTick = now
        lastTickStep = this.step
      }
      if (now - lastYield > 50) {
        // Let IPC messages (cancel) and stdout through: wasm kernels run synchronously.
        await new Promise((resolve) => setImmediate(resolve))
        lastYield = performance.now()
      }
    }
    await cb.onCheckpoint?.(await this.checkpoint(wall()))
    const elapsed = performance.now() - started
    const done = this.step - startStep
    return { stopped, step: this.step, msPerStep: done > 0 ? elapsed / done : 0, wallSeconds: wall() }
  }

  /**
   * Runs `count` updates with no evaluation, snapshot or checkpoint, then waits until the backend
   * has finished them (async backends queue work). For benchmarks.
   */
  async trainSteps(count: number): Promise<void> {
    await this.engine()
    for (let i = 0; i < count; i++) await this.update(this.step++)
    await this.system.params[0].variable.data()
  }

  /**
   * One optimizer update at step s, all intermediates released. With `withGradNorms` it also
   * returns the squared gradient norms of the head and of the rest (a kept tensor to read back).
   */
  private async update(s: number, withGradNorms = false): Promise<GroupNorms | undefined> {
    const host = this.system.hostParams?.()
    if (host && this.hostOptimizer) {
      const grads = await this.system.fastGradients!(s)
      const norms = withGradNorms ? this.hostGroupNorms(grads) : undefined
      this.hostOptimizer.apply(host, grads)
      this.variablesStale = true
      return norms
    }
    return tf.tidy(() => {
      const grads = this.gradients(s)
      const norms = withGradNorms ? this.groupSquaredNorms(grads) : undefined
      this.optimizer.apply(grads)
      return norms
    })
  }

  private hostGroupNorms(grads: Record<string, Float32Array>): number[] {
    const sums = [0, 0]
    for (const q of this.system.params) {
      const g = grads[q.name]
      let sq = 0
      for (let i = 0; i < g.length; i++) sq += g[i] * g[i]
      sums[q.group === 'head' ? 0 : 1] += sq
    }
    return sums
  }

  /** Refreshes the tf variables from the fast path's host weights, if they moved. */
  private syncVariables(): void {
    const host = this.system.hostParams?.()
    if (!host || !this.variablesStale) return
    // A new tensor per assign: wasm caches packed weights per tensor, so memory is never rewritten.
    for (const q of this.system.params) tf.tidy(() => q.variable.assign(tf.tensor(host[q.name], q.variable.shape)))
    this.variablesStale = false
  }

  private gradients(s: number): Record<string, tf.Tensor> {
    const vars = this.system.params.map((q) => q.variable)
    const { grads } = tf.variableGrads(this.system.trainLoss(s), vars)
    const byName: Record<string, tf.Tensor> = {}
    for (const [varName, g] of Object.entries(grads)) byName[this.varNames.get(varName)!] = g
    return byName
  }

  /** [‖∇head‖², ‖∇rest‖²]: TC's effective-gradient comparison of classifier head and embedding block. */
  private groupSquaredNorms(grads: Record<string, tf.Tensor>): tf.Tensor {
    // Pairwise adds, not tf.addN: WebGPU's AddN binds one buffer per input and fails past 8 inputs.
    const sq = (group: 'head' | 'rest') =>
      this.system.params
        .filter((q) => (q.group === 'head') === (group === 'head'))
        .map((q) => tf.sum(tf.square(grads[q.name])))
        .reduce((a, b) => tf.add(a, b), tf.scalar(0))
    return tf.stack([sq('head'), sq('rest')])
  }

  /** Gradient norms at the current weights on the full train set, without updating. */
  private async gradientNorms(): Promise<GroupNorms> {
    if (this.system.hostParams?.()) return this.hostGroupNorms(await this.system.fastGradients!(this.step))
    return tf.tidy(() => this.groupSquaredNorms(this.gradients(this.step)))
  }

  /** Losses, accuracies, margin, norms and distance from init at the current weights. */
  async evaluate(): Promise<Record<string, number>> {
    await this.engine()
    const hostMeasurements = await this.system.measureHost?.()
    this.syncVariables()
    const { metrics, pattern } = await evaluate({
      hostMeasurements,
      system: this.system,
      initial: this.initial,
      weightDecay: (name) => this.config.wd_per_layer[name] ?? this.config.wd,
      previousPattern: this.pattern,
    })
    this.pattern?.dispose()
    this.pattern = pattern
    if (this.system.hostMetrics) Object.assign(metrics, this.system.hostMetrics(await this.readWeights()))
    return metrics
  }

  /** Copies every weight tensor to the host. */
  async readWeights(): Promise<TensorData[]> {
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
