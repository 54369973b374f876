// Concentration of a spectrum over a run, from the per-step shares `analysis:frequency-steps`
// answers. The engine's Gini and IPR (src/lab/analysis/concentration.ts) read per-frequency norms
// √power; both indices are scale-free, so √share gives the same numbers without the powers.

/** Gini coefficient of |values|: 0 flat, (n−1)/n when one entry holds everything, 0 when all zero. */
export function giniIndex(values: ArrayLike<number>): number {
  const n = values.length
  const x = Array.from(values, Math.abs).sort((a, b) => a - b)
  const total = x.reduce((s, v) => s + v, 0)
  if (n === 0 || total === 0) return 0
  let weighted = 0
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * x[i]
  return weighted / (n * total)
}

/** Inverse participation ratio Σx⁴/(Σx²)²: 1/n flat, 1 for a single entry, 0 when all zero. */
export function iprIndex(values: ArrayLike<number>): number {
  let s2 = 0
  let s4 = 0
  for (let i = 0; i < values.length; i++) {
    const v2 = values[i] * values[i]
    s2 += v2
    s4 += v2 * v2
  }
  return s2 === 0 ? 0 : s4 / (s2 * s2)
}

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
    gini.push(giniIndex(norms))
    ipr.push(iprIndex(norms))
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
    gini: giniIndex(norms),
    ipr: iprIndex(norms),
  }
}

// A copy of the engine's rule (src/lab/analysis/fourier.ts): the page must not import the lab.
function keysAboveGap(sorted: number[], F: number, gap: number, factor: number, maxKeys: number): number[] {
  let best = 0
  let bestRatio = 0
  for (let k = 1; k <= Math.min(maxKeys, sorted.length); k++) {
    const next = k < sorted.length ? sorted[k] : 0
    const ratio = next > 0 ? sorted[k - 1] / next : Number.POSITIVE_INFINITY
    if (ratio > bestRatio) {
      bestRatio = ratio
      best = k
    }
  }
  const carried = sorted.slice(0, best).reduce((s, v) => s + v, 0)
  if (best === 0 || bestRatio < gap || carried < Math.min(1, (factor * best) / F)) return []
  return Array.from({ length: best }, (_, i) => i)
}
