// The Fourier view's pictures computed from a snapshot's tensors (the neuron strip, the cos/sin
// circles): the page and headless export both call these, so an exported one is the one shown.
import type { FourierSummary } from '../analysis-types'
import { circleFigure, neuronStripFigure, type BarFigure, type ScatterFigure } from './fourier-figures'
import { fourierPlane, neuronDominance, neuronOrder, tokenInputs } from './fourier-plane'

/** The most circles the view draws. */
export const MAX_CIRCLES = 6

/** The stored names of the embedding and the first MLP layer's input weights (see src/lab/analysis/weight-views.ts). */
export function tokenTensorNames(config: { model: string }): { embedding: string; inputWeights: string } {
  return config.model === 'transformer-1l' ? { embedding: 'embed.W_E', inputWeights: 'blocks.0.mlp.W_in' } : { embedding: 'E', inputWeights: 'W_in' }
}

/**
 * The frequencies whose cos/sin planes are drawn: the key ones (at most MAX_CIRCLES), or without
 * any (a flat spectrum) the strongest three, so the plot still shows whether anything is forming.
 */
export function circleFrequencies(summary: Pick<FourierSummary, 'keyFrequencies' | 'frequencies' | 'share'>): { frequencies: number[]; fallback: boolean } {
  if (summary.keyFrequencies.length) return { frequencies: summary.keyFrequencies.slice(0, MAX_CIRCLES), fallback: false }
  const strongest = summary.frequencies
    .map((k, i) => ({ k, s: summary.share[i] }))
    .sort((a, b) => b.s - a.s || a.k - b.k)
    .slice(0, 3)
    .map((x) => x.k)
  return { frequencies: strongest, fallback: true }
}

/**
 * The tokens in each frequency's cos/sin plane of the embedding E ([rows ≥ p, d], row-major), every
 * plane at the scale of the longest token vector. The transformer's W_E has an extra row (the '='
 * token); only the p operand tokens are read.
 */
export function embeddingCircles(data: Float32Array, d: number, p: number, summary: Pick<FourierSummary, 'frequencies' | 'share'>, frequencies: readonly number[]): ScatterFigure[] {
  const E = data.subarray(0, p * d)
  let radius = 0
  for (let a = 0; a < p; a++) radius = Math.max(radius, Math.hypot(...E.subarray(a * d, (a + 1) * d)))
  const share = (k: number) => summary.share[summary.frequencies.indexOf(k)]
  return frequencies.map((k) => circleFigure(fourierPlane(E, p, d, k), p, radius, share(k)))
}

/** One bar per neuron sorted by dominant frequency, from E [p, d] and the input weights W [≥ d, h]. */
export function neuronStrip(E: Float32Array, W: Float32Array, p: number, d: number, h: number): BarFigure {
  const dominance = neuronDominance(tokenInputs(E, p, d, W, h), p, h)
  return neuronStripFigure(dominance, neuronOrder(dominance))
}
