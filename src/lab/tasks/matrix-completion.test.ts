import { describe, expect, it } from 'vitest'
import { denseMatrix } from '../analysis/dense-matrix'
import { singularValues } from '../analysis/spectral'
import { makeMatrixCompletion } from './matrix-completion'

describe('matrix completion task (LD)', () => {
  it('builds a dim×dim target of exactly the requested rank, with rms 1', () => {
    for (const rank of [1, 2, 3]) {
      const d = makeMatrixCompletion(12, rank, 0.4, 5)
      expect(d.target.length).toBe(144)
      const sigma = singularValues(denseMatrix(Float64Array.from(d.target), 12, 12))
      expect(sigma.filter((s) => s > 1e-4 * sigma[0]).length).toBe(rank)
      const ms = d.target.reduce((a, v) => a + v * v, 0) / 144
      expect(Math.sqrt(ms)).toBeCloseTo(1, 5)
      expect(d.rms).toBe(1)
    }
  })

  it('is symmetric (a sum of v vᵀ)', () => {
    const d = makeMatrixCompletion(9, 2, 0.5, 1)
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) expect(d.target[i * 9 + j]).toBeCloseTo(d.target[j * 9 + i], 6)
  })

  it('observes exactly round(frac·dim²) entries, marked 1 in a 0/1 mask', () => {
    for (const frac of [0.1, 0.3, 0.77]) {
      const d = makeMatrixCompletion(20, 1, frac, 2)
      const ones = d.mask.reduce((a, v) => a + v, 0)
      expect(d.observed).toBe(Math.round(frac * 400))
      expect(ones).toBe(d.observed)
      expect(d.mask.every((v) => v === 0 || v === 1)).toBe(true)
    }
  })

  it('keeps at least one observed and one held-out entry', () => {
    expect(makeMatrixCompletion(2, 1, 0.01, 0).observed).toBe(1)
    expect(makeMatrixCompletion(2, 1, 0.99, 0).observed).toBe(3)
  })

  it('is deterministic in the seed and changes with it', () => {
    const a = makeMatrixCompletion(10, 2, 0.3, 7)
    const b = makeMatrixCompletion(10, 2, 0.3, 7)
    const c = makeMatrixCompletion(10, 2, 0.3, 8)
    expect(Array.from(a.target)).toEqual(Array.from(b.target))
    expect(Array.from(a.mask)).toEqual(Array.from(b.mask))
    expect(Array.from(a.target)).not.toEqual(Array.from(c.target))
    expect(Array.from(a.mask)).not.toEqual(Array.from(c.mask))
  })

  it('draws the mask independently of the target (same target, other frac)', () => {
    expect(Array.from(makeMatrixCompletion(10, 1, 0.3, 4).target)).toEqual(Array.from(makeMatrixCompletion(10, 1, 0.6, 4).target))
  })

  it('rejects a rank above the dimension', () => {
    expect(() => makeMatrixCompletion(3, 4, 0.5, 0)).toThrow(/rank \(4\) must be ≤ dim \(3\)/)
  })
})
