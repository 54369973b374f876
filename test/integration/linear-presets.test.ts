import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONFIG_KEYS } from '../../src/shared/run-config'
import type { MetricSeries } from '../../src/shared/run-types'
import { RunStore } from '../../src/lab/store/run-store'
import { runCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'

// Each preset's stated expectation, through the CLI as a user runs it, on this 2-core CPU.

interface Trained {
  result: { runId: number; trainAcc: number; testAcc: number }
  clocks: Record<string, number | null>
  series: (name: string) => MetricSeries
}

/** Trains a preset (with overrides) into a fresh library and reads its clocks and series back. */
async function train(db: string, preset: string, sets: string[] = []): Promise<Trained> {
  const r = await runCli(['train', '--preset', preset, ...sets.flatMap((s) => ['--set', s]), '--db', db, '--json'])
  expect(r.code, r.stderr).toBe(0)
  const result = JSON.parse(r.stdout)
  const show = JSON.parse((await runCli(['show', String(result.runId), '--db', db, '--json'])).stdout)
  const store = RunStore.open(db, { readonly: true })
  const all = store.readSeries(result.runId)
  store.close()
  const series = (name: string) => {
    const s = all.find((m) => m.name === name)
    if (!s) throw new Error(`run has no metric ${name}`)
    return s
  }
  return { result, clocks: show.clocks, series }
}

/** Value of a series at the first step ≥ `step`. */
const at = (s: MetricSeries, step: number) => s.values[s.steps.findIndex((t) => t >= step)]
const last = (s: MetricSeries) => s.values[s.values.length - 1]
const firstAtLeast = (s: MetricSeries, v: number) => s.steps[s.values.findIndex((x) => x >= v)] ?? null

describe('linear presets (TC, LD)', () => {
  const tempDir = useTempDir()

  it('tc-deep-linear: the fitting clock closes long before the structural energy reaches its floor', async () => {
    const { clocks, series } = await train(path.join(tempDir(), 'lib.sqlite'), 'tc-deep-linear')
    const T_fit = clocks.T_fit!
    expect(clocks.T_margin).not.toBeNull()
    expect(clocks.T_margin!).toBeLessThanOrEqual(T_fit)
    expect(T_fit).toBeLessThanOrEqual(1000)
    expect(clocks.T_struct!).toBeGreaterThanOrEqual(10 * T_fit)
    // After the fit the gap to the Schatten floor keeps shrinking, by far more than 10×.
    const gap = series('energy_gap')
    const checkpoints = [2 * T_fit, 4000, 8000, 12000, 15000].map((s) => at(gap, s))
    for (let i = 1; i < checkpoints.length; i++) expect(checkpoints[i]).toBeLessThan(checkpoints[i - 1])
    expect(last(gap)).toBeLessThan(at(gap, T_fit) / 10)
    expect(last(series('relative_energy_gap'))).toBeLessThan(0.05)
    expect(last(series('balancedness_gap'))).toBeLessThan(0.02)
    expect(last(series('train_loss'))).toBeLessThan(0.01)
    // Weight decay's Schatten-2/3 bias leaves the end-to-end map at the teacher's rank, 2.
    expect(last(series('e2e_effective_rank'))).toBeGreaterThan(1.9)
    expect(last(series('e2e_effective_rank'))).toBeLessThan(2.2)
  }, 90_000)

  it('ld-diagonal-sparse: test accuracy jumps near t ≈ (1/λ)·log α and moves by log(10)/λ per tenfold α', async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    // The preset with λ = 0.02 instead of 0.01: the same story in half the steps.
    const lambda = 0.02
    const lr = 0.05
    const warmup = 500
    const jumpTime: number[] = []
    for (const alpha of [100, 1000]) {
      const predicted = Math.log(alpha) / lambda
      const steps = Math.ceil((2.2 * predicted) / lr)
      const { series } = await train(db, 'ld-diagonal-sparse', [`wd=${lambda}`, `init_scale=${alpha}`, `steps=${steps}`, 'eval_every=50'])
      const testAcc = series('test_acc')
      const trainAcc = series('train_acc')
      // Kernel regime: fits at once, generalizes poorly until well into the predicted time.
      expect(firstAtLeast(trainAcc, 1)!).toBeLessThanOrEqual(500)
      expect(at(testAcc, (0.6 * predicted) / lr)).toBeLessThan(0.75)
      const T_gen = firstAtLeast(testAcc, 0.9)
      expect(T_gen).not.toBeNull()
      // Gradient-flow time of step s: lr·(s − warmup/2) after the linear warmup.
      const t = lr * (T_gen! - warmup / 2)
      expect(t / predicted).toBeGreaterThan(1 / 2)
      expect(t / predicted).toBeLessThan(2)
      expect(last(testAcc)).toBeGreaterThanOrEqual(0.97)
      // β turns sparse: its ℓ1 mass moves onto w*'s 3 coordinates (≈ 8% of it there in the kernel regime).
      const share = series('support_share')
      expect(last(share)).toBeGreaterThan(Math.max(0.6, 5 * at(share, (0.6 * predicted) / lr)))
      const support = series('beta_eff_support')
      expect(last(support)).toBeLessThan(at(support, (0.6 * predicted) / lr) / 10)
      jumpTime.push(t)
    }
    const shift = jumpTime[1] - jumpTime[0]
    expect(shift / (Math.log(10) / lambda)).toBeGreaterThan(0.7)
    expect(shift / (Math.log(10) / lambda)).toBeLessThan(1.3)
  }, 120_000)

  it('ld-diagonal-misgrok: test accuracy is high first and falls late while train accuracy stays 1', async () => {
    if (!(CONFIG_KEYS as string[]).includes('boundary_margin')) {
      throw new Error("ld-diagonal-misgrok needs the run-config key 'boundary_margin' (see src/lab/tasks/sparse-linear.ts)")
    }
    const { series } = await train(path.join(tempDir(), 'lib.sqlite'), 'ld-diagonal-misgrok')
    const testAcc = series('test_acc')
    const peak = Math.max(...testAcc.values)
    const peakStep = testAcc.steps[testAcc.values.indexOf(peak)]
    expect(peak).toBeGreaterThanOrEqual(0.95)
    // The peak is the kernel regime's, before (1/λ)·log α = 230 (step 4,600 at lr 0.05).
    expect(peakStep).toBeLessThan(4600)
    expect(last(testAcc)).toBeLessThanOrEqual(peak - 0.2)
    const trainAcc = series('train_acc')
    expect(trainAcc.values.filter((_, i) => trainAcc.steps[i] >= 1000).every((v) => v === 1)).toBe(true)
    // The fall is β turning sparse: ℓ1 (late) instead of ℓ2 (kernel) bias.
    const support = series('beta_eff_support')
    expect(last(support)).toBeLessThan(at(support, peakStep) / 10)
  }, 90_000)
})
