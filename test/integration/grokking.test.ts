import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli'
import { useTempDir } from '../helpers/temp-dir'

// The lab's central claim on a configuration small enough for CI: with weight decay the network
// memorizes early and generalizes much later; without it, it only memorizes.
describe('grokking on modular addition (modadd-mlp-small, p 31)', () => {
  const tempDir = useTempDir()

  it('with weight decay: memorizes early, generalizes much later', async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    const r = await runCli(['train', '--preset', 'modadd-mlp-small', '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.trainAcc).toBeGreaterThanOrEqual(0.99)
    expect(result.testAcc).toBeGreaterThanOrEqual(0.99)
    expect(result.T_mem).not.toBeNull()
    expect(result.T_gen).not.toBeNull()
    expect(result.T_gen).toBeGreaterThanOrEqual(5 * result.T_mem)

    // The analysis of the grokked weights against the same analysis at initialization.
    const analyze = async (...extra: string[]) => {
      const a = await runCli(['analyze', String(result.runId), '--db', db, '--json', ...extra])
      expect(a.code, a.stderr).toBe(0)
      return JSON.parse(a.stdout)
    }
    const end = await analyze()
    const start = await analyze('--step', '0')
    expect(end.step).toBe(3000)
    expect(start.fourier.embedding.keyFrequencies).toEqual([])
    expect(start.fourier.embedding.ipr).toBeLessThan(1.1 / 15)
    // Neurons tune to single frequencies and the embedding's spectrum concentrates.
    expect(start.fourier.neurons.meanFraction).toBeLessThan(0.3)
    expect(end.fourier.neurons.meanFraction).toBeGreaterThan(0.6)
    expect(end.fourier.embedding.gini).toBeGreaterThan(2 * start.fourier.embedding.gini)
    expect(end.fourier.embedding.topKShare).toBeGreaterThan(start.fourier.embedding.topKShare + 0.1)
    expect(end.clocks).toMatchObject({ T_mem: result.T_mem, T_gen: result.T_gen })

    // The structural energy falls after memorization while train accuracy stays at 1.
    const curves = await runCli(['series', String(result.runId), '--db', db, '--json', '--metric', 'structural_energy', '--metric', 'train_acc'])
    const [energy, trainAcc] = ['structural_energy', 'train_acc'].map((m) => JSON.parse(curves.stdout).find((c: { metric: string }) => c.metric === m))
    const atMem = energy.y[energy.x.indexOf(result.T_mem)]
    expect(energy.y[energy.y.length - 1]).toBeLessThan(0.9 * atMem)
    expect(Math.min(...trainAcc.y.filter((_: number, i: number) => trainAcc.x[i] >= result.T_mem))).toBeGreaterThanOrEqual(0.99)

    // TC: the head's effective gradient dominates early; the ReLU patterns settle long before T_gen.
    const tc = await runCli(['series', String(result.runId), '--db', db, '--json', '--metric', 'grad_ratio_head', '--metric', 'relu_churn'])
    const [ratio, churn] = ['grad_ratio_head', 'relu_churn'].map((m) => JSON.parse(tc.stdout).find((c: { metric: string }) => c.metric === m))
    const early = ratio.y.filter((_: number, i: number) => ratio.x[i] <= 4 * result.T_mem)
    expect(Math.min(...early)).toBeGreaterThan(1)
    expect(ratio.y[ratio.y.length - 1]).toBeLessThan(1)
    const settled = Math.min(...churn.y.filter((_: number, i: number) => churn.x[i] <= 5 * result.T_mem))
    expect(settled).toBeLessThan(churn.y[0] / 3)
    expect(5 * result.T_mem).toBeLessThan(result.T_gen)

    // Nanda et al.'s progress measures, stored when the run ended: the restricted loss (key
    // frequencies only) falls well before the test loss does, and the excluded loss (key frequencies
    // removed) rises on the training set once the circuit has formed, while the train loss stays ~0.
    const pm = await runCli(['series', String(result.runId), '--db', db, '--json', '--metric', 'restricted_loss', '--metric', 'excluded_loss', '--metric', 'test_loss'])
    expect(pm.code, pm.stderr).toBe(0)
    const [restricted, excluded, testLoss] = ['restricted_loss', 'excluded_loss', 'test_loss'].map((m) => JSON.parse(pm.stdout).find((c: { metric: string }) => c.metric === m))
    const valueAt = (c: { x: number[]; y: number[] }, step: number) => c.y[c.x.indexOf(step)]
    const firstBelow = (c: { x: number[]; y: number[] }, v: number) => c.x.find((_, i) => c.y[i] < v)
    expect(firstBelow(restricted, 0.1)).toBeLessThan(firstBelow(testLoss, 0.1)!)
    const minExcluded = Math.min(...excluded.y)
    expect(excluded.y[excluded.y.length - 1]).toBeGreaterThan(3 * minExcluded)
    expect(valueAt(restricted, 3000)).toBeLessThan(0.05)
    // The command recomputes the same values.
    const again = await runCli(['progress', String(result.runId), '--db', db, '--json'])
    expect(again.code, again.stderr).toBe(0)
    const rows = JSON.parse(again.stdout).rows as { step: number; restricted_loss: number }[]
    expect(rows.find((r) => r.step === 3000)!.restricted_loss).toBeCloseTo(valueAt(restricted, 3000), 6)
  }, 180_000)

  it('without weight decay: memorizes, does not generalize in the same budget', async () => {
    const db = path.join(tempDir(), 'lib.sqlite')
    const r = await runCli(['train', '--preset', 'modadd-mlp-small', '--set', 'wd=0', '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.trainAcc).toBeGreaterThanOrEqual(0.99)
    expect(result.testAcc).toBeLessThan(0.5)
    expect(result.T_gen).toBeNull()
  }, 180_000)
})
