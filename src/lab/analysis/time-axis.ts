import { LabError } from '../../shared/lab-error'

export const TIME_AXES = ['step', 'log', 'lambda-t'] as const
export type TimeAxis = (typeof TIME_AXES)[number]

/**
 * Maps training steps to a time axis: the step, log₁₀ of the step (step 0 is dropped), or the
 * slow clock λ·η·t on which runs at different weight decay λ (and learning rate η) should collapse.
 */
export function toTimeAxis(steps: number[], axis: TimeAxis, config: { wd: number; lr: number }): { x: number[]; keep: boolean[] } {
  if (axis === 'lambda-t' && config.wd <= 0) {
    throw new LabError('--time-axis lambda-t needs weight decay (this run has wd = 0); use step or log')
  }
  const keep = steps.map((s) => axis !== 'log' || s > 0)
  const x = steps.filter((_, i) => keep[i]).map((s) => (axis === 'step' ? s : axis === 'log' ? Math.log10(s) : config.wd * config.lr * s))
  return { x, keep }
}

/** Validates a --time-axis value. */
export function parseTimeAxis(raw: string | undefined): TimeAxis {
  const axis = raw ?? 'step'
  if (!(TIME_AXES as readonly string[]).includes(axis)) throw new LabError(`--time-axis must be one of ${TIME_AXES.join(', ')}, got '${axis}'`)
  return axis as TimeAxis
}
