import { describe, expect, it } from 'vitest'
import { fourierSummary, frequencyByStep } from '../../lab/analysis/fourier'
import { neuronFrequencies } from '../../lab/analysis/neuron-frequencies'
import type { FourierSummary } from '../analysis-types'
import { concentrationByStep, spectrumStats } from './fourier-concentration'
import { circleFigure, concentrationFigure, frequencyStepsFigure, neuronCountsFigure, neuronStripFigure, spectrumFigure } from './fourier-figures'
import { fourierPlane, neuronDominance, neuronOrder, tokenInputs } from './fourier-plane'

// A small deterministic generator, so failures reproduce.
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32 - 0.5
  }
}

const matrix = (rows: number, cols: number, seed: number) => {
  const r = random(seed)
  return { data: Float32Array.from({ length: rows * cols }, r), rows, cols }
}

describe('fourier-concentration', () => {
  it('gives per step the engine’s gini and ipr of √power (the analysis’ FourierSummary numbers)', () => {
    const p = 13
    const snapshots = [0, 100, 200].map((step, i) => ({ step, E: matrix(p, 6, 10 + i) }))
    // Make the last snapshot concentrated on frequency 3.
    const last = snapshots[2].E
    for (let a = 0; a < p; a++) for (let j = 0; j < 6; j++) last.data[a * 6 + j] += 5 * Math.cos((2 * Math.PI * 3 * a) / p) * (j + 1)
    const table = frequencyByStep(snapshots)
    const curve = concentrationByStep(table)
    expect(curve.steps).toEqual([0, 100, 200])
    snapshots.forEach(({ E }, j) => {
      const s = fourierSummary(E)
      expect(curve.gini[j]).toBeCloseTo(s.gini, 9)
      expect(curve.ipr[j]).toBeCloseTo(s.ipr, 9)
    })
    expect(curve.gini[2]).toBeGreaterThan(curve.gini[0])
  })

  it('summarises a share column exactly as the engine’s FourierSummary does', () => {
    const p = 17
    for (const [seed, boost] of [[5, 0], [6, 8], [7, 30]]) {
      const E = matrix(p, 8, seed)
      for (let a = 0; a < p; a++) for (let j = 0; j < 8; j++) {
        E.data[a * 8 + j] += boost * (Math.cos((2 * Math.PI * 2 * a) / p) + Math.sin((2 * Math.PI * 5 * a) / p)) * ((j % 3) + 1)
      }
      const s = fourierSummary(E)
      const ours = spectrumStats(s.frequencies, s.share)
      expect(ours.keyFrequencies).toEqual(s.keyFrequencies)
      expect(ours.topKShare).toBeCloseTo(s.topKShare, 9)
      expect(ours.gini).toBeCloseTo(s.gini, 9)
      expect(ours.ipr).toBeCloseTo(s.ipr, 9)
    }
    expect(spectrumStats([1, 2], [0, 0]).keyFrequencies).toEqual([])
  })
})

describe('fourier-plane', () => {
  it('puts the tokens of a frequency-k embedding on a circle, at angle 2πka/p', () => {
    const p = 11
    const d = 4
    const k = 3
    const radius = 2
    // u = e0, v = (e1 + e2)/√2: orthonormal directions inside d = 4.
    const E = new Float32Array(p * d)
    for (let a = 0; a < p; a++) {
      const t = (2 * Math.PI * k * a) / p
      E[a * d] = radius * Math.cos(t)
      E[a * d + 1] = (radius * Math.sin(t)) / Math.SQRT2
      E[a * d + 2] = (radius * Math.sin(t)) / Math.SQRT2
    }
    const plane = fourierPlane(E, p, d, k)
    for (let a = 0; a < p; a++) {
      const t = (2 * Math.PI * k * a) / p
      expect(plane.x[a]).toBeCloseTo(radius * Math.cos(t), 5)
      expect(plane.y[a]).toBeCloseTo(radius * Math.sin(t), 5)
    }
    expect(plane.cosNorm).toBeCloseTo((radius * p) / 2, 4)
    // A frequency E does not carry has (nearly) no coefficient vector.
    const other = fourierPlane(E, p, d, 1)
    expect(other.cosNorm).toBeLessThan(1e-4)
  })

  it('leaves zero coordinates for an absent direction instead of NaN', () => {
    const plane = fourierPlane(new Float32Array(7 * 2), 7, 2, 1)
    expect(plane.x.every((v) => v === 0) && plane.y.every((v) => v === 0)).toBe(true)
  })

  it('finds each neuron’s dominant frequency and share as the engine does, odd and even p', () => {
    for (const p of [13, 12]) {
      const d = 5
      const h = 9
      const E = matrix(p, d, 3)
      const W = matrix(2 * d, h, 4)
      const inputs = tokenInputs(E.data, p, d, W.data, h)
      // The engine's neurons view: E·W_in's first d rows (weight-views.ts).
      const expected = new Float64Array(p * h)
      for (let a = 0; a < p; a++) for (let n = 0; n < h; n++) for (let j = 0; j < d; j++) expected[a * h + n] += E.data[a * d + j] * W.data[j * h + n]
      expect(Array.from(inputs).map((v, i) => v - expected[i]).every((v) => Math.abs(v) < 1e-9)).toBe(true)
      const ours = neuronDominance(inputs, p, h)
      const engine = neuronFrequencies({ data: inputs, rows: p, cols: h }, p)
      expect(ours.frequency).toEqual(engine.frequency)
      ours.fraction.forEach((f, i) => expect(f).toBeCloseTo(engine.fraction[i], 9))
    }
  })

  it('orders neurons by frequency, strongest first, dead last', () => {
    expect(neuronOrder({ frequency: [2, 0, 1, 2, 1], fraction: [0.5, 0, 0.2, 0.9, 0.7] })).toEqual([4, 2, 3, 0, 1])
  })
})

describe('fourier-figures', () => {
  const summary: FourierSummary = {
    p: 7,
    frequencies: [1, 2, 3],
    power: [1, 8, 1],
    share: [0.1, 0.8, 0.1],
    constantPower: 0,
    totalPower: 10,
    keyFrequencies: [2],
    topK: 1,
    topKShare: 0.8,
    gini: 0.4,
    ipr: 0.6,
  }

  it('highlights and labels the key frequencies', () => {
    const fig = spectrumFigure(summary, 'Embedding')
    expect(fig.bars.map((b) => [b.category, b.value, b.label])).toEqual([
      ['1', 0.1, undefined],
      ['2', 0.8, '2'],
      ['3', 0.1, undefined],
    ])
    expect(fig.bars[1].color).not.toBe(fig.bars[0].color)
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig)
  })

  it('counts neurons over every frequency and strips them in order', () => {
    expect(neuronCountsFigure({ 2: 5 }, 7).bars.map((b) => b.value)).toEqual([0, 5, 0])
    const strip = neuronStripFigure({ frequency: [2, 0, 1], fraction: [0.5, 0, 0.7] }, [2, 0, 1])
    expect(strip.bars.map((b) => b.value)).toEqual([0.7, 0.5, 0])
  })

  it('marks the current step on the heatmap only when it is a snapshot', () => {
    const table = { steps: [0, 10], frequencies: [1, 2], share: [[0.5, 0.1], [0.5, 0.9]] }
    expect(frequencyStepsFigure(table, 't', 10)).toMatchObject({ markColumn: 10, max: 0.9, min: 0 })
    expect(frequencyStepsFigure(table, 't', 5).markColumn).toBeUndefined()
  })

  it('draws a square, labelled circle and a concentration curve', () => {
    const fig = circleFigure({ k: 1, x: [1, 0, -1], y: [0, 1, 0], cosNorm: 1, sinNorm: 1 }, 3)
    expect(fig.x.max).toBe(fig.y.max)
    expect(fig.points.map((p) => p.label)).toEqual(['0', '1', '2'])
    const line = concentrationFigure({ steps: [0, 1], gini: [0.1, 0.5], ipr: [0.2, 0.6] }, 1)
    expect(line.series.map((s) => s.id)).toEqual(['gini', 'ipr'])
    expect(line.markers[0].x).toBe(1)
  })
})
