import * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/run-config'
import { LabError } from '../../shared/lab-error'
import type { ModelParam } from '../models/model'

/** Optimizer state as host arrays: the step count and each tensor's slots (momentum, m, v). */
export interface OptimizerState {
  step: number
  slots: Record<string, Float32Array[]>
}

type OptimizerConfig = Pick<
  RunConfig,
  'optimizer' | 'lr' | 'wd' | 'wd_per_layer' | 'beta1' | 'beta2' | 'eps' | 'momentum' | 'warmup'
>

/**
 * SGD, Adam and AdamW with the exact update rules of torch.optim (so runs compare with the usual
 * PyTorch grokking code), per-tensor weight decay and a linear warmup.
 * SGD and Adam couple the decay into the gradient; AdamW decays the weights directly.
 */
export class Optimizer {
  /** Number of updates applied so far (PyTorch's `t`). */
  step = 0
  private readonly slots = new Map<string, tf.Variable[]>()
  private readonly decay = new Map<string, number>()

  constructor(
    private readonly config: OptimizerConfig,
    private readonly params: ModelParam[],
  ) {
    const names = new Set(params.map((q) => q.name))
    for (const key of Object.keys(config.wd_per_layer)) {
      if (!names.has(key)) {
        throw new LabError(`wd_per_layer names '${key}', which this model does not have (tensors: ${[...names].join(', ')})`)
      }
    }
    const slotCount = config.optimizer === 'sgd' ? (config.momentum > 0 ? 1 : 0) : 2
    for (const q of params) {
      this.decay.set(q.name, config.wd_per_layer[q.name] ?? config.wd)
      this.slots.set(q.name, Array.from({ length: slotCount }, () => tf.variable(tf.zerosLike(q.variable), false)))
    }
  }

  /** Learning rate of the next update, with the linear warmup applied. */
  learningRate(): number {
    const { lr, warmup } = this.config
    return warmup > 0 ? lr * Math.min(1, (this.step + 1) / warmup) : lr
  }

  /** Applies one update from gradients keyed by tensor name; call inside tf.tidy. */
  apply(grads: Record<string, tf.Tensor>): void {
    const lr = this.learningRate()
    this.step += 1
    const { optimizer, beta1, beta2, eps, momentum } = this.config
    const bc1 = 1 - beta1 ** this.step
    const bc2 = 1 - beta2 ** this.step
    for (const q of this.params) {
      const g0 = grads[q.name]
      if (!g0) continue
      const w = q.variable
      const wd = this.decay.get(q.name)!
      const slots = this.slots.get(q.name)!
      if (optimizer === 'sgd') {
        let g = wd > 0 ? tf.add(g0, tf.mul(w, wd)) : g0
        if (momentum > 0) {
          const buf = tf.add(tf.mul(slots[0], momentum), g)
          slots[0].assign(buf)
          g = buf
        }
        w.assign(tf.sub(w, tf.mul(g, lr)))
        continue
      }
      const g = optimizer === 'adam' && wd > 0 ? tf.add(g0, tf.mul(w, wd)) : g0
      const [m, v] = slots
      const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1))
      const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2))
      m.assign(mNew)
      v.assign(vNew)
      const denom = tf.add(tf.div(tf.sqrt(vNew), Math.sqrt(bc2)), eps)
      const base = optimizer === 'adamw' && wd > 0 ? tf.mul(w, 1 - lr * wd) : w
      w.assign(tf.sub(base, tf.mul(tf.div(mNew, denom), lr / bc1)))
    }
  }

  /** Reads the state back to the host, for a checkpoint. */
  async state(): Promise<OptimizerState> {
    const slots: Record<string, Float32Array[]> = {}
    for (const [name, vars] of this.slots) {
      slots[name] = await Promise.all(vars.map(async (s) => (await s.data()) as Float32Array))
    }
    return { step: this.step, slots }
  }

  /** Restores a checkpoint's state; shapes must match this optimizer's params. */
  load(state: OptimizerState): void {
    this.step = state.step
    for (const [name, vars] of this.slots) {
      const saved = state.slots[name]
      if (!saved || saved.length !== vars.length) {
        throw new LabError(`checkpoint has no optimizer state for '${name}'; it was written by another optimizer`)
      }
      vars.forEach((s, i) => tf.tidy(() => s.assign(tf.tensor(saved[i], s.shape))))
    }
  }

  dispose(): void {
    for (const vars of this.slots.values()) vars.forEach((s) => s.dispose())
    this.slots.clear()
  }
}
