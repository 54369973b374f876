import { assertDenseMatrix, type DenseMatrix } from './dense-matrix'
import { gini, ipr } from './concentration'

/** One row of the real Fourier basis: the constant, or the cos / sin of a frequency k. */
export type FourierKind = 'const' | 'cos' | 'sin'

export interface FourierBasis {
  p: number
  /** p × p, orthonormal; row b is basis vector b as a function of the token a = 0…p−1. */
  matrix: DenseMatrix
  /** Frequency of each row: 0 for the constant, k for cos_k / sin_k, p/2 for the even-p Nyquist row. */
  frequency: readonly number[]
  kind: readonly FourierKind[]
  /** ⌊p/2⌋: the highest frequency present. */
  maxFrequency: number
}

const basisCache = new Map<number, FourierBasis>()

/**
 * Real orthonormal Fourier basis over Z_p, rows ordered const, cos_1, sin_1, cos_2, sin_2, …, and for
 * even p a last Nyquist row cos(πa) (frequency p/2, no sin partner). Cached per p: treat as read-only.
 */
export function fourierBasis(p: number): FourierBasis {
  if (!Number.isInteger(p) || p < 2) throw new Error(`fourierBasis: p must be an integer ≥ 2, got ${p}`)
  const cached = basisCache.get(p)
  if (cached) return cached
  const data = new Float64Array(p * p)
  const frequency: number[] = []
  const kind: FourierKind[] = []
  let row = 0
  const push = (k: number, type: FourierKind): void => {
    const off = row * p
    for (let a = 0; a < p; a++) {
      // Reduce k·a mod p in integers first so the angle stays in [0, 2π) and keeps full precision.
      const angle = (2 * Math.PI * ((k * a) % p)) / p
      data[off + a] = type === 'const' ? 1 : type === 'cos' ? Math.cos(angle) : Math.sin(angle)
    }
    // Normalize numerically rather than by the closed form √(p/2): one rule covers every row.
    let n = 0
    for (let a = 0; a < p; a++) n += data[off + a] ** 2
    n = Math.sqrt(n)
    for (let a = 0; a < p; a++) data[off + a] /= n
    frequency.push(k)
    kind.push(type)
    row++
  }
  push(0, 'const')
  for (let k = 1; k <= Math.floor((p - 1) / 2); k++) {
    push(k, 'cos')
    push(k, 'sin')
  }
  if (p % 2 === 0) push(p / 2, 'cos')
  const basis: FourierBasis = { p, matrix: { data, rows: p, cols: p }, frequency, kind, maxFrequency: Math.floor(p / 2) }
  basisCache.set(p, basis)
  return basis
}

/**
 * Power per frequency of each column of x [p, n] (token axis first): result[j][k] for k = 0…⌊p/2⌋.
 * Column-wise so that embeddings (summed over d) and neurons (kept apart) share one projection.
 */
function columnPowers(x: DenseMatrix, p: number): Float64Array[] {
  assertDenseMatrix(x)
  if (x.rows !== p) throw new Error(`Fourier view: expected ${p} token rows, got ${x.rows}`)
  const basis = fourierBasis(p)
  const B = basis.matrix.data
  const n = x.cols
  const out = Array.from({ length: n }, () => new Float64Array(basis.maxFrequency + 1))
  const coef = new Float64Array(n)
  for (let b = 0; b < p; b++) {
    coef.fill(0)
    for (let a = 0; a < p; a++) {
      const w = B[b * p + a]
      const off = a * n
      for (let j = 0; j < n; j++) coef[j] += w * x.data[off + j]
    }
    const k = basis.frequency[b]
    for (let j = 0; j < n; j++) out[j][k] += coef[j] * coef[j]
  }
  return out
}

export interface FrequencyPower {
  p: number
  /** power[k] for k = 0…⌊p/2⌋: ‖cos_k coefficients‖² + ‖sin_k coefficients‖²; power[0] is the constant. */
  power: number[]
  /** Σ_k power[k], equal to ‖E‖_F² (Parseval, the basis is orthonormal). */
  total: number
}

/** Fourier power per frequency of an embedding E [p, d] (rows = tokens), summed over the d columns. */
export function frequencyPower(E: DenseMatrix): FrequencyPower {
  const p = E.rows
  const cols = columnPowers(E, p)
  const power = new Array<number>(Math.floor(p / 2) + 1).fill(0)
  for (const c of cols) for (let k = 0; k < power.length; k++) power[k] += c[k]
  return { p, power, total: power.reduce((s, v) => s + v, 0) }
}

export interface FourierSummaryOptions {
  /** How many of the strongest frequencies topKShare counts. Default 5. */
  topK?: number
  /** A key frequency carries at least keyFactor × the flat-spectrum share 1/F. Default 3. */
  keyFactor?: number
  /** At most this many key frequencies are reported. Default 12. */
  maxKeys?: number
}

export interface FourierSummary {
  p: number
  /** Non-constant frequencies 1…⌊p/2⌋; power and share are aligned with this. */
  frequencies: number[]
  power: number[]
  /** power / Σ power over the non-constant frequencies (the constant is excluded). */
  share: number[]
  constantPower: number
  /** All power including the constant: ‖E‖_F². */
  totalPower: number
  /** Frequencies with share ≥ min(1, keyFactor/F), strongest first, at most maxKeys. */
  keyFrequencies: number[]
  topK: number
  /** Summed share of the topK strongest frequencies. */
  topKShare: number
  /** Gini of the per-frequency norms √power: 0 flat, (F−1)/F for a single frequency. */
  gini: number
  /** Σn⁴/(Σn²)² of the per-frequency norms: 1/F flat, 1 for a single frequency. */
  ipr: number
}

/** Key frequencies, top-K share and concentration of an embedding E [p, d]'s Fourier spectrum. */
export function fourierSummary(E: DenseMatrix, options: FourierSummaryOptions = {}): FourierSummary {
  return summarizePower(frequencyPower(E), options)
}

function summarizePower(fp: FrequencyPower, options: FourierSummaryOptions): FourierSummary {
  const { topK = 5, keyFactor = 3, maxKeys = 12 } = options
  const power = fp.power.slice(1)
  const frequencies = power.map((_, i) => i + 1)
  const F = power.length
  const nonConstant = power.reduce((s, v) => s + v, 0)
  const share = power.map((v) => (nonConstant > 0 ? v / nonConstant : 0))
  // Strongest first; ties broken by lower frequency so results do not depend on sort stability.
  const order = frequencies.slice().sort((a, b) => power[b - 1] - power[a - 1] || a - b)
  // Relative to the flat share rather than a cumulative-share cut: a flat (pre-grokking) spectrum
  // then has no keys at all, instead of "the 90% that happen to be largest".
  const threshold = Math.min(1, keyFactor / F)
  const keyFrequencies =
    nonConstant > 0 ? order.filter((k) => share[k - 1] >= threshold).slice(0, Math.max(0, maxKeys)) : []
  const topKShare = order.slice(0, Math.max(0, topK)).reduce((s, k) => s + share[k - 1], 0)
  const norms = power.map(Math.sqrt)
  return {
    p: fp.p,
    frequencies,
    power,
    share,
    constantPower: fp.power[0],
    totalPower: fp.total,
    keyFrequencies,
    topK,
    topKShare,
    gini: gini(norms),
    ipr: ipr(norms),
  }
}

export interface NeuronFrequencies {
  /** Per neuron, the frequency k ≥ 1 with most power; 0 for a neuron with no non-constant power. */
  frequency: number[]
  /** Per neuron, that frequency's share of the neuron's non-constant power (0 for a dead neuron). */
  fraction: number[]
  /** count[k]: how many neurons have dominant frequency k (count[0]: neurons with none). */
  count: number[]
}

/** Dominant frequency of each neuron from input weights W [p, h] (token axis first, one column per neuron). */
export function neuronFrequencies(W: DenseMatrix, p: number): NeuronFrequencies {
  const cols = columnPowers(W, p)
  const count = new Array<number>(Math.floor(p / 2) + 1).fill(0)
  const frequency: number[] = []
  const fraction: number[] = []
  for (const c of cols) {
    let best = 0
    let bestPower = 0
    let total = 0
    for (let k = 1; k < c.length; k++) {
      total += c[k]
      if (c[k] > bestPower) {
        best = k
        bestPower = c[k]
      }
    }
    frequency.push(best)
    fraction.push(total > 0 ? c[best] / total : 0)
    count[best]++
  }
  return { frequency, fraction, count }
}

export interface FrequencyByStep {
  /** Snapshot steps, ascending. */
  steps: number[]
  /** Non-constant frequencies 1…⌊p/2⌋. */
  frequencies: number[]
  /** share[i][j]: share of non-constant power at frequencies[i] in the snapshot at steps[j]. */
  share: number[][]
  /** Non-constant power per step, so a fading embedding is not mistaken for a flat one. */
  power: number[]
}

/** Frequency × step table of Fourier power shares for a run's embedding snapshots (all with the same p). */
export function frequencyByStep(snapshots: readonly { step: number; E: DenseMatrix }[]): FrequencyByStep {
  if (snapshots.length === 0) return { steps: [], frequencies: [], share: [], power: [] }
  const p = snapshots[0].E.rows
  const sorted = snapshots.slice().sort((a, b) => a.step - b.step)
  const summaries = sorted.map(({ E }) => {
    if (E.rows !== p) throw new Error(`frequencyByStep: snapshots mix p = ${p} and p = ${E.rows}`)
    return summarizePower(frequencyPower(E), {})
  })
  const frequencies = summaries[0].frequencies
  return {
    steps: sorted.map((s) => s.step),
    frequencies,
    share: frequencies.map((_, i) => summaries.map((s) => s.share[i])),
    power: summaries.map((s) => s.power.reduce((a, v) => a + v, 0)),
  }
}
