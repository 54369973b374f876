import type { MetricSeries } from '../../shared/run-types'
import type { ClockThresholds, Clocks } from '../../shared/analysis-types'
import { ACCURACY_THRESHOLD, firstStepAtLeast } from '../training/clocks'

export type { ClockThresholds, Clocks }

export const DEFAULT_THRESHOLDS: ClockThresholds = { epsilon: 0.01, accuracy: ACCURACY_THRESHOLD, delta: 0.05, churn: 0.01 }

/** First step of a series where `pass` holds (null if never). */
export function firstStepWhere(series: MetricSeries | undefined, pass: (v: number) => boolean): number | null {
  if (!series) return null
  const i = series.values.findIndex(pass)
  return i < 0 ? null : series.steps[i]
}

/** First step from which `pass` holds at every later point (null if it fails at the last point). */
export function firstStepStaying(series: MetricSeries | undefined, pass: (v: number, i: number) => boolean): number | null {
  if (!series || series.values.length === 0) return null
  let i = series.values.length - 1
  if (!pass(series.values[i], i)) return null
  while (i > 0 && pass(series.values[i - 1], i - 1)) i--
  return series.steps[i]
}

/** All clocks of a run from its metric series. */
export function computeClocks(series: MetricSeries[], thresholds: Partial<ClockThresholds> = {}): Clocks {
  const given = Object.entries(thresholds).filter(([, v]) => v !== undefined)
  const t: ClockThresholds = { ...DEFAULT_THRESHOLDS, ...Object.fromEntries(given) }
  const get = (name: string) => series.find((s) => s.name === name)
  const energy = get('structural_energy')
  const finalEnergy = energy?.values[energy.values.length - 1]
  const T_mem = firstStepAtLeast(get('train_acc'), t.accuracy)
  const T_gen = firstStepAtLeast(get('test_acc'), t.accuracy)
  return {
    thresholds: t,
    T_fit: firstStepWhere(get('train_loss'), (v) => v <= t.epsilon),
    T_margin: firstStepWhere(get('min_train_margin'), (v) => v > 0),
    T_mem,
    T_gen,
    T_struct: structuralClock(energy, finalEnergy, get('balancedness_gap'), t.delta),
    T_freeze: firstStepStaying(get('relu_churn'), (v) => v < t.churn),
    delay: T_mem !== null && T_gen !== null ? T_gen - T_mem : null,
    ratio: T_mem !== null && T_gen !== null && T_mem > 0 ? T_gen / T_mem : null,
  }
}

/**
 * T_struct(δ): the first step after which the structural energy stays within relative δ of its
 * final value and, for deep linear nets (which report it), the balancedness gap stays ≤ δ.
 * Without weight decay the energy is identically 0 and there is no structural clock.
 */
function structuralClock(energy: MetricSeries | undefined, finalEnergy: number | undefined, gap: MetricSeries | undefined, delta: number): number | null {
  if (!finalEnergy) return null
  const settled = firstStepStaying(energy, (v) => Math.abs(v - finalEnergy) <= delta * Math.abs(finalEnergy))
  if (settled === null || !gap) return settled
  const balanced = firstStepStaying(gap, (v) => v <= delta)
  return balanced === null ? null : Math.max(settled, balanced)
}
