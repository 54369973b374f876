// The time axes of the lab, for the CLI (src/lab/analysis/time-axis.ts adds its error type) and the
// page alike, so charts put curves and clocks exactly where the CLI's tables put them.

export const TIME_AXES = ['step', 'log', 'lambda-t'] as const
export type TimeAxis = (typeof TIME_AXES)[number]

/** The hyperparameters the slow clock λ·η·t needs. */
export interface TimeAxisConfig {
  wd: number
  lr: number
}

/** Whether a run can be drawn on this axis (λ·η·t needs weight decay). */
export function axisAvailable(axis: TimeAxis, config: TimeAxisConfig): boolean {
  return axis !== 'lambda-t' || (Number.isFinite(config.wd) && config.wd > 0 && Number.isFinite(config.lr))
}

/** One step on the axis, or null where the axis has no place for it (step 0 on log, no weight decay). */
export function stepToX(step: number, axis: TimeAxis, config: TimeAxisConfig): number | null {
  if (axis === 'step') return step
  if (axis === 'log') return step > 0 ? Math.log10(step) : null
  return axisAvailable(axis, config) ? config.wd * config.lr * step : null
}

/** The inverse of stepToX, for turning a zoomed x range back into steps; null without weight decay. */
export function xToStep(x: number, axis: TimeAxis, config: TimeAxisConfig): number | null {
  if (axis === 'step') return x
  if (axis === 'log') return 10 ** x
  return axisAvailable(axis, config) ? x / (config.wd * config.lr) : null
}

/**
 * Maps steps to the axis as the lab's toTimeAxis does: `keep[i]` says whether step i has a place,
 * `x` holds the kept ones in order. Throws for λ·η·t without weight decay, as the lab does.
 */
export function toTimeAxis(steps: readonly number[], axis: TimeAxis, config: TimeAxisConfig): { x: number[]; keep: boolean[] } {
  if (axis === 'lambda-t' && config.wd <= 0) throw new Error('lambda-t needs weight decay (this run has wd = 0); use step or log')
  const keep = steps.map((s) => axis !== 'log' || s > 0)
  const x: number[] = []
  for (let i = 0; i < steps.length; i++) if (keep[i]) x.push(stepToX(steps[i], axis, config)!)
  return { x, keep }
}

/** The axis title. */
export function axisLabel(axis: TimeAxis): string {
  return axis === 'step' ? 'step' : axis === 'log' ? 'log₁₀ step' : 'λ·η·t'
}
