import { expect } from 'vitest'
import type { EvalRecord, TensorData } from '../../src/lab/training/trainer'

/** What a test keeps of a training run to compare it with another. */
export interface RunResult {
  evals: EvalRecord[]
  weights: TensorData[]
}

/** Two runs evaluated at the same steps to `digits` decimals, and final weights within 10^-digits. */
export function expectSameRun(a: RunResult, b: RunResult, digits: number): void {
  expect(a.evals.map((e) => e.step)).toEqual(b.evals.map((e) => e.step))
  a.evals.forEach((e, i) => {
    for (const name of ['train_loss', 'test_loss', 'train_acc', 'test_acc', 'min_train_margin', 'relu_active', 'relu_churn', 'param_norm', 'grad_norm/head']) {
      const [mine, theirs] = [e.metrics[name], b.evals[i].metrics[name]]
      // A metric either run leaves out (relu_churn before a first pattern) must be left out by both.
      if (mine === undefined || theirs === undefined) expect(mine, `${name} at step ${e.step}`).toBe(theirs)
      else expect(mine, `${name} at step ${e.step}`).toBeCloseTo(theirs, digits)
    }
  })
  a.weights.forEach((w, i) => w.data.forEach((v, j) => expect(Math.abs(v - b.weights[i].data[j])).toBeLessThan(10 ** -digits)))
}
