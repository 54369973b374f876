import { LabError } from '../../shared/lab-error'
import { TIME_AXES, toTimeAxis as mapSteps, type TimeAxis } from '../../shared/figures/time-axis'

// One mapping for the CLI's tables and the page's charts (src/shared/figures/time-axis.ts).
export { TIME_AXES, type TimeAxis }

/**
 * Maps training steps to a time axis: the step, log₁₀ of the step (step 0 is dropped), or the
 * slow clock λ·η·t on which runs at different weight decay λ (and learning rate η) should collapse.
 */
export function toTimeAxis(steps: number[], axis: TimeAxis, config: { wd: number; lr: number }): { x: number[]; keep: boolean[] } {
  if (axis === 'lambda-t' && config.wd <= 0) {
    throw new LabError('--time-axis lambda-t needs weight decay (this run has wd = 0); use step or log')
  }
  return mapSteps(steps, axis, config)
}

/** Validates a --time-axis value. */
export function parseTimeAxis(raw: string | undefined): TimeAxis {
  const axis = raw ?? 'step'
  if (!(TIME_AXES as readonly string[]).includes(axis)) throw new LabError(`--time-axis must be one of ${TIME_AXES.join(', ')}, got '${axis}'`)
  return axis as TimeAxis
}
