import { describe, expect, it, vi } from 'vitest'
import { Matrix } from 'ml-matrix'
import {
  effectiveRank,
  nuclearNorm,
  schattenNorm,
  schattenPowerSum,
  singularValues,
  spectralNorm,
  spectralSummary,
  stableRank,
} from './spectral'
import { denseMatrix, fromMatrix, type DenseMatrix } from './dense-matrix'
import { gaussian, makeRng, orthonormalColumns, productWithDiag } from './test-fixtures'

// diag(3, 2, 1) padded to 4 × 3: singular values known exactly.
const D: DenseMatrix = denseMatrix([3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0], 4, 3)

describe('singularValues', () => {
  it('returns known singular values, descending', () => {
    const s = singularValues(denseMatrix([1, 0, 0, 0, 3, 0, 0, 0, 2], 3, 3))
    expect(s.length).toBe(3)
    s.forEach((v, i) => expect(v).toBeCloseTo([3, 2, 1][i], 12))
  })

  it('recovers a planted spectrum behind random rotations, tall and wide, without warnings', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const rng = makeRng(7)
    const planted = [5, 2.5, 1, 0.25]
    const U = orthonormalColumns(rng, 9, 4)
    const V = orthonormalColumns(rng, 6, 4)
    const tall = productWithDiag(U, planted, V) // 9 × 6, rank 4
    const wide = productWithDiag(V, planted, U) // 6 × 9
    for (const m of [tall, wide]) {
      const s = singularValues(m)
      expect(s.length).toBe(6)
      planted.forEach((v, i) => expect(s[i]).toBeCloseTo(v, 10))
      // Round-off singular values are snapped to 0, so quasi-norms see only the planted rank.
      expect(s[4]).toBe(0)
      expect(s[5]).toBe(0)
      const planted4 = planted.reduce((acc, v) => acc + v ** 0.25, 0)
      expect(Math.abs(schattenPowerSum(m, 0.25) - planted4) / planted4).toBeLessThan(1e-12)
    }
    expect(warn).not.toHaveBeenCalled()
    warn.mockRestore()
  })

  it('accepts Float32 and plain-array storage', () => {
    const s32 = singularValues(denseMatrix(new Float32Array([0, 2, 0, 0]), 2, 2))
    expect(s32[0]).toBeCloseTo(2, 12)
    expect(s32[1]).toBe(0)
  })
})

describe('norms and ranks', () => {
  it('match closed forms on diag(3, 2, 1)', () => {
    expect(spectralNorm(D)).toBeCloseTo(3, 12)
    expect(nuclearNorm(D)).toBeCloseTo(6, 12)
    expect(schattenNorm(D, 1)).toBeCloseTo(6, 12)
    expect(schattenNorm(D, 2)).toBeCloseTo(Math.sqrt(14), 12)
    expect(schattenNorm(D, 0.5)).toBeCloseTo((Math.sqrt(3) + Math.sqrt(2) + 1) ** 2, 12)
    expect(schattenNorm(D, 2 / 3)).toBeCloseTo((3 ** (2 / 3) + 2 ** (2 / 3) + 1) ** 1.5, 12)
    expect(schattenNorm(D, Infinity)).toBeCloseTo(3, 12)
    expect(schattenPowerSum(D, 0.5)).toBeCloseTo(Math.sqrt(3) + Math.sqrt(2) + 1, 12)
    const q = [3 / 6, 2 / 6, 1 / 6]
    expect(effectiveRank(D)).toBeCloseTo(Math.exp(-q.reduce((h, x) => h + x * Math.log(x), 0)), 12)
    expect(stableRank(D)).toBeCloseTo(14 / 9, 12)
  })

  it('Schatten-2 equals Frobenius on a random matrix; quasi-norms exceed the nuclear norm', () => {
    const m = gaussian(makeRng(3), 7, 5)
    const fro = Math.sqrt(Array.from(m.data).reduce((s, v) => s + v * v, 0))
    expect(schattenNorm(m, 2)).toBeCloseTo(fro, 10)
    expect(schattenNorm(m, 0.5)).toBeGreaterThan(schattenNorm(m, 1))
    expect(schattenNorm(m, 1)).toBeGreaterThan(schattenNorm(m, 2))
  })

  it('stays finite for tiny p (rescaled by σ_max)', () => {
    const m = denseMatrix([1e3, 0, 0, 1e3], 2, 2)
    // (2 · 1000^p)^(1/p) = 1000 · 2^(1/p)
    expect(schattenNorm(m, 0.05)).toBeCloseTo(1000 * 2 ** 20, 0)
    expect(() => schattenNorm(m, 0)).toThrow()
    expect(() => schattenNorm(m, -1)).toThrow()
  })

  it('effective rank is n for the identity and 1 for rank one; stable rank likewise', () => {
    const I = fromMatrix(Matrix.eye(5))
    expect(effectiveRank(I)).toBeCloseTo(5, 10)
    expect(stableRank(I)).toBeCloseTo(5, 10)
    const rankOne = denseMatrix([1, 2, 3, 2, 4, 6], 2, 3)
    expect(effectiveRank(rankOne)).toBeCloseTo(1, 6)
    expect(stableRank(rankOne)).toBeCloseTo(1, 10)
  })

  it('is 0-safe on the zero matrix', () => {
    const Z = denseMatrix(new Float64Array(6), 2, 3)
    expect(singularValues(Z)).toEqual([0, 0])
    expect(nuclearNorm(Z)).toBe(0)
    expect(schattenNorm(Z, 0.5)).toBe(0)
    expect(effectiveRank(Z)).toBe(0)
    expect(stableRank(Z)).toBe(0)
  })

  it('accepts precomputed singular values in place of a matrix', () => {
    expect(nuclearNorm([3, 2, 1])).toBe(6)
    expect(stableRank([3, 2, 1])).toBeCloseTo(14 / 9, 12)
  })
})

describe('spectralSummary', () => {
  it('bundles every measurement consistently', () => {
    const s = spectralSummary(D, { topK: 2, schattenP: [1, 0.5] })
    expect(s.rows).toBe(4)
    expect(s.cols).toBe(3)
    expect(s.singularValues.map((v) => +v.toFixed(12))).toEqual([3, 2, 1])
    expect(s.topSingularValues.map((v) => +v.toFixed(12))).toEqual([3, 2])
    expect(s.frobenius).toBeCloseTo(Math.sqrt(14), 12)
    expect(s.spectralNorm).toBeCloseTo(3, 12)
    expect(s.nuclearNorm).toBeCloseTo(6, 12)
    expect(s.schatten[0]).toEqual({ p: 1, value: expect.closeTo(6, 12) })
    expect(s.schatten[1].value).toBeCloseTo(schattenNorm(D, 0.5), 12)
    expect(s.effectiveRank).toBeCloseTo(effectiveRank(D), 12)
    expect(s.stableRank).toBeCloseTo(14 / 9, 12)
    expect(spectralSummary(D).schatten.map((x) => x.p)).toEqual([2 / 3, 1 / 2])
    expect(spectralSummary(D).topSingularValues.length).toBe(3)
  })
})
