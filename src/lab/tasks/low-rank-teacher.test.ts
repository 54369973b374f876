import { describe, expect, it } from 'vitest'
import { singularValues } from '../analysis/spectral'
import { makeLowRankTeacher, type LowRankTeacherOptions } from './low-rank-teacher'

const opts: LowRankTeacherOptions = { dim: 12, classes: 5, rank: 2, n_train: 30, n_test: 200, seed: 4 }

describe('low-rank linear teacher (TC)', () => {
  it('has the requested shapes and a teacher of exactly the requested rank', () => {
    const d = makeLowRankTeacher(opts)
    expect(d.teacher.length).toBe(5 * 12)
    expect(d.train.x.length).toBe(30 * 12)
    expect(d.train.label.length).toBe(30)
    expect(d.test.x.length).toBe(200 * 12)
    const sigma = singularValues({ data: d.teacher, rows: 5, cols: 12 })
    const rank = sigma.filter((s) => s > 1e-4 * sigma[0]).length
    expect(rank).toBe(2)
  })

  it('labels every point by argmax(M* x), computed here independently', () => {
    const d = makeLowRankTeacher(opts)
    for (const s of [d.train, d.test]) {
      for (let i = 0; i < s.n; i++) {
        const scores = Array.from({ length: 5 }, (_, c) => {
          let v = 0
          for (let j = 0; j < 12; j++) v += d.teacher[c * 12 + j] * s.x[i * 12 + j]
          return v
        })
        expect(s.label[i]).toBe(scores.indexOf(Math.max(...scores)))
      }
    }
    // Several classes occur (a degenerate teacher would put everything in one class).
    expect(new Set(d.test.label).size).toBeGreaterThanOrEqual(3)
  })

  it('draws standard Gaussian inputs', () => {
    const { x } = makeLowRankTeacher({ ...opts, n_train: 2000 }).train
    const mean = x.reduce((a, b) => a + b, 0) / x.length
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length
    expect(Math.abs(mean)).toBeLessThan(0.02)
    expect(Math.abs(variance - 1)).toBeLessThan(0.03)
  })

  it('is deterministic in the seed and changes with it', () => {
    const a = makeLowRankTeacher(opts)
    const b = makeLowRankTeacher(opts)
    expect(b.teacher).toEqual(a.teacher)
    expect(b.train.x).toEqual(a.train.x)
    expect(b.test.label).toEqual(a.test.label)
    expect(makeLowRankTeacher({ ...opts, seed: 5 }).train.x).not.toEqual(a.train.x)
  })

  it('rejects a rank the teacher cannot have', () => {
    expect(() => makeLowRankTeacher({ ...opts, rank: 6 })).toThrow(/rank \(6\) must be ≤ min\(classes, dim\) = 5/)
  })
})
