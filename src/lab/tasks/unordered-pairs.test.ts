import { describe, expect, it } from 'vitest'
import { makeUnorderedModularDataset, sumOfOneHots } from './unordered-pairs'

describe('unordered modular pairs', () => {
  it('holds every pair a ≤ b exactly once, labelled (a + b) mod p, train and test disjoint', () => {
    const p = 11
    const d = makeUnorderedModularDataset(p, 'add', 0.7, 3)
    const n = (p * (p + 1)) / 2
    expect(d.train.a.length).toBe(Math.round(0.7 * n))
    expect(d.train.a.length + d.test.a.length).toBe(n)
    const seen = new Set<number>()
    for (const s of [d.train, d.test]) {
      for (let i = 0; i < s.a.length; i++) {
        expect(s.a[i]).toBeLessThanOrEqual(s.b[i])
        expect(s.label[i]).toBe((s.a[i] + s.b[i]) % p)
        seen.add(s.a[i] * p + s.b[i])
      }
    }
    expect(seen.size).toBe(n)
  })

  it('is seeded', () => {
    const a = makeUnorderedModularDataset(13, 'add', 0.5, 1)
    expect(makeUnorderedModularDataset(13, 'add', 0.5, 1).train.a).toEqual(a.train.a)
    expect(makeUnorderedModularDataset(13, 'add', 0.5, 2).train.a).not.toEqual(a.train.a)
  })

  it('builds x = e_a + e_b, with 2·e_a on the diagonal', () => {
    const p = 5
    const x = sumOfOneHots({ a: Int32Array.from([1, 3]), b: Int32Array.from([4, 3]), label: Int32Array.from([0, 1]) }, p)
    expect(Array.from(x)).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 2, 0])
  })

  it('refuses an op that depends on the order of the operands', () => {
    expect(() => makeUnorderedModularDataset(7, 'sub', 0.5, 0)).toThrow(/commutative/)
  })
})
