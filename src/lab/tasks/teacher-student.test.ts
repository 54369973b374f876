import { describe, expect, it } from 'vitest'
import { makeReluTeacher, makeTeacherStudent, teacherOutput } from './teacher-student'

describe('teacher–student regression task (GF)', () => {
  it('has the requested shapes', () => {
    const d = makeTeacherStudent(7, 3, 25, 40, 0, 1)
    expect(d.teacher.w.length).toBe(21)
    expect(d.teacher.a.length).toBe(3)
    expect([d.train.n, d.train.x.length, d.train.y.length]).toEqual([25, 175, 25])
    expect([d.test.n, d.test.x.length, d.test.y.length]).toEqual([40, 280, 40])
  })

  it('teacher: unit-norm ReLU directions with ±1 output weights', () => {
    const t = makeReluTeacher(9, 5, 3)
    for (let k = 0; k < 5; k++) {
      const row = t.w.slice(k * 9, (k + 1) * 9)
      expect(Math.hypot(...row)).toBeCloseTo(1, 5)
      expect(Math.abs(t.a[k])).toBe(1)
    }
    // f*(x) = Σ a_k ReLU(w_k·x), checked on x = w_0 (w_0·w_0 = 1).
    const x = t.w.slice(0, 9)
    let expected = 0
    for (let k = 0; k < 5; k++) {
      let dot = 0
      for (let j = 0; j < 9; j++) dot += t.w[k * 9 + j] * x[j]
      expected += t.a[k] * Math.max(0, dot)
    }
    expect(teacherOutput(t, x, 0)).toBeCloseTo(expected, 6)
  })

  it('labels are the teacher exactly without noise; train labels carry N(0, noise²), test labels none', () => {
    const clean = makeTeacherStudent(6, 2, 400, 50, 0, 4)
    const noisy = makeTeacherStudent(6, 2, 400, 50, 0.5, 4)
    expect(Array.from(noisy.train.x)).toEqual(Array.from(clean.train.x))
    for (let i = 0; i < 400; i++) expect(clean.train.y[i]).toBeCloseTo(teacherOutput(clean.teacher, clean.train.x, i), 5)
    expect(Array.from(noisy.test.y)).toEqual(Array.from(clean.test.y))
    const resid = Array.from(noisy.train.y, (y, i) => y - clean.train.y[i])
    const mean = resid.reduce((a, v) => a + v, 0) / 400
    const std = Math.sqrt(resid.reduce((a, v) => a + (v - mean) ** 2, 0) / 399)
    expect(std).toBeGreaterThan(0.42)
    expect(std).toBeLessThan(0.58)
  })

  it('reports the rms of the train labels', () => {
    const d = makeTeacherStudent(5, 3, 30, 10, 0.1, 2)
    expect(d.rms).toBeCloseTo(Math.sqrt(d.train.y.reduce((a, v) => a + v * v, 0) / 30), 6)
  })

  it('inputs are standard normal and train/test are different draws', () => {
    const d = makeTeacherStudent(10, 2, 500, 500, 0, 6)
    const xs = Array.from(d.train.x)
    const mean = xs.reduce((a, v) => a + v, 0) / xs.length
    const variance = xs.reduce((a, v) => a + (v - mean) ** 2, 0) / xs.length
    expect(Math.abs(mean)).toBeLessThan(0.05)
    expect(variance).toBeGreaterThan(0.93)
    expect(variance).toBeLessThan(1.07)
    expect(Array.from(d.train.x.slice(0, 10))).not.toEqual(Array.from(d.test.x.slice(0, 10)))
  })

  it('is deterministic in the seed and changes with it', () => {
    const a = makeTeacherStudent(4, 2, 10, 10, 0.2, 9)
    const b = makeTeacherStudent(4, 2, 10, 10, 0.2, 9)
    const c = makeTeacherStudent(4, 2, 10, 10, 0.2, 10)
    expect(Array.from(a.train.y)).toEqual(Array.from(b.train.y))
    expect(Array.from(a.test.x)).toEqual(Array.from(b.test.x))
    expect(Array.from(a.teacher.w)).not.toEqual(Array.from(c.teacher.w))
    expect(Array.from(a.train.y)).not.toEqual(Array.from(c.train.y))
  })
})
