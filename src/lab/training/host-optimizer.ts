import type { RunConfig } from '../../shared/run-config'
import { LabError } from '../../shared/lab-error'
import type { OptimizerState } from './optimizer'

type OptimizerConfig = Pick<RunConfig, 'optimizer' | 'lr' | 'wd' | 'wd_per_layer' | 'beta1' | 'beta2' | 'eps' | 'momentum' | 'warmup'>

/**
 * The same SGD / Adam / AdamW rules as `Optimizer` (torch.optim's), on host Float32Arrays, for the
 * fast path: one pass per tensor in place, instead of a dozen backend kernels per tensor per step.
 * Its state has the same layout, so checkpoints move freely between the two.
 */
export class HostOptimizer {
  step = 0
  private readonly slots = new Map<string, Float32Array[]>()
  private readonly decay = new Map<string, number>()

  constructor(
    private readonly config: OptimizerConfig,
    sizes: Record<string, number>,
  ) {
    const names = Object.keys(sizes)
    for (const key of Object.keys(config.wd_per_layer)) {
      if (!names.includes(key)) throw new LabError(`wd_per_layer names '${key}', which this model does not have (tensors: ${names.join(', ')})`)
    }
    const slotCount = config.optimizer === 'sgd' ? (config.momentum > 0 ? 1 : 0) : 2
    for (const name of names) {
      this.decay.set(name, config.wd_per_layer[name] ?? config.wd)
      this.slots.set(name, Array.from({ length: slotCount }, () => new Float32Array(sizes[name])))
    }
  }

  /** Learning rate of the next update, with the linear warmup applied. */
  learningRate(): number {
    const { lr, warmup } = this.config
    return warmup > 0 ? lr * Math.min(1, (this.step + 1) / warmup) : lr
  }

  /**
   * For an optimizer that runs on a device (the GPU fast path): advances the step as apply() does
   * and returns, per tensor, that update's constants in the order of OPT (fast/gpu/optimizer-wgsl.ts).
   */
  deviceConstants(): Record<string, number[]> {
    const lr = this.learningRate()
    this.step += 1
    const { optimizer, beta1, beta2, eps, momentum } = this.config
    const out: Record<string, number[]> = {}
    for (const [name, wd] of this.decay) {
      const sgd = optimizer === 'sgd'
      out[name] = [
        sgd ? 0 : 1,
        lr,
        wd,
        beta1,
        beta2,
        eps,
        lr / (1 - beta1 ** this.step),
        Math.sqrt(1 - beta2 ** this.step),
        optimizer === 'adamw' ? 1 - lr * wd : 1,
        optimizer === 'adam' ? wd : 0,
        sgd ? momentum : 0,
      ]
    }
    return out
  }

  /** Updates `params` in place from `grads` (both keyed by tensor name). */
  apply(params: Record<string, Float32Array>, grads: Record<string, Float32Array>): void {
    const lr = this.learningRate()
    this.step += 1
    const { optimizer, beta1, beta2, eps, momentum } = this.config
    const bc1 = 1 - beta1 ** this.step
    const sqrtBc2 = Math.sqrt(1 - beta2 ** this.step)
    for (const [name, w] of Object.entries(params)) {
      const g = grads[name]
      if (!g) continue
      const wd = this.decay.get(name)!
      const slots = this.slots.get(name)!
      const n = w.length
      if (optimizer === 'sgd') {
        const buf = slots[0]
        for (let i = 0; i < n; i++) {
          let gi = g[i] + wd * w[i]
          if (buf) gi = buf[i] = momentum * buf[i] + gi
          w[i] -= lr * gi
        }
        continue
      }
      const [m, v] = slots
      const coupled = optimizer === 'adam' ? wd : 0
      const shrink = optimizer === 'adamw' ? 1 - lr * wd : 1
      const stepSize = lr / bc1
      for (let i = 0; i < n; i++) {
        const gi = g[i] + coupled * w[i]
        const mi = (m[i] = beta1 * m[i] + (1 - beta1) * gi)
        const vi = (v[i] = beta2 * v[i] + (1 - beta2) * gi * gi)
        w[i] = w[i] * shrink - (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps)
      }
    }
  }

  /** The state's arrays themselves (m then v; SGD: the momentum buffer, if any), for a device to fill. */
  slotsOf(name: string): Float32Array[] {
    return this.slots.get(name) ?? []
  }

  /** A copy of the state, for a checkpoint. */
  state(): OptimizerState {
    const slots: Record<string, Float32Array[]> = {}
    for (const [name, s] of this.slots) slots[name] = s.map((a) => a.slice())
    return { step: this.step, slots }
  }

  /** Restores a checkpoint's state; shapes must match. */
  load(state: OptimizerState): void {
    this.step = state.step
    for (const [name, s] of this.slots) {
      const saved = state.slots[name]
      if (!saved || saved.length !== s.length) throw new LabError(`checkpoint has no optimizer state for '${name}'; it was written by another optimizer`)
      s.forEach((a, i) => a.set(saved[i]))
    }
  }
}
