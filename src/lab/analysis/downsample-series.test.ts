import { describe, expect, it } from 'vitest'
import { Rng } from '../random'
import { downsampleSeries } from './downsample-series'

function noisy(n: number, seed: number) {
  const rng = new Rng(seed)
  const steps = Array.from({ length: n }, (_, i) => i * 20)
  const values = steps.map(() => rng.next() * 2 - 1)
  return { steps, values }
}

describe('series downsampling', () => {
  it('returns the whole series without a width, or when it is short enough', () => {
    const { steps, values } = noisy(50, 1)
    expect(downsampleSeries(steps, values)).toEqual({ steps, values, downsampled: false })
    expect(downsampleSeries(steps, values, 20).downsampled).toBe(false)
  })

  it('keeps the first, last, min and max point of every bucket, in step order, at most 4·W points', () => {
    for (const [n, width] of [[10_000, 100], [5_001, 7], [997, 50], [20_000, 1]]) {
      const { steps, values } = noisy(n, n)
      const out = downsampleSeries(steps, values, width)
      expect(out.downsampled).toBe(true)
      expect(out.steps.length).toBeLessThanOrEqual(4 * width)
      expect(out.steps[0]).toBe(steps[0])
      expect(out.steps[out.steps.length - 1]).toBe(steps[n - 1])
      expect(out.steps.every((s, i) => i === 0 || s > out.steps[i - 1])).toBe(true)
      const kept = new Map(out.steps.map((s, i) => [s, out.values[i]]))
      const span = steps[n - 1] - steps[0]
      const buckets = new Map<number, number[]>()
      steps.forEach((s, i) => {
        const b = Math.min(width - 1, Math.floor(((s - steps[0]) / span) * width))
        if (!buckets.has(b)) buckets.set(b, [])
        buckets.get(b)!.push(i)
      })
      for (const idx of buckets.values()) {
        const vs = idx.map((i) => values[i])
        const lo = idx[vs.indexOf(Math.min(...vs))]
        const hi = idx[vs.indexOf(Math.max(...vs))]
        const missing = [idx[0], idx[idx.length - 1], lo, hi].filter((i) => kept.get(steps[i]) !== values[i])
        expect(missing).toEqual([])
      }
    }
  })

  it('buckets over the window it was given, and keeps a spike beside a NaN', () => {
    const steps = Array.from({ length: 1000 }, (_, i) => 100 + i)
    const values = steps.map((s) => (s === 600 ? 50 : s === 700 ? Number.NaN : 0))
    const out = downsampleSeries(steps, values, 10, 100, 1099)
    expect(out.steps).toContain(600)
    expect(out.values).toContain(50)
    expect(out.steps.length).toBeLessThanOrEqual(40)
  })
})
