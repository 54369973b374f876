// Concentration of a spectrum, shared by the engine (src/lab/analysis) and the page (src/shared/figures),
// so both read a spectrum by the same rules.
//
// Concentration indices for a non-negative profile (e.g. per-frequency norms): how much of the
// mass sits in a few entries. Both return 0 for an empty or all-zero profile, where no concentration
// is measurable, rather than NaN that would poison plots and stored series.

/** Gini coefficient Σ_ij |x_i − x_j| / (2n Σx): 0 when flat, (n−1)/n when one entry holds everything. */
export function gini(values: ArrayLike<number>): number {
  const n = values.length
  const x = Array.from(values, Math.abs).sort((a, b) => a - b)
  const total = x.reduce((s, v) => s + v, 0)
  if (n === 0 || total === 0) return 0
  // Sorted form of the pairwise sum: O(n log n) instead of O(n²).
  let weighted = 0
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * x[i]
  return weighted / (n * total)
}

/** Inverse participation ratio Σx⁴ / (Σx²)²: 1/n when flat, 1 when one entry holds everything. */
export function ipr(values: ArrayLike<number>): number {
  let s2 = 0
  let s4 = 0
  for (let i = 0; i < values.length; i++) {
    const v2 = values[i] * values[i]
    s2 += v2
    s4 += v2 * v2
  }
  return s2 === 0 ? 0 : s4 / (s2 * s2)
}

/**
 * Indices (into `sorted`, shares in descending order) of the key frequencies: those above the
 * largest relative drop among the top `maxKeys + 1`, provided the drop is at least `gap`× and the
 * keys carry at least `factor`× the share that as many frequencies of a flat spectrum would. This
 * is how one reads a grokked spectrum by eye (a few tall bars, then a cliff); a flat spectrum,
 * with no cliff, has no keys, and a handful of equally strong frequencies are all found.
 */
export function keysAboveGap(sorted: number[], F: number, gap: number, factor: number, maxKeys: number): number[] {
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

/** Power below this share of a profile's total is round-off: a profile made only of it is dead. */
export const ROUNDOFF_POWER = 1e-20

/**
 * The strongest non-constant frequency of a power profile (power[k], k = 0…⌊p/2⌋, power[0] the
 * constant) and its share of the non-constant power; frequency 0 and share 0 for a dead profile.
 */
export function dominantFrequency(power: ArrayLike<number>): { frequency: number; fraction: number } {
  let best = 0
  let bestPower = 0
  let total = 0
  for (let k = 1; k < power.length; k++) {
    total += power[k]
    if (power[k] > bestPower) {
      best = k
      bestPower = power[k]
    }
  }
  if (!(total > ROUNDOFF_POWER * (total + power[0]))) return { frequency: 0, fraction: 0 }
  return { frequency: best, fraction: best > 0 ? power[best] / total : 0 }
}
