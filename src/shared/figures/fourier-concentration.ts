// Concentration of a spectrum over a run, from the per-step shares `analysis:frequency-steps`
// answers. The engine's Gini and IPR (src/shared/concentration.ts, which the engine uses too) read per-frequency norms
// √power; both indices are scale-free, so √share gives the same numbers without the powers.
import { gini as giniOf, ipr as iprOf, keysAboveGap } from '../concentration'

export interface ConcentrationCurve {
  steps: number[]
  gini: number[]
  ipr: number[]
}

/** Gini and IPR of √share at every step of a frequency × step share table (share[freq][step]). */
export function concentrationByStep(table: { steps: number[]; share: number[][] }): ConcentrationCurve {
  const gini: number[] = []
  const ipr: number[] = []
  const norms = new Float64Array(table.share.length)
  for (let j = 0; j < table.steps.length; j++) {
    for (let i = 0; i < table.share.length; i++) norms[i] = Math.sqrt(Math.max(0, table.share[i][j] ?? 0))
    gini.push(giniOf(norms))
    ipr.push(iprOf(norms))
  }
  return { steps: table.steps.slice(), gini, ipr }
}

export interface SpectrumStats {
  keyFrequencies: number[]
  topK: number
  topKShare: number
  gini: number
  ipr: number
}

/**
 * Key frequencies (the engine's gap rule, fourier.ts keysAboveGap with its defaults), top-K share,
 * Gini and IPR of one spectrum given as shares: what FourierSummary reports, for views such as the
 * neurons' whose summary the analysis does not carry, computed from an `analysis:frequency-steps` column.
 */
export function spectrumStats(frequencies: readonly number[], share: readonly number[], topK = 5): SpectrumStats {
  const order = frequencies.map((_, i) => i).sort((a, b) => share[b] - share[a] || a - b)
  const sorted = order.map((i) => share[i])
  const total = share.reduce((s, v) => s + v, 0)
  const keys = total > 0 ? keysAboveGap(sorted, share.length, 2, 2, 12).map((i) => frequencies[order[i]]) : []
  const norms = share.map((v) => Math.sqrt(Math.max(0, v)))
  return {
    keyFrequencies: keys,
    topK,
    topKShare: order.slice(0, topK).reduce((s, i) => s + share[i], 0),
    gini: giniOf(norms),
    ipr: iprOf(norms),
  }
}

