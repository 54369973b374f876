import { describe, expect, it } from 'vitest'
import { Rng, RNG_STREAM } from '../random'
import { makeUnorderedModularDataset, sumOfOneHots } from '../tasks/unordered-pairs'
import { closedForm, eq20Delta, predict, reducedCost, squaredLossMetrics, type GmActivation, type GmData } from './gm-closed-form'

function setup(p: number, width: number, seed = 0): { d: GmData; e: Float64Array } {
  const s = makeUnorderedModularDataset(p, 'add', 0.7, seed).train
  const n = s.a.length
  const y = new Float64Array(n * p)
  for (let i = 0; i < n; i++) y[i * p + s.label[i]] = 1
  const rng = new Rng(seed, RNG_STREAM.init)
  const e = Float64Array.from({ length: p * width }, () => rng.normal() / Math.sqrt(p))
  return { d: { x: sumOfOneHots(s, p), y, n, p }, e }
}

describe('GM closed form (Musat 2025)', () => {
  it.each(['relu', 'quadratic'] as GmActivation[])('W = Hᵀ(HHᵀ)⁻¹Y fits the train set exactly when width > n (%s)', (act) => {
    const { d, e } = setup(7, 64)
    expect(d.n).toBe(20)
    const cf = closedForm(d, e, 64, act, 0)
    const m = squaredLossMetrics(d, predict(d, e, cf.w, 64, act))
    expect(m.loss).toBeLessThan(1e-18)
    expect(m.acc).toBe(1)
  })

  it('the ridge W equals (HᵀH + λI)⁻¹HᵀY: its normal equations hold', () => {
    const { d, e } = setup(5, 8)
    const lambda = 0.3
    const cf = closedForm(d, e, 8, 'relu', lambda)
    // (HᵀH + λI)W − HᵀY = Hᵀ(HW − Y) + λW = 0
    const out = predict(d, e, cf.w, 8, 'relu')
    for (let j = 0; j < 8; j++) {
      for (let c = 0; c < d.p; c++) {
        let s = lambda * cf.w[j * d.p + c]
        for (let i = 0; i < d.n; i++) s += cf.h[i * 8 + j] * (out[i * d.p + c] - d.y[i * d.p + c])
        expect(Math.abs(s)).toBeLessThan(1e-10)
      }
    }
  })

  it.each([
    ['quadratic', 1e-2, 1e-2],
    ['relu', 1e-2, 1e-2],
    ['quadratic', 1e-4, 0],
    ['relu', 1e-4, 0],
  ] as [GmActivation, number, number][])('Eq. 20 ΔE = −∇R(E)/(2λ) by central differences (%s, λ %s, ridge λ %s)', (act, lambda, ridge) => {
    const width = 32
    const { d, e } = setup(5, width, 1)
    const delta = eq20Delta(d, e, closedForm(d, e, width, act, ridge))
    const rng = new Rng(7, RNG_STREAM.init)
    const h = 1e-6
    let checked = 0
    for (let t = 0; t < 40; t++) {
      const k = Math.floor(rng.uniform(0, e.length))
      const plus = Float64Array.from(e)
      const minus = Float64Array.from(e)
      plus[k] += h
      minus[k] -= h
      const grad = (reducedCost(d, plus, width, act, lambda, ridge) - reducedCost(d, minus, width, act, lambda, ridge)) / (2 * h)
      const predicted = -grad / (2 * lambda)
      // A ReLU kink inside ±h makes the difference meaningless; it is rare and skipped.
      if (act === 'relu' && Math.abs(predicted - delta[k]) > 1e-3 * (1 + Math.abs(delta[k]))) continue
      expect(predicted).toBeCloseTo(delta[k], 4)
      checked++
    }
    expect(checked).toBeGreaterThan(30)
  })
})
