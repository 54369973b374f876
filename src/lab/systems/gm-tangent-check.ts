import { LabError } from '../../shared/lab-error'
import type { RunConfig } from '../../shared/run-config'
import type { GmSplit } from './gm-data'
import { normLoweringTangent, TANGENT_MAX_OUTPUTS } from './gm-tangent'

/** Steps of real update compared with g̃ (Sec. 4.6 of the paper uses 10), at most one evaluation interval. */
const WINDOW = 10

export interface TangentCheck {
  /** Whether the weights at `step` start a window (read them then, before that step's update). */
  wants(step: number): boolean
  /** Keeps θ at `step`, the start of a window. */
  mark(step: number, e: ArrayLike<number>, w: ArrayLike<number>): void
  /** At an evaluation: gm_tangent_cos = cos(θ_s − θ_{s−window}, g̃(θ_{s−window})), when the window's start was kept. */
  measure(step: number, e: ArrayLike<number>, w: ArrayLike<number>): Record<string, number>
}

const cosine = (a: Float64Array[], b: Float64Array[]): number => {
  let ab = 0
  let aa = 0
  let bb = 0
  for (let t = 0; t < a.length; t++) {
    for (let i = 0; i < a[t].length; i++) {
      ab += a[t][i] * b[t][i]
      aa += a[t][i] ** 2
      bb += b[t][i] ** 2
    }
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0
}

/**
 * The paper's check of real training against its norm-lowering tangent g̃ (Sec. 4.6), for models
 * whose n·p training outputs fit TANGENT_MAX_OUTPUTS; undefined for larger ones.
 */
export function makeTangentCheck(c: RunConfig, train: GmSplit): TangentCheck | undefined {
  if (train.n * train.p > TANGENT_MAX_OUTPUTS) return undefined
  const window = Math.min(WINDOW, c.eval_every)
  let start: { step: number; e: Float64Array; w: Float64Array } | undefined
  return {
    wants: (step) => (step + window) % c.eval_every === 0,
    mark(step, e, w) {
      start = { step, e: Float64Array.from(e), w: Float64Array.from(w) }
    },
    measure(step, e, w): Record<string, number> {
      if (!start || start.step !== step - window) return {}
      let g
      try {
        g = normLoweringTangent(train, start.e, start.w, c.hidden, c.activation)
      } catch (err) {
        // g̃ is undefined where JJᵀ is singular (every unit dead): no value at this evaluation, the run goes on.
        if (err instanceof LabError) return {}
        throw err
      }
      const moved = [Float64Array.from(e, (v, i) => v - start!.e[i]), Float64Array.from(w, (v, i) => v - start!.w[i])]
      return { gm_tangent_cos: cosine(moved, [g.e, g.w]) }
    },
  }
}
