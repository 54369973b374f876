import type { LinearFit } from '../../shared/analysis-types'

export type { LinearFit }

// Two-sided 95% quantiles of Student's t for 1…30 degrees of freedom.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042]

/** The 97.5% quantile of Student's t with `df` degrees of freedom (normal beyond 30). */
export function tQuantile975(df: number): number {
  return df >= 1 && df <= 30 ? T975[df - 1] : 1.96
}

/** Fits y = a + b·x; null when fewer than 2 points or all x equal. */
export function linearFit(x: number[], y: number[]): LinearFit | null {
  const n = x.length
  if (n < 2 || y.length !== n) return null
  const mx = x.reduce((s, v) => s + v, 0) / n
  const my = y.reduce((s, v) => s + v, 0) / n
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2
    sxy += (x[i] - mx) * (y[i] - my)
    syy += (y[i] - my) ** 2
  }
  if (sxx === 0) return null
  const slope = sxy / sxx
  const intercept = my - slope * mx
  const sse = Math.max(0, syy - slope * sxy)
  const r2 = syy > 0 ? 1 - sse / syy : 1
  if (n < 3) return { slope, intercept, slopeInterval: null, r2, n }
  const se = Math.sqrt(sse / (n - 2) / sxx)
  const half = tQuantile975(n - 2) * se
  return { slope, intercept, slopeInterval: [slope - half, slope + half], r2, n }
}

/** How a clock is expected to depend on a swept key, and the theory's prediction. */
export interface ScalingForm {
  /** 'power': log T against log x (the slope is the exponent); 'log': T against log x. */
  form: 'power' | 'log'
  /** The predicted slope, with where it comes from; null where the theory predicts none. */
  predicted: { value: number; source: string } | null
}

/** The form to fit for a clock against a swept key (SCIENCE.md "Clocks": the theory's forms). */
export function scalingForm(clock: string, key: string, config: { wd: number; lr: number }): ScalingForm {
  if (key === 'wd') {
    const slow = clock === 'T_gen' || clock === 'T_struct'
    return { form: 'power', predicted: slow ? { value: -1, source: 'T ∝ 1/λ (GF, TC)' } : null }
  }
  if (key === 'init_scale') {
    const slow = clock === 'T_gen'
    return {
      form: 'log',
      predicted: slow && config.wd > 0 ? { value: 1 / (config.wd * config.lr), source: 'T·η ≈ (1/λ)·log α (LD): steps per unit of log α' } : null,
    }
  }
  if (key === 'lr') return { form: 'power', predicted: { value: -1, source: 'clocks run in gradient-flow time η·t' } }
  return { form: 'power', predicted: null }
}
