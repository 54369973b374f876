import { describe, expect, it } from 'vitest'
import { fourierBasis } from './fourier-basis'
import { fourierSummary, frequencyByStep, frequencyPower } from './fourier'
import { neuronFrequencies } from './neuron-frequencies'
import { frobeniusSquared, matmul, transpose, type DenseMatrix } from './dense-matrix'
import { gaussian, makeRng } from './test-fixtures'

type Rng = ReturnType<typeof makeRng>

/**
 * E [p, d] = Σ_k cos(2πka/p)·α_k + sin(2πka/p)·β_k with Gaussian mixing rows α_k, β_k ∈ R^d,
 * plus N(0, noise²) entries. For k = p/2 only the cos term exists.
 */
function plantedEmbedding(rng: Rng, p: number, d: number, freqs: number[], noise: number): DenseMatrix {
  const data = new Float64Array(p * d)
  for (const k of freqs) {
    const alpha = Array.from({ length: d }, () => rng.normal())
    const beta = Array.from({ length: d }, () => rng.normal())
    for (let a = 0; a < p; a++) {
      const c = Math.cos((2 * Math.PI * k * a) / p)
      const s = Math.sin((2 * Math.PI * k * a) / p)
      for (let j = 0; j < d; j++) data[a * d + j] += c * alpha[j] + s * beta[j]
    }
  }
  for (let i = 0; i < data.length; i++) data[i] += noise * rng.normal()
  return { data, rows: p, cols: d }
}

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b))

describe('fourierBasis', () => {
  for (const p of [2, 7, 10, 97, 113]) {
    it(`p = ${p}: p orthonormal rows with the documented frequency layout`, () => {
      const B = fourierBasis(p)
      expect([B.matrix.rows, B.matrix.cols]).toEqual([p, p])
      expect(B.maxFrequency).toBe(Math.floor(p / 2))
      const G = matmul(B.matrix, transpose(B.matrix))
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) expect(Math.abs(G.data[i * p + j] - (i === j ? 1 : 0))).toBeLessThan(1e-12)
      }
      expect(B.frequency[0]).toBe(0)
      expect(B.kind[0]).toBe('const')
      if (p > 2) expect([B.frequency[1], B.kind[1], B.frequency[2], B.kind[2]]).toEqual([1, 'cos', 1, 'sin'])
      if (p % 2 === 0) {
        expect(B.frequency[p - 1]).toBe(p / 2)
        expect(B.kind[p - 1]).toBe('cos')
        // Nyquist row is ±1/√p alternating.
        expect(B.matrix.data[(p - 1) * p + 1]).toBeCloseTo(-1 / Math.sqrt(p), 14)
      }
      // Each k ≥ 1 below Nyquist has exactly one cos and one sin row.
      for (let k = 1; k <= Math.floor((p - 1) / 2); k++) {
        expect(B.frequency.filter((f) => f === k).length).toBe(2)
      }
    })
  }

  it('is cached', () => {
    expect(fourierBasis(97)).toBe(fourierBasis(97))
    expect(() => fourierBasis(1)).toThrow()
    expect(() => fourierBasis(9.5)).toThrow()
  })
})

describe('frequencyPower', () => {
  it('satisfies Parseval: Σ_k power_k = ‖E‖_F² (odd and even p, Float32 storage)', () => {
    const rng = makeRng(21)
    for (const p of [97, 10, 113]) {
      const E = gaussian(rng, p, 16)
      const fp = frequencyPower(E)
      expect(fp.power.length).toBe(Math.floor(p / 2) + 1)
      expect(relErr(fp.total, frobeniusSquared(E))).toBeLessThan(1e-6)
      expect(relErr(fp.power.reduce((s, v) => s + v, 0), frobeniusSquared(E))).toBeLessThan(1e-6)
      const E32: DenseMatrix = { data: Float32Array.from(E.data), rows: p, cols: 16 }
      expect(relErr(frequencyPower(E32).total, frobeniusSquared(E32))).toBeLessThan(1e-6)
    }
  })

  it('puts a constant embedding entirely in k = 0 and a pure cos_k in k', () => {
    const p = 11
    const constant: DenseMatrix = { data: new Float64Array(p * 2).fill(2), rows: p, cols: 2 }
    const fp = frequencyPower(constant)
    expect(fp.power[0]).toBeCloseTo(4 * p * 2, 10)
    expect(fp.power.slice(1).every((v) => v < 1e-20)).toBe(true)
    const pure = plantedEmbedding(makeRng(1), p, 3, [4], 0)
    const pp = frequencyPower(pure).power
    expect(pp[4] / frequencyPower(pure).total).toBeGreaterThan(1 - 1e-12)
  })
})

describe('fourierSummary', () => {
  it('finds exactly the planted key frequencies {3, 17} (p = 97, d = 32, noisy)', () => {
    const E = plantedEmbedding(makeRng(31), 97, 32, [3, 17], 0.05)
    const s = fourierSummary(E)
    expect([...s.keyFrequencies].sort((a, b) => a - b)).toEqual([3, 17])
    expect(s.frequencies.length).toBe(48)
    expect(s.frequencies[0]).toBe(1)
    const top2 = s.share[2] + s.share[16]
    expect(top2).toBeGreaterThan(0.9)
    expect(fourierSummary(E, { topK: 2 }).topKShare).toBeCloseTo(top2, 12)
    expect(s.share.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12)
    expect(s.ipr).toBeGreaterThan(0.4) // two comparable frequencies: ≈ 1/2
    expect(s.gini).toBeGreaterThan(0.8)
    expect(relErr(s.totalPower, frobeniusSquared(E))).toBeLessThan(1e-6)
  })

  it('reports a near-flat spectrum for a random Gaussian embedding', () => {
    const E = gaussian(makeRng(32), 97, 32)
    const s = fourierSummary(E)
    expect(Math.abs(s.ipr - 1 / 48)).toBeLessThan(0.2 / 48)
    expect(s.topKShare).toBeLessThan(0.3)
    expect(s.gini).toBeLessThan(0.1)
    expect(s.keyFrequencies).toEqual([])
  })

  it('a single frequency gives IPR 1 and Gini (F−1)/F', () => {
    const s = fourierSummary(plantedEmbedding(makeRng(33), 97, 8, [40], 0))
    expect(s.keyFrequencies).toEqual([40])
    expect(s.ipr).toBeCloseTo(1, 10)
    expect(s.gini).toBeCloseTo(47 / 48, 6)
    expect(s.topKShare).toBeCloseTo(1, 10)
  })

  it('orders keys by power and caps them at maxKeys', () => {
    const rng = makeRng(34)
    // Powers ≈ 4 : 2.25 : 1, all far above the key threshold 3/48 of the non-constant power.
    const E = plantedEmbedding(rng, 97, 16, [5], 0)
    const E2 = plantedEmbedding(rng, 97, 16, [9], 0)
    const E3 = plantedEmbedding(rng, 97, 16, [30], 0)
    const data = E.data.map((v, i) => 2 * v + 1.5 * E2.data[i] + E3.data[i])
    const s = fourierSummary({ data, rows: 97, cols: 16 })
    expect(s.keyFrequencies).toEqual([5, 9, 30])
    expect(fourierSummary({ data, rows: 97, cols: 16 }, { maxKeys: 2 }).keyFrequencies).toEqual([5, 9])
  })

  it('works for even p, including the Nyquist frequency', () => {
    const p = 96
    const E = plantedEmbedding(makeRng(35), p, 16, [7, 48], 0.01)
    const s = fourierSummary(E)
    expect(s.frequencies.length).toBe(48)
    expect(s.frequencies[47]).toBe(48)
    expect([...s.keyFrequencies].sort((a, b) => a - b)).toEqual([7, 48])
    expect(relErr(s.totalPower, frobeniusSquared(E))).toBeLessThan(1e-6)
  })

  it('is 0-safe for an all-zero embedding', () => {
    const s = fourierSummary({ data: new Float64Array(97 * 4), rows: 97, cols: 4 })
    expect(s.keyFrequencies).toEqual([])
    expect([s.gini, s.ipr, s.topKShare, s.totalPower]).toEqual([0, 0, 0, 0])
  })
})

describe('neuronFrequencies', () => {
  it('finds the planted frequency of every neuron', () => {
    const p = 97
    const rng = makeRng(41)
    const planted = [3, 17, 17, 40, 1, 48, 3, 22]
    const h = planted.length
    const W = new Float64Array(p * h)
    planted.forEach((k, j) => {
      const col = plantedEmbedding(rng, p, 1, [k], 0.05)
      for (let a = 0; a < p; a++) W[a * h + j] = col.data[a] + 0.7 // constant offset must be ignored
    })
    const nf = neuronFrequencies({ data: W, rows: p, cols: h }, p)
    expect(nf.frequency).toEqual(planted)
    nf.fraction.forEach((f) => expect(f).toBeGreaterThan(0.8))
    expect(nf.count[17]).toBe(2)
    expect(nf.count[3]).toBe(2)
    expect(nf.count.reduce((a, v) => a + v, 0)).toBe(h)
  })

  it('marks dead neurons with frequency 0 and rejects a wrong token axis', () => {
    const W: DenseMatrix = { data: new Float64Array(11 * 2).fill(1), rows: 11, cols: 2 }
    const nf = neuronFrequencies(W, 11)
    expect(nf.frequency).toEqual([0, 0])
    expect(nf.fraction).toEqual([0, 0])
    expect(nf.count[0]).toBe(2)
    expect(() => neuronFrequencies(W, 13)).toThrow(/token rows/)
  })
})

describe('frequencyByStep', () => {
  it('builds a frequency × step share table sorted by step', () => {
    const rng = makeRng(51)
    const late = { step: 2000, E: plantedEmbedding(rng, 23, 8, [4], 0.01) }
    const early = { step: 0, E: gaussian(rng, 23, 8) }
    const t = frequencyByStep([late, early])
    expect(t.steps).toEqual([0, 2000])
    expect(t.frequencies).toEqual(Array.from({ length: 11 }, (_, i) => i + 1))
    expect(t.share.length).toBe(11)
    expect(t.share.every((row) => row.length === 2)).toBe(true)
    expect(t.share[3][1]).toBeGreaterThan(0.99)
    expect(t.share[3][0]).toBeLessThan(0.5)
    for (let j = 0; j < 2; j++) expect(t.share.reduce((s, row) => s + row[j], 0)).toBeCloseTo(1, 12)
    expect(t.power[1]).toBeGreaterThan(0)
    expect(frequencyByStep([])).toEqual({ steps: [], frequencies: [], share: [], power: [] })
    expect(() => frequencyByStep([early, { step: 5, E: gaussian(rng, 24, 8) }])).toThrow(/mix/)
  })
})
