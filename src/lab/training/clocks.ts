import type { MetricSeries } from '../../shared/run-types'

/** Default accuracy threshold of T_mem and T_gen (SCIENCE.md "Clocks"). */
export const ACCURACY_THRESHOLD = 0.99

/** First step whose value is ≥ threshold, or null if the series never gets there. */
export function firstStepAtLeast(series: Pick<MetricSeries, 'steps' | 'values'> | undefined, threshold: number): number | null {
  if (!series) return null
  const i = series.values.findIndex((v) => v >= threshold)
  return i < 0 ? null : series.steps[i]
}
