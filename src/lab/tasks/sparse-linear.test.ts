import { describe, expect, it } from 'vitest'
import { makeSparseLinear, type SparseLinearOptions } from './sparse-linear'

const opts: SparseLinearOptions = { dim: 40, sparsity: 5, n_train: 25, n_test: 300, input_dist: 'gaussian', seed: 2 }

const dot = (w: Float32Array, x: Float32Array, i: number, dim: number) => {
  let s = 0
  for (let j = 0; j < dim; j++) s += w[j] * x[i * dim + j]
  return s
}

describe('sparse linear classification (LD)', () => {
  it('has a k-sparse ±1 teacher on its support and the requested shapes', () => {
    const d = makeSparseLinear(opts)
    expect(d.support.length).toBe(5)
    expect(new Set(d.support).size).toBe(5)
    expect([...d.support]).toEqual([...d.support].sort((a, b) => a - b))
    d.teacher.forEach((w, j) => expect(Math.abs(w)).toBe(d.support.includes(j) ? 1 : 0))
    expect(d.train.x.length).toBe(25 * 40)
    expect(d.train.y.length).toBe(25)
    expect(d.test.x.length).toBe(300 * 40)
  })

  it('labels y = sign⟨w*, x⟩ ∈ {−1, +1}, both classes present', () => {
    const d = makeSparseLinear(opts)
    for (const s of [d.train, d.test]) {
      for (let i = 0; i < s.n; i++) expect(s.y[i]).toBe(dot(d.teacher, s.x, i, 40) >= 0 ? 1 : -1)
    }
    const positive = d.test.y.filter((y) => y > 0).length / d.test.n
    expect(positive).toBeGreaterThan(0.35)
    expect(positive).toBeLessThan(0.65)
  })

  it('draws Rademacher inputs as exactly ±1, ties labelled +1', () => {
    const d = makeSparseLinear({ ...opts, input_dist: 'rademacher', sparsity: 2 })
    expect(d.train.x.every((v) => v === 1 || v === -1)).toBe(true)
    let ties = 0
    for (let i = 0; i < d.test.n; i++) {
      if (dot(d.teacher, d.test.x, i, 40) === 0) {
        ties++
        expect(d.test.y[i]).toBe(1)
      }
    }
    expect(ties).toBeGreaterThan(0) // an even support makes ⟨w*, x⟩ = 0 half the time
  })

  it('with a boundary margin γ keeps every input ≥ γ from the boundary, labels unchanged', () => {
    const plain = makeSparseLinear({ ...opts, sparsity: 40 })
    const d = makeSparseLinear({ ...opts, sparsity: 40, margin: 2 })
    expect(d.teacher).toEqual(plain.teacher)
    expect(d.train.y).toEqual(plain.train.y)
    const norm = Math.sqrt(40)
    for (let i = 0; i < d.test.n; i++) {
      const s = dot(d.teacher, d.test.x, i, 40) / norm
      expect(s * d.test.y[i]).toBeGreaterThanOrEqual(2 - 1e-4)
      expect(Math.sign(s)).toBe(d.test.y[i])
    }
  })

  it('is deterministic in the seed and changes with it', () => {
    const a = makeSparseLinear(opts)
    const b = makeSparseLinear(opts)
    expect(b.support).toEqual(a.support)
    expect(b.train.x).toEqual(a.train.x)
    expect(b.test.y).toEqual(a.test.y)
    expect(makeSparseLinear({ ...opts, seed: 3 }).train.x).not.toEqual(a.train.x)
  })

  it('rejects a sparsity larger than dim and a negative margin', () => {
    expect(() => makeSparseLinear({ ...opts, sparsity: 41 })).toThrow(/sparsity \(41\)/)
    expect(() => makeSparseLinear({ ...opts, margin: -1 })).toThrow(/margin/)
  })
})
