import { SingularValueDecomposition } from 'ml-matrix'
import { assertDenseMatrix, frobeniusSquared, toMatrix, type DenseMatrix } from './dense-matrix'

/**
 * A matrix, or its singular values already computed. Every norm below accepts either, so that a
 * caller holding σ (e.g. spectralSummary, or a store of past spectra) never pays for a second SVD.
 */
export type SpectrumSource = DenseMatrix | ArrayLike<number>

function isDenseMatrix(x: SpectrumSource): x is DenseMatrix {
  return typeof (x as DenseMatrix).rows === 'number' && typeof (x as DenseMatrix).cols === 'number'
}

/**
 * Singular values of m, descending, length min(rows, cols), never negative; values below the
 * numerical-rank threshold ε·max(rows, cols)·σ_max are reported as exactly 0.
 */
export function singularValues(m: DenseMatrix): number[] {
  assertDenseMatrix(m)
  // autoTranspose keeps wide matrices on ml-matrix's supported path (it warns and is less
  // accurate otherwise); the vectors are not needed, so skip them.
  const svd = new SingularValueDecomposition(toMatrix(m), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  })
  const n = Math.min(m.rows, m.cols)
  const sigma = svd.diagonal.slice(0, n).sort((a, b) => b - a)
  // Round-off leaves ~1e-16·σ_max where the true value is 0. Harmless for norms, but a quasi-norm
  // raises it to p < 1 (p = 1/2: ~1e-8 relative), so a rank-deficient M would get a spurious floor.
  const cutoff = Number.EPSILON * Math.max(m.rows, m.cols) * Math.max(0, sigma[0])
  return sigma.map((s) => (s > cutoff ? s : 0))
}

function sigmaOf(x: SpectrumSource): ArrayLike<number> {
  return isDenseMatrix(x) ? singularValues(x) : x
}

function maxOf(sigma: ArrayLike<number>): number {
  let mx = 0
  for (let i = 0; i < sigma.length; i++) mx = Math.max(mx, Math.abs(sigma[i]))
  return mx
}

/** Largest singular value ‖m‖₂ (0 for the zero matrix). */
export function spectralNorm(x: SpectrumSource): number {
  return maxOf(sigmaOf(x))
}

/** Nuclear norm Σσ (the Schatten-1 norm). */
export function nuclearNorm(x: SpectrumSource): number {
  const sigma = sigmaOf(x)
  let s = 0
  for (let i = 0; i < sigma.length; i++) s += Math.abs(sigma[i])
  return s
}

/** Σσ^p for p > 0: the p-th power of the Schatten norm, which is what energy floors need. */
export function schattenPowerSum(x: SpectrumSource, p: number): number {
  checkP(p)
  const sigma = sigmaOf(x)
  let s = 0
  for (let i = 0; i < sigma.length; i++) {
    const v = Math.abs(sigma[i])
    // 0^p is 0 for p > 0; skip explicitly so tiny p cannot turn round-off into a unit contribution.
    if (v > 0) s += Math.pow(v, p)
  }
  return s
}

/** Schatten-p (quasi-)norm (Σσ^p)^(1/p) for any p > 0; p = Infinity gives σ_max. */
export function schattenNorm(x: SpectrumSource, p: number): number {
  checkP(p)
  const sigma = sigmaOf(x)
  const mx = maxOf(sigma)
  if (mx === 0 || p === Infinity) return mx
  // Factor out σ_max: for small p, (Σσ^p)^(1/p) raises a sum near the count of singular values to
  // a large power, which overflows or loses digits without the rescaling.
  let s = 0
  for (let i = 0; i < sigma.length; i++) {
    const v = Math.abs(sigma[i]) / mx
    if (v > 0) s += Math.pow(v, p)
  }
  return mx * Math.pow(s, 1 / p)
}

/** exp of the Shannon entropy of σ/Σσ: between 1 and the rank; 0 for the zero matrix. */
export function effectiveRank(x: SpectrumSource): number {
  const sigma = sigmaOf(x)
  const total = nuclearNorm(sigma)
  if (total === 0) return 0
  let h = 0
  for (let i = 0; i < sigma.length; i++) {
    const q = Math.abs(sigma[i]) / total
    if (q > 0) h -= q * Math.log(q)
  }
  return Math.exp(h)
}

/** ‖m‖_F² / σ_max²: a rank proxy insensitive to small singular values; 0 for the zero matrix. */
export function stableRank(x: SpectrumSource): number {
  const sigma = sigmaOf(x)
  const mx = maxOf(sigma)
  if (mx === 0) return 0
  let s = 0
  for (let i = 0; i < sigma.length; i++) s += (sigma[i] / mx) ** 2
  return s
}

export interface SpectralSummary {
  rows: number
  cols: number
  /** All singular values, descending. */
  singularValues: number[]
  /** The first topK singular values (fewer if the matrix is smaller). */
  topSingularValues: number[]
  frobenius: number
  spectralNorm: number
  nuclearNorm: number
  /** Schatten (quasi-)norms at the requested p's, in the order asked. */
  schatten: { p: number; value: number }[]
  effectiveRank: number
  stableRank: number
}

export interface SpectralSummaryOptions {
  topK?: number
  /** Default [2/3, 1/2]: the S_{2/L} quasi-norms that bound deep linear nets with L = 3 and 4. */
  schattenP?: number[]
}

/** Every spectral measurement of m from a single SVD. */
export function spectralSummary(m: DenseMatrix, options: SpectralSummaryOptions = {}): SpectralSummary {
  const { topK = 5, schattenP = [2 / 3, 1 / 2] } = options
  const sigma = singularValues(m)
  return {
    rows: m.rows,
    cols: m.cols,
    singularValues: sigma,
    topSingularValues: sigma.slice(0, Math.max(0, topK)),
    // From the entries rather than σ: exact up to summation error, independent of SVD accuracy.
    frobenius: Math.sqrt(frobeniusSquared(m)),
    spectralNorm: spectralNorm(sigma),
    nuclearNorm: nuclearNorm(sigma),
    schatten: schattenP.map((p) => ({ p, value: schattenNorm(sigma, p) })),
    effectiveRank: effectiveRank(sigma),
    stableRank: stableRank(sigma),
  }
}

function checkP(p: number): void {
  if (!(p > 0)) throw new Error(`Schatten p must be > 0, got ${p}`)
}
