import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MetricSeries } from '../../src/shared/run-types'
import { RunStore } from '../../src/lab/store/run-store'
import { runCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'

// Each regression preset's stated expectation, through the CLI as a user runs it, on a smaller or
// shorter configuration (the --set overrides) so that each test stays under a minute on 2 cores.

/** Trains a preset with overrides into `db` and returns its metric series by name. */
async function train(db: string, preset: string, sets: string[]): Promise<(name: string) => MetricSeries> {
  const r = await runCli(['train', '--preset', preset, ...sets.flatMap((s) => ['--set', s]), '--db', db, '--json'])
  expect(r.code, r.stderr).toBe(0)
  const { runId } = JSON.parse(r.stdout)
  const store = RunStore.open(db, { readonly: true })
  const all = store.readSeries(runId)
  store.close()
  return (name) => {
    const s = all.find((m) => m.name === name)
    if (!s) throw new Error(`run has no metric ${name}`)
    return s
  }
}

/** Index of the first point where `pass` holds (−1 if none). */
const firstIndex = (s: MetricSeries, pass: (v: number, i: number) => boolean) => s.values.findIndex(pass)
const last = (s: MetricSeries) => s.values[s.values.length - 1]

describe('regression presets (LD, GF)', () => {
  const tempDir = useTempDir()

  it('ld-matrix-completion: observed entries fit early, held-out error stays at the no-generalization level, then drops late', async () => {
    const sets = ['hidden=50', 'wd=0.002', 'steps=12000', 'eval_every=100']
    const series = await train(path.join(tempDir(), 'lib.sqlite'), 'ld-matrix-completion', sets)
    const trainLoss = series('train_loss')
    const testLoss = series('test_loss')
    // UVᵀ = 0 at init, so test_loss(0) is the held-out mean square of M*: the error of predicting 0.
    const predictZero = testLoss.values[0]
    const fit = firstIndex(trainLoss, (v) => v <= 0.01 * trainLoss.values[0])
    expect(fit).toBeGreaterThan(0)
    const T_fit = trainLoss.steps[fit]
    expect(T_fit).toBeLessThanOrEqual(500)
    const testAtFit = testLoss.values[fit]
    // Kernel regime: the fitted model predicts held-out entries no better than half of predicting 0.
    expect(testAtFit).toBeGreaterThan(0.5 * predictZero)
    // The drop comes late: a 10× fall of the held-out error needs ≥ 10× the fitting time.
    const drop = firstIndex(testLoss, (v) => v <= 0.1 * testAtFit)
    expect(drop).toBeGreaterThan(0)
    expect(testLoss.steps[drop]).toBeGreaterThanOrEqual(10 * T_fit)
    expect(last(testLoss)).toBeLessThanOrEqual(0.01 * testAtFit)
    expect(last(trainLoss)).toBeLessThanOrEqual(0.01 * trainLoss.values[0])
    // …because UVᵀ moved from a high-rank kernel interpolant to the rank-1 low-nuclear-norm completion.
    const rank = series('e2e_effective_rank')
    expect(rank.values[fit]).toBeGreaterThan(3)
    expect(last(rank)).toBeLessThan(1.2)
    expect(last(series('e2e_nuclear'))).toBeGreaterThan(0.95 * last(series('target_nuclear')))
  }, 60_000)

  it('ld-matrix-completion with small init (rich regime): the held-out error falls together with the fit', async () => {
    const sets = ['hidden=50', 'wd=0.002', 'init_scale=0.1', 'steps=1000', 'eval_every=50']
    const series = await train(path.join(tempDir(), 'lib.sqlite'), 'ld-matrix-completion', sets)
    const trainLoss = series('train_loss')
    const testLoss = series('test_loss')
    const fit = firstIndex(trainLoss, (v) => v <= 0.01 * trainLoss.values[0])
    expect(fit).toBeGreaterThan(0)
    expect(testLoss.values[fit]).toBeLessThan(0.1 * testLoss.values[0])
  }, 30_000)

  it('gf-two-phase: fast fit, then a norm drift whose time scales as 1/λ (λ·η·T constant within 30%)', async () => {
    const lr = 0.2
    const lambdas = [1e-3, 2e-3, 4e-3]
    // Every run covers the same slow time λ·η·t = 3, with 150 evaluations.
    const runs = []
    for (const [i, wd] of lambdas.entries()) {
      const steps = Math.round(3 / (lr * wd))
      const sets = ['n_train=20', 'n_test=200', 'hidden=50', `lr=${lr}`, `wd=${wd}`, `steps=${steps}`, `eval_every=${steps / 150}`]
      const series = await train(path.join(tempDir(), `lib-${i}.sqlite`), 'gf-two-phase', sets)
      runs.push({ wd, trainLoss: series('train_loss'), norm: series('param_norm') })
    }
    const halfTimes = runs.map(({ wd, trainLoss, norm }) => {
      const fit = firstIndex(trainLoss, (v) => v <= 1e-3 * trainLoss.values[0])
      expect(fit).toBeGreaterThan(0)
      // Fast phase: fitted within a tenth of the slow time unit 1/λ.
      expect(lr * wd * trainLoss.steps[fit]).toBeLessThan(0.1)
      // Slow phase: the loss stays fitted while ‖θ‖ falls by ≥ 30%.
      expect(Math.max(...trainLoss.values.slice(fit))).toBeLessThanOrEqual(1e-3 * trainLoss.values[0])
      const nFit = norm.values[fit]
      const nEnd = last(norm)
      expect(nEnd).toBeLessThan(0.7 * nFit)
      // Decay time T: first step after the fit where ‖θ‖ has covered half its drop from the fit to the end.
      const half = firstIndex(norm, (v, i) => i >= fit && v <= nEnd + (nFit - nEnd) / 2)
      return lr * wd * norm.steps[half]
    })
    const mean = halfTimes.reduce((a, b) => a + b, 0) / halfTimes.length
    for (const t of halfTimes) expect(Math.abs(t / mean - 1), `λ·η·T = ${halfTimes.join(', ')}`).toBeLessThan(0.3)
    // The whole norm curves collapse on the λ·η·t axis, not just their half-times.
    for (const tau of [0.5, 1, 2]) {
      const values = runs.map(({ wd, norm }) => norm.values[norm.steps.findIndex((s) => lr * wd * s >= tau)])
      expect(Math.max(...values) / Math.min(...values), `‖θ‖ at λ·η·t = ${tau}: ${values.join(', ')}`).toBeLessThan(1.1)
    }
  }, 120_000)
})
