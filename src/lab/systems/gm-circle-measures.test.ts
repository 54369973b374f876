import { describe, expect, it } from 'vitest'
import { circleMetrics, fourierCircles } from './gm-circle-measures'

describe('Fourier circle measures', () => {
  it('read ratio 1 and cosine 0 for a circle, and a huge ratio for a line', () => {
    const p = 11
    const circle = new Float64Array(p * 2)
    for (let a = 0; a < p; a++) circle.set([Math.cos((2 * Math.PI * 3 * a) / p), Math.sin((2 * Math.PI * 3 * a) / p)], a * 2)
    const c3 = fourierCircles(circle, p, 2).find((m) => m.k === 3)!
    expect(c3.ratio).toBeCloseTo(1, 10)
    expect(c3.cosine).toBeCloseTo(0, 10)
    const line = new Float64Array(p * 2)
    for (let a = 0; a < p; a++) line.set([Math.cos((2 * Math.PI * 3 * a) / p), 0], a * 2)
    // A line (a degenerate ellipse) has Im F_k ≈ 0.
    expect(fourierCircles(line, p, 2).find((m) => m.k === 3)!.ratio).toBeGreaterThan(1e6)
  })

  it('summarizes the worst frequency as two series', () => {
    const p = 7
    const e = new Float64Array(p * 2)
    for (let a = 0; a < p; a++) e.set([Math.cos((2 * Math.PI * a) / p), 0.5 * Math.sin((2 * Math.PI * a) / p)], a * 2)
    const m = circleMetrics(e, p, 2)
    expect(m.gm_circle_ratio).toBeCloseTo(2, 8)
    expect(m.gm_circle_cos).toBeLessThan(1e-8)
  })
})
