import { describe, expect, it } from 'vitest'
import { Matrix } from 'ml-matrix'
import {
  balancednessGap,
  deepLinearSummary,
  endToEnd,
  schattenFloor,
  structuralEnergy,
} from './deep-linear'
import { frobeniusSquared, matmulChain, scale, type DenseMatrix } from './dense-matrix'
import { schattenPowerSum, singularValues } from './spectral'
import { gaussian, makeRng, orthonormalColumns, productWithDiag } from './test-fixtures'

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))

/**
 * A balanced factorization of M = U diag(s) Vᵀ (rank r) into L layers:
 * W_1 = R_1 S Vᵀ, W_l = R_l S R_{l−1}ᵀ, W_L = U S R_{L−1}ᵀ with S = diag(s^{1/L}) and R's with
 * orthonormal columns, so W_{l+1}ᵀW_{l+1} = R_l S² R_lᵀ = W_l W_lᵀ.
 */
function balancedFactorization(seed: number, L: number): { layers: DenseMatrix[]; s: number[] } {
  const rng = makeRng(seed)
  const s = [4, 2.5, 1.2, 0.3]
  const r = s.length
  const widths = [7, 6, 8, 5, 9].slice(0, L + 1) // widths[0] = input, widths[L] = output
  widths[L] = 5
  const V = orthonormalColumns(rng, widths[0], r)
  const U = orthonormalColumns(rng, widths[L], r)
  const R = Array.from({ length: L - 1 }, (_, l) => orthonormalColumns(rng, widths[l + 1], r))
  const root = s.map((v) => v ** (1 / L))
  const left = (l: number): Matrix => (l === L - 1 ? U : R[l]) // output side of layer l (0-based)
  const right = (l: number): Matrix => (l === 0 ? V : R[l - 1]) // input side of layer l
  const layers = Array.from({ length: L }, (_, l) => productWithDiag(left(l), root, right(l)))
  return { layers, s }
}

describe('endToEnd', () => {
  it('multiplies in application order, M = W_L ⋯ W_1', () => {
    const rng = makeRng(11)
    const W1 = gaussian(rng, 4, 3)
    const W2 = gaussian(rng, 5, 4)
    const M = endToEnd([W1, W2])
    expect([M.rows, M.cols]).toEqual([5, 3])
    const expected = matmulChain([W2, W1])
    for (let i = 0; i < M.data.length; i++) expect(M.data[i]).toBeCloseTo(expected.data[i], 12)
    expect(() => endToEnd([W2, W1])).toThrow(/expects/)
    expect(() => endToEnd([])).toThrow()
  })
})

describe('structuralEnergy', () => {
  it('sums (λ_l/2)‖W_l‖_F² with per-layer or shared λ', () => {
    const rng = makeRng(12)
    const layers = [gaussian(rng, 4, 3), gaussian(rng, 2, 4)]
    const [a, b] = layers.map(frobeniusSquared)
    expect(structuralEnergy(layers, 0.5)).toBeCloseTo(0.25 * (a + b), 12)
    expect(structuralEnergy(layers, [1, 3])).toBeCloseTo(0.5 * a + 1.5 * b, 12)
    expect(() => structuralEnergy(layers, [1])).toThrow()
  })
})

describe('Schatten identity for deep linear nets', () => {
  for (const L of [2, 3, 4]) {
    it(`L = ${L}: Σ‖W_l‖_F² = L·‖M‖_{S_{2/L}}^{2/L} when balanced, strictly more when not`, () => {
      const { layers, s } = balancedFactorization(100 + L, L)
      const M = endToEnd(layers)
      // The construction really produces M with the planted spectrum.
      singularValues(M)
        .slice(0, s.length)
        .forEach((v, i) => expect(v).toBeCloseTo(s[i], 10))

      const sumSq = layers.reduce((acc, w) => acc + frobeniusSquared(w), 0)
      const rhs = L * schattenPowerSum(M, 2 / L)
      expect(relErr(sumSq, rhs)).toBeLessThan(1e-6)
      expect(relErr(structuralEnergy(layers, 0.1), schattenFloor(layers, 0.1))).toBeLessThan(1e-6)
      expect(balancednessGap(layers)).toBeLessThan(1e-10)

      // Same M, rebalanced: W_1 → 3·W_1, W_2 → W_2/3.
      const c = 3
      const unbalanced = layers.map((w, l) => (l === 0 ? scale(w, c) : l === 1 ? scale(w, 1 / c) : w))
      const M2 = endToEnd(unbalanced)
      for (let i = 0; i < M.data.length; i++) expect(M2.data[i]).toBeCloseTo(M.data[i], 10)
      const sumSq2 = unbalanced.reduce((acc, w) => acc + frobeniusSquared(w), 0)
      expect(sumSq2).toBeGreaterThan(rhs * (1 + 1e-3))
      expect(relErr(schattenFloor(unbalanced, 0.1), schattenFloor(layers, 0.1))).toBeLessThan(1e-10)
      expect(balancednessGap(unbalanced)).toBeGreaterThan(0.1)

      const summary = deepLinearSummary(unbalanced, 0.1)
      expect(summary.gap).toBeGreaterThan(0)
      expect(summary.relativeGap).toBeGreaterThan(0)
      expect(summary.relativeGap).toBeLessThan(1)
      expect(deepLinearSummary(layers, 0.1).relativeGap).toBeLessThan(1e-6)
    })
  }

  it('energy ≥ floor for random (unbalanced) nets of depth 1 to 4', () => {
    const rng = makeRng(13)
    for (let trial = 0; trial < 20; trial++) {
      const L = 1 + (trial % 4)
      const widths = Array.from({ length: L + 1 }, () => 2 + Math.floor(rng.uniform() * 6))
      const layers = Array.from({ length: L }, (_, l) => gaussian(rng, widths[l + 1], widths[l]))
      const lambda = 0.01 + rng.uniform()
      const energy = structuralEnergy(layers, lambda)
      const floor = schattenFloor(layers, lambda)
      expect(energy).toBeGreaterThanOrEqual(floor * (1 - 1e-12))
      // One layer is its own end-to-end map: Frobenius² = Σσ², so the floor is attained.
      if (L === 1) expect(relErr(energy, floor)).toBeLessThan(1e-10)
      else expect(balancednessGap(layers)).toBeGreaterThan(0)
    }
  })

  it('balancedness gap is 0 for one layer and for all-zero weights, and scale-free', () => {
    const rng = makeRng(14)
    expect(balancednessGap([gaussian(rng, 3, 3)])).toBe(0)
    const zeros: DenseMatrix = { data: new Float64Array(9), rows: 3, cols: 3 }
    expect(balancednessGap([zeros, zeros])).toBe(0)
    const layers = [gaussian(rng, 4, 3), gaussian(rng, 2, 4)]
    const g = balancednessGap(layers)
    expect(balancednessGap(layers.map((w) => scale(w, 10)))).toBeCloseTo(g, 12)
  })
})
