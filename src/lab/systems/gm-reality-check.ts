import { LabError } from '../../shared/lab-error'
import type { RunConfig } from '../../shared/run-config'
import { closedForm, eq20Delta } from './gm-closed-form'
import { paperLambda, type GmSplit } from './gm-data'

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i]
    aa += a[i] * a[i]
    bb += b[i] * b[i]
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0
}

/**
 * Prediction against reality for a real gm-two-layer run, one call per evaluation with its E and W:
 * gm_w_gap = ‖W − W_closed(E)‖/‖W_closed(E)‖ (W_closed the ridge solution at the run's λ), and
 * gm_delta_cos = cosine between the real change of E since the previous evaluation and Eq. 20's ΔE
 * at that previous E. Nothing when the closed form does not exist (wd 0 with width ≤ n).
 */
export function makeGmRealityCheck(c: RunConfig, train: GmSplit): (e: Float32Array, w: Float32Array) => Record<string, number> {
  const lambda = paperLambda(c, train.n)
  let previous: { e: Float64Array; delta: Float64Array } | undefined
  return (e, w) => {
    let cf
    try {
      cf = closedForm(train, e, c.hidden, c.activation, lambda)
    } catch (err) {
      if (err instanceof LabError) return {}
      throw err
    }
    let diff = 0
    let norm = 0
    for (let i = 0; i < w.length; i++) {
      diff += (w[i] - cf.w[i]) ** 2
      norm += cf.w[i] ** 2
    }
    const metrics: Record<string, number> = { gm_w_gap: Math.sqrt(diff / norm) }
    const delta = eq20Delta(train, e, cf)
    if (previous) {
      const moved = Float64Array.from(e, (v, i) => v - previous!.e[i])
      metrics.gm_delta_cos = cosine(moved, previous.delta)
    }
    previous = { e: Float64Array.from(e), delta }
    return metrics
  }
}
