import { assertDenseMatrix, type DenseMatrix } from './dense-matrix'

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

// Projection round-off leaves ~ε² ≈ 5e-32 of the total power on every frequency. Below this
// relative level the non-constant part is treated as absent, so a constant (or dead) input reports
// no frequency instead of whichever round-off happened to be largest.
export { ROUNDOFF_POWER } from '../../shared/concentration'

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
export function columnPowers(x: DenseMatrix, p: number): Float64Array[] {
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
