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
