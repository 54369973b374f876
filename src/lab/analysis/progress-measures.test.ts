import { Matrix, solve } from 'ml-matrix'
import { describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/run-config'
import { useCpuBackend } from '../../../test/helpers/tf-cpu'
import { allPairs } from '../io/evaluate-imported'
import { initialValues } from '../models/model'
import { modelSpecs } from '../models/model-registry'
import { crossEntropy, logitFrequencyPower, logitKeyFrequencies, progressMeasures } from './progress-measures'
import { snapshotLogits } from './run-progress-measures'

const p = 7

/** The same measures by brute force: least squares onto an explicit basis of the pair grid, with ml-matrix. */
function direct(logits: Float32Array, label: Int32Array, train: Uint8Array, a: Int32Array, b: Int32Array, keys: number[], sign: number) {
  const n = a.length
  const w = (k: number, i: number) => (2 * Math.PI * k * (a[i] + sign * b[i])) / p
  const keyBasis = new Matrix(n, 2 * keys.length)
  keys.forEach((k, j) => {
    for (let i = 0; i < n; i++) {
      keyBasis.set(i, 2 * j, Math.cos(w(k, i)))
      keyBasis.set(i, 2 * j + 1, Math.sin(w(k, i)))
    }
  })
  const withConstant = new Matrix(n, 2 * keys.length + 1)
  for (let i = 0; i < n; i++) {
    withConstant.set(i, 0, 1)
    for (let j = 0; j < 2 * keys.length; j++) withConstant.set(i, j + 1, keyBasis.get(i, j))
  }
  const L = new Matrix(n, p)
  for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) L.set(i, c, logits[i * p + c])
  const project = (B: Matrix) => B.mmul(solve(B.transpose().mmul(B), B.transpose().mmul(L)))
  const restricted = project(withConstant)
  const excluded = L.clone().sub(project(keyBasis))
  let r = 0
  let e = 0
  let nTrain = 0
  for (let i = 0; i < n; i++) {
    r += crossEntropy(restricted.getRow(i), label[i])
    if (train[i]) {
      e += crossEntropy(excluded.getRow(i), label[i])
      nTrain++
    }
  }
  return { restrictedLoss: r / n, excludedLoss: e / nTrain }
}

describe('progress measures', () => {
  it('match a direct least-squares computation on a small embed-MLP, for add and sub', async () => {
    await useCpuBackend()
    for (const op of ['add', 'sub'] as const) {
      const config = parseRunConfig({ model: 'embed-mlp', p, op, d: 8, hidden: 16, steps: 1, lr: 1e-3, frac: 0.5 })
      const specs = modelSpecs(config)
      const values = initialValues(specs, 3, 1)
      const all = allPairs(p, op)
      const logits = await snapshotLogits(config, specs.map((s, i) => ({ name: s.name, shape: s.shape, data: values[i] })), all)
      const train = Uint8Array.from(all.a, (_, i) => (i % 3 === 0 ? 1 : 0))
      const keys = [1, 3]
      const ours = progressMeasures({ p, op, ...all, train, logits, keyFrequencies: keys })
      const theirs = direct(logits, all.label, train, all.a, all.b, keys, op === 'add' ? 1 : -1)
      expect(ours.restrictedLoss).toBeCloseTo(theirs.restrictedLoss, 9)
      expect(ours.excludedLoss).toBeCloseTo(theirs.excludedLoss, 9)
    }
  })

  it('keep a pure key-frequency circuit whole and leave chance once it is removed', () => {
    const all = allPairs(p, 'add')
    const n = all.a.length
    const logits = new Float32Array(n * p)
    // logit(c) = 4·cos(w(a + b − c)) for k = 2: a Fourier circuit that answers every pair.
    for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) logits[i * p + c] = 4 * Math.cos((2 * Math.PI * 2 * (all.a[i] + all.b[i] - c)) / p)
    const train = new Uint8Array(n).fill(1)
    let full = 0
    for (let i = 0; i < n; i++) full += crossEntropy(logits.subarray(i * p, (i + 1) * p), all.label[i])
    const m = progressMeasures({ p, op: 'add', ...all, train, logits, keyFrequencies: [2] })
    expect(m.restrictedLoss).toBeCloseTo(full / n, 5)
    expect(m.excludedLoss).toBeCloseTo(Math.log(p), 5)
    // The wrong frequency keeps nothing of it.
    expect(progressMeasures({ p, op: 'add', ...all, train, logits, keyFrequencies: [1] }).restrictedLoss).toBeCloseTo(Math.log(p), 5)
  })

  it("find the key frequencies the logits use: a cliff, or the fewest that carry most of the power", () => {
    const q = 11
    const all = allPairs(q, 'add')
    const n = all.a.length
    const logits = new Float32Array(n * q)
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < q; c++) {
        const s = all.a[i] + all.b[i] - c
        // Two circuit frequencies, and an input-only term that is no part of the (a + b) directions.
        logits[i * q + c] = 3 * Math.cos((2 * Math.PI * 2 * s) / q) + 1.5 * Math.sin((2 * Math.PI * 3 * s) / q) + 0.5 * Math.cos((2 * Math.PI * all.a[i]) / q)
      }
    }
    const power = logitFrequencyPower({ p: q, op: 'add', ...all, logits })
    expect(power).toHaveLength(5)
    expect(power[1] / power[2]).toBeCloseTo(4, 6)
    expect(power[0] / power[1]).toBeLessThan(1e-9)
    expect(logitKeyFrequencies(power)).toEqual([2, 3])
    // A spectrum that falls off without a cliff: the fewest strongest that carry 80%.
    expect(logitKeyFrequencies([0.25, 0.3, 0.2, 0.15, 0.1])).toEqual([1, 2, 3, 4])
    expect(logitKeyFrequencies([0, 0, 0])).toEqual([])
  })

  it('refuse ops whose answer is not a function of a ± b, and partial tables', () => {
    const all = allPairs(p, 'mul')
    const args = { p, ...all, train: new Uint8Array(all.a.length), logits: new Float32Array(all.a.length * p), keyFrequencies: [1] }
    expect(() => progressMeasures({ ...args, op: 'mul' })).toThrow(/add or sub/)
    const half = { ...args, a: all.a.subarray(0, 10), b: all.b.subarray(0, 10), label: all.label.subarray(0, 10) }
    expect(() => progressMeasures({ ...half, op: 'add' })).toThrow(/all 49 pairs/)
  })
})
