import { LabError } from '../../shared/lab-error'
import { Rng } from '../random'

/** This generator's own seeded stream, so it never shifts the split/init/batch streams. */
const SPARSE_LINEAR_STREAM = 12

/** Inputs as a row-major [n, dim] matrix and labels y ∈ {−1, +1}. */
export interface BinarySplit {
  n: number
  x: Float32Array
  y: Float32Array
}

export interface SparseLinearDataset {
  dim: number
  /** w*: ±1 on the support, 0 elsewhere. */
  teacher: Float32Array
  /** Indices of w*'s non-zeros, ascending. */
  support: Int32Array
  train: BinarySplit
  test: BinarySplit
}

export interface SparseLinearOptions {
  dim: number
  sparsity: number
  n_train: number
  n_test: number
  input_dist: 'gaussian' | 'rademacher'
  seed: number
  /**
   * ℓ2 gap γ ≥ 0 kept from the teacher's boundary: each x moves γ further along ±ŵ, ŵ = w* / ‖w*‖ (away
   * from the boundary, so its label is unchanged). γ > 0 makes the data separable by a large
   * ℓ2 margin, LD's setting for misgrokking. Default 0: plain inputs.
   */
  margin?: number
}

/**
 * LD's sparse linear classification: w* has `sparsity` entries ±1 on a random support, x is
 * standard Gaussian or Rademacher, y = sign⟨w*, x⟩ with sign(0) = +1 (ties occur only for
 * Rademacher inputs with an even support). Draw order (teacher, train, test) is fixed.
 */
export function makeSparseLinear(o: SparseLinearOptions): SparseLinearDataset {
  const { dim, sparsity } = o
  const margin = o.margin ?? 0
  if (sparsity < 1 || sparsity > dim) throw new LabError(`sparsity (${sparsity}) must be between 1 and dim (${dim})`)
  if (!(margin >= 0)) throw new LabError(`margin must be ≥ 0, got ${margin}`)
  const rng = new Rng(o.seed, SPARSE_LINEAR_STREAM)
  const support = Int32Array.from(rng.shuffle(Array.from({ length: dim }, (_, i) => i)).slice(0, sparsity)).sort()
  const teacher = new Float32Array(dim)
  for (const j of support) teacher[j] = rng.next() < 0.5 ? -1 : 1
  const unit = 1 / Math.sqrt(sparsity)
  const split = (n: number): BinarySplit => {
    const x = new Float32Array(n * dim)
    const y = new Float32Array(n)
    for (let i = 0; i < n; i++) {
      const row = x.subarray(i * dim, (i + 1) * dim)
      for (let j = 0; j < dim; j++) row[j] = o.input_dist === 'gaussian' ? rng.normal() : rng.next() < 0.5 ? -1 : 1
      let s = 0
      for (const j of support) s += teacher[j] * row[j]
      y[i] = s >= 0 ? 1 : -1
      if (margin > 0) for (const j of support) row[j] += y[i] * margin * teacher[j] * unit
    }
    return { n, x, y }
  }
  const train = split(o.n_train)
  return { dim, teacher, support, train, test: split(o.n_test) }
}
