import { describe, expect, it } from 'vitest'
import { gini, ipr } from './concentration'

describe('gini', () => {
  it('is 0 when flat, (n−1)/n for one spike, and matches the pairwise definition', () => {
    expect(gini([2, 2, 2, 2])).toBe(0)
    expect(gini([0, 0, 0, 5])).toBeCloseTo(3 / 4, 14)
    const x = [0.3, 4, 1, 0, 2.5]
    let pairwise = 0
    for (const a of x) for (const b of x) pairwise += Math.abs(a - b)
    const expected = pairwise / (2 * x.length * x.reduce((s, v) => s + v, 0))
    expect(gini(x)).toBeCloseTo(expected, 14)
    expect(gini(Float64Array.from(x).reverse())).toBeCloseTo(expected, 14) // order-free
  })

  it('is 0 for empty or all-zero input', () => {
    expect(gini([])).toBe(0)
    expect(gini([0, 0])).toBe(0)
  })
})

describe('ipr', () => {
  it('is 1/n when flat and 1 for one spike, scale-free', () => {
    expect(ipr([1, 1, 1, 1, 1])).toBeCloseTo(1 / 5, 14)
    expect(ipr([0, 3, 0])).toBe(1)
    expect(ipr([1, 2, 3])).toBeCloseTo(ipr([10, 20, 30]), 14)
    expect(ipr([1, 2, 3])).toBeCloseTo((1 + 16 + 81) / 14 ** 2, 14)
    expect(ipr([])).toBe(0)
  })
})
