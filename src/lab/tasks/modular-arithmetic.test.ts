import { describe, expect, it } from 'vitest'
import { MODULAR_OPS } from '../../shared/run-config'
import { applyOp, makeModularDataset, modInverse } from './modular-arithmetic'

describe('modular arithmetic task', () => {
  it('labels every op as SCIENCE.md defines it', () => {
    const p = 7
    expect(applyOp('add', 5, 4, p)).toBe(2)
    expect(applyOp('sub', 2, 5, p)).toBe(4)
    expect(applyOp('mul', 3, 5, p)).toBe(1)
    expect(applyOp('div', 3, 5, p)).toBe((3 * 3) % 7) // 5⁻¹ = 3 mod 7
    expect(applyOp('div', 3, 0, p)).toBeNull()
    expect(applyOp('sq_sum', 3, 4, p)).toBe(25 % 7)
    expect(applyOp('quad', 3, 4, p)).toBe((9 + 12 + 16) % 7)
  })

  it('finds modular inverses', () => {
    for (let b = 1; b < 97; b++) expect((b * modInverse(b, 97)) % 97).toBe(1)
  })

  it('uses all p² pairs (p(p−1) for div), split disjointly by frac', () => {
    for (const op of MODULAR_OPS) {
      const d = makeModularDataset(11, op, 0.3, 1)
      const n = op === 'div' ? 11 * 10 : 121
      expect(d.train.a.length + d.test.a.length).toBe(n)
      expect(d.train.a.length).toBe(Math.round(0.3 * n))
      const keys = new Set<number>()
      for (const split of [d.train, d.test]) {
        split.a.forEach((a, i) => {
          keys.add(a * 11 + split.b[i])
          expect(split.label[i]).toBe(applyOp(op, a, split.b[i], 11))
        })
      }
      expect(keys.size).toBe(n)
    }
  })

  it('is deterministic in the seed and changes with it', () => {
    const a = makeModularDataset(13, 'add', 0.4, 3)
    const b = makeModularDataset(13, 'add', 0.4, 3)
    const c = makeModularDataset(13, 'add', 0.4, 4)
    expect(Array.from(a.train.a)).toEqual(Array.from(b.train.a))
    expect(Array.from(a.train.a)).not.toEqual(Array.from(c.train.a))
  })

  it('refuses a split with an empty side', () => {
    expect(() => makeModularDataset(3, 'add', 0.01, 0)).toThrow(/empty train or test set/)
  })
})
