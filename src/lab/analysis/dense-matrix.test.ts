import { describe, expect, it } from 'vitest'
import { Matrix } from 'ml-matrix'
import {
  denseMatrix,
  fromMatrix,
  frobeniusSquared,
  matmul,
  matmulChain,
  scale,
  toMatrix,
  transpose,
  type DenseMatrix,
} from './dense-matrix'
import { gaussian, makeRng } from './test-fixtures'

function expectClose(a: DenseMatrix, b: DenseMatrix, tol = 1e-12): void {
  expect([a.rows, a.cols]).toEqual([b.rows, b.cols])
  for (let i = 0; i < a.data.length; i++) expect(Math.abs(a.data[i] - b.data[i])).toBeLessThan(tol)
}

describe('dense-matrix', () => {
  it('is row-major and round-trips through ml-matrix', () => {
    const m = denseMatrix([1, 2, 3, 4, 5, 6], 2, 3)
    const mm = toMatrix(m)
    expect(mm.get(0, 2)).toBe(3)
    expect(mm.get(1, 0)).toBe(4)
    const back = fromMatrix(mm)
    expect(back.data).toBeInstanceOf(Float64Array)
    expectClose(back, m)
  })

  it('rejects data whose length does not match the shape', () => {
    expect(() => denseMatrix([1, 2, 3], 2, 2)).toThrow(/expected 4/)
    expect(() => denseMatrix([], 0, 0)).toThrow(/positive/)
  })

  it('transposes', () => {
    const t = transpose(denseMatrix(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3))
    expect([t.rows, t.cols]).toEqual([3, 2])
    expect(Array.from(t.data)).toEqual([1, 4, 2, 5, 3, 6])
  })

  it('matmul agrees with ml-matrix and rejects mismatched shapes', () => {
    const rng = makeRng(1)
    const a = gaussian(rng, 3, 4)
    const b = gaussian(rng, 4, 5)
    expectClose(matmul(a, b), fromMatrix(toMatrix(a).mmul(toMatrix(b))))
    expect(() => matmul(a, a)).toThrow(/cannot multiply/)
  })

  it('matmulChain multiplies left to right and copies a single factor', () => {
    const rng = makeRng(2)
    const a = gaussian(rng, 2, 3)
    const b = gaussian(rng, 3, 4)
    const c = gaussian(rng, 4, 2)
    const expected = toMatrix(a).mmul(toMatrix(b)).mmul(toMatrix(c))
    expectClose(matmulChain([a, b, c]), fromMatrix(expected))
    const single = matmulChain([a])
    expect(single.data).not.toBe(a.data)
    expectClose(single, a)
  })

  it('frobeniusSquared and scale', () => {
    const m = denseMatrix([3, 4, 0, 12], 2, 2)
    expect(frobeniusSquared(m)).toBe(169)
    expect(frobeniusSquared(scale(m, 2))).toBe(676)
    expect(Matrix.from1DArray(2, 2, m.data).norm('frobenius') ** 2).toBeCloseTo(169, 10)
  })
})
