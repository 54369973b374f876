import type { Clocks } from '../../../shared/analysis-types'
import type { RunSummary } from '../../../shared/run-types'
import { CLOCK_NAMES, firstStepAtLeast, type ClockSteps, type CurveInput } from '../../../shared/figures'

const DEFAULT_ACCURACY = 0.99

/**
 * The clocks to show for a run, best source first: the clocks computed when it ended (run:ended,
 * the stored ones, or analysis:clocks), then the stored summary's T_mem/T_gen, then the first
 * live evaluation at ≥ 99% accuracy (while it trains, nothing else knows them yet).
 */
export function mergeClocks(ended: Clocks | null | undefined, summary: RunSummary | null | undefined, curves: Record<string, CurveInput>): ClockSteps {
  const out: ClockSteps = {}
  for (const name of CLOCK_NAMES) out[name] = ended?.[name] ?? null
  const threshold = ended?.thresholds.accuracy ?? DEFAULT_ACCURACY
  const crossing = (name: string) => {
    const c = curves[name]
    return c ? firstStepAtLeast(c.steps, c.values, threshold) : null
  }
  if (out.T_mem == null) out.T_mem = summary?.tMem ?? crossing('train_acc')
  if (out.T_gen == null) out.T_gen = summary?.tGen ?? crossing('test_acc')
  return out
}
