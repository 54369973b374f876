import { LabError } from '../../shared/lab-error'
import { Rng } from '../random'

/** Seeded streams of this task; distinct from RNG_STREAM and the other tasks' so none shifts another. */
const STREAM_FACTORS = 21
const STREAM_MASK = 22

/** Matrix completion (LD): a low-rank target and which of its entries are observed. */
export interface MatrixCompletionData {
  dim: number
  rank: number
  /** M*, row-major dim × dim. */
  target: Float32Array
  /** 1 where the entry is observed (train), 0 where it is held out (test); row-major. */
  mask: Float32Array
  /** Number of observed entries (the 1s of `mask`). */
  observed: number
  /** Root mean square of all entries of M* (1 by construction): the unit of the accuracy tolerance. */
  rms: number
}

/**
 * M* ∝ Σ_k v_k v_kᵀ with v_k ~ N(0, I) (SCIENCE.md's "vvᵀ"), scaled to root mean square exactly 1,
 * and exactly round(frac·dim²) entries observed, chosen by a seeded shuffle (at least one entry
 * on each side). Deterministic in (dim, rank, frac, seed).
 */
export function makeMatrixCompletion(dim: number, rank: number, frac: number, seed: number): MatrixCompletionData {
  if (rank > dim) throw new LabError(`rank (${rank}) must be ≤ dim (${dim}) for matrix completion`)
  if (dim < 2) throw new LabError(`dim must be ≥ 2 for matrix completion (got ${dim}): it needs observed and held-out entries`)
  const rng = new Rng(seed, STREAM_FACTORS)
  const factors = Array.from({ length: rank }, () => Float64Array.from({ length: dim }, () => rng.normal()))
  const target = new Float32Array(dim * dim)
  let sumSq = 0
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      let s = 0
      for (const v of factors) s += v[i] * v[j]
      target[i * dim + j] = s
      sumSq += s * s
    }
  }
  // Rescale to rms exactly 1, so losses read in units of rms(M*)² whatever the seed draws.
  const scale = 1 / Math.sqrt(sumSq / (dim * dim))
  for (let k = 0; k < target.length; k++) target[k] *= scale
  const total = dim * dim
  const observed = Math.min(total - 1, Math.max(1, Math.round(frac * total)))
  const order = new Rng(seed, STREAM_MASK).shuffle(Array.from({ length: total }, (_, i) => i))
  const mask = new Float32Array(total)
  for (let k = 0; k < observed; k++) mask[order[k]] = 1
  return { dim, rank, target, mask, observed, rms: 1 }
}
