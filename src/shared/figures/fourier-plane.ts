// Client-side Fourier pictures of a snapshot's token tensors, computed from `snapshots:tensor`
// data so the page needs no extra API channel. Matrices are row-major with tokens on rows.
import { dominantFrequency } from '../concentration'

export interface FourierPlane {
  k: number
  /** Token a's coordinate along the unit cos_k direction of E's columns: E[a,:]·C_k/|C_k|. */
  x: number[]
  /** Same along the sin_k direction: E[a,:]·S_k/|S_k|. */
  y: number[]
  /** |C_k| and |S_k|: how much of E frequency k carries (0 = that direction is absent). */
  cosNorm: number
  sinNorm: number
}

// k·a is reduced mod p in integers so the angle keeps full precision for large p.
const angle = (k: number, a: number, p: number): number => (2 * Math.PI * ((k * a) % p)) / p

/** Each of the p tokens of E [p, d] projected onto the plane of E's cos_k and sin_k coefficient vectors. */
export function fourierPlane(E: ArrayLike<number>, p: number, d: number, k: number): FourierPlane {
  const C = new Float64Array(d)
  const S = new Float64Array(d)
  for (let a = 0; a < p; a++) {
    const c = Math.cos(angle(k, a, p))
    const s = Math.sin(angle(k, a, p))
    for (let j = 0; j < d; j++) {
      const v = E[a * d + j]
      C[j] += c * v
      S[j] += s * v
    }
  }
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((t, x) => t + x * x, 0))
  const cosNorm = norm(C)
  const sinNorm = norm(S)
  const x: number[] = []
  const y: number[] = []
  for (let a = 0; a < p; a++) {
    let dc = 0
    let ds = 0
    for (let j = 0; j < d; j++) {
      dc += E[a * d + j] * C[j]
      ds += E[a * d + j] * S[j]
    }
    x.push(cosNorm > 0 ? dc / cosNorm : 0)
    y.push(sinNorm > 0 ? ds / sinNorm : 0)
  }
  return { k, x, y, cosNorm, sinNorm }
}

/** A [p, h] = E[p, d]·W[:d, :] product, W row-major with `wCols` columns (only its first d rows are read). */
export function tokenInputs(E: ArrayLike<number>, p: number, d: number, W: ArrayLike<number>, wCols: number): Float64Array {
  const out = new Float64Array(p * wCols)
  for (let a = 0; a < p; a++) {
    const row = a * wCols
    for (let j = 0; j < d; j++) {
      const e = E[a * d + j]
      if (e === 0) continue
      const off = j * wCols
      for (let n = 0; n < wCols; n++) out[row + n] += e * W[off + n]
    }
  }
  return out
}

export interface NeuronDominance {
  /** Per neuron, its frequency k ≥ 1 with most power; 0 for a neuron without non-constant power. */
  frequency: number[]
  /** That frequency's share of the neuron's non-constant power. */
  fraction: number[]
}

/** Dominant frequency and its share for each column of W [p, h], as src/lab/analysis/neuron-frequencies.ts computes it. */
export function neuronDominance(W: ArrayLike<number>, p: number, h: number): NeuronDominance {
  const F = Math.floor(p / 2)
  const power = Array.from({ length: h }, () => new Float64Array(F + 1))
  const cosRow = new Float64Array(p)
  const sinRow = new Float64Array(p)
  const cc = new Float64Array(h)
  const sc = new Float64Array(h)
  for (let k = 0; k <= F; k++) {
    // Orthonormal rows: the constant and the Nyquist cos have norm √p, the others √(p/2).
    const single = k === 0 || 2 * k === p
    const scale = single ? 1 / Math.sqrt(p) : Math.sqrt(2 / p)
    for (let a = 0; a < p; a++) {
      cosRow[a] = Math.cos(angle(k, a, p)) * scale
      sinRow[a] = single ? 0 : Math.sin(angle(k, a, p)) * scale
    }
    cc.fill(0)
    sc.fill(0)
    for (let a = 0; a < p; a++) {
      const off = a * h
      for (let n = 0; n < h; n++) {
        cc[n] += cosRow[a] * W[off + n]
        sc[n] += sinRow[a] * W[off + n]
      }
    }
    for (let n = 0; n < h; n++) power[n][k] = cc[n] * cc[n] + sc[n] * sc[n]
  }
  const frequency: number[] = []
  const fraction: number[] = []
  for (const c of power) {
    const d = dominantFrequency(c)
    frequency.push(d.frequency)
    fraction.push(d.fraction)
  }
  return { frequency, fraction }
}

/** Neuron indices ordered by dominant frequency (dead neurons last), strongest share first within one. */
export function neuronOrder(dominance: NeuronDominance): number[] {
  const key = (f: number) => (f === 0 ? Number.POSITIVE_INFINITY : f)
  return dominance.frequency
    .map((_, i) => i)
    .sort((a, b) => key(dominance.frequency[a]) - key(dominance.frequency[b]) || dominance.fraction[b] - dominance.fraction[a] || a - b)
}
