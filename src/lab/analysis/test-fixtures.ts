// Seeded random matrices for the analysis tests only (not re-exported): tests must be reproducible
// and independent of the lab's own Rng so that a change there cannot silently move these fixtures.
import { Matrix, QrDecomposition } from 'ml-matrix'
import { fromMatrix, type DenseMatrix } from './dense-matrix'

/** mulberry32 uniform in [0, 1) plus Box–Muller normals. */
export function makeRng(seed: number): { uniform: () => number; normal: () => number } {
  let state = seed >>> 0
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const normal = (): number => {
    const u = 1 - uniform() // (0, 1]: keeps log finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform())
  }
  return { uniform, normal }
}

/** rows × cols matrix of i.i.d. N(0, sd²) entries in Float64. */
export function gaussian(rng: ReturnType<typeof makeRng>, rows: number, cols: number, sd = 1): DenseMatrix {
  return { data: Float64Array.from({ length: rows * cols }, () => sd * rng.normal()), rows, cols }
}

/** rows × cols (rows ≥ cols) with orthonormal columns, from the QR of a Gaussian matrix. */
export function orthonormalColumns(rng: ReturnType<typeof makeRng>, rows: number, cols: number): Matrix {
  const g = gaussian(rng, rows, cols)
  return new QrDecomposition(Matrix.from1DArray(rows, cols, g.data)).orthogonalMatrix
}

/** a · diag(d) · bᵀ as a DenseMatrix. */
export function productWithDiag(a: Matrix, d: readonly number[], b: Matrix): DenseMatrix {
  return fromMatrix(a.mmul(Matrix.diag(d)).mmul(b.transpose()))
}
