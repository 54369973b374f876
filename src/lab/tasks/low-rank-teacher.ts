import { LabError } from '../../shared/lab-error'
import { Rng } from '../random'

/** This generator's own seeded stream, so it never shifts the split/init/batch streams. */
const LOW_RANK_STREAM = 11

/** Inputs as a row-major [n, dim] matrix and their class labels. */
export interface LowRankSplit {
  n: number
  x: Float32Array
  label: Int32Array
}

export interface LowRankTeacherDataset {
  dim: number
  classes: number
  rank: number
  /** M* = A Bᵀ, row-major [classes, dim], of rank `rank`. */
  teacher: Float32Array
  train: LowRankSplit
  test: LowRankSplit
}

export interface LowRankTeacherOptions {
  dim: number
  classes: number
  rank: number
  n_train: number
  n_test: number
  seed: number
}

/**
 * The low-rank linear teacher of TC: M* = A Bᵀ with A [classes, rank], B [dim, rank] standard
 * Gaussian, x ~ N(0, I_dim), label = argmax(M* x). Draw order (teacher, train, test) is fixed,
 * so the same seed always gives the same data.
 */
export function makeLowRankTeacher(o: LowRankTeacherOptions): LowRankTeacherDataset {
  const { dim, classes, rank } = o
  if (classes < 2) throw new LabError(`classes must be ≥ 2 for an argmax label, got ${classes}`)
  if (rank > Math.min(classes, dim)) {
    throw new LabError(`rank (${rank}) must be ≤ min(classes, dim) = ${Math.min(classes, dim)} for a rank-${rank} teacher`)
  }
  const rng = new Rng(o.seed, LOW_RANK_STREAM)
  const a = gaussian(rng, classes * rank)
  const b = gaussian(rng, dim * rank)
  const teacher = new Float32Array(classes * dim)
  for (let c = 0; c < classes; c++) {
    for (let j = 0; j < dim; j++) {
      let s = 0
      for (let k = 0; k < rank; k++) s += a[c * rank + k] * b[j * rank + k]
      teacher[c * dim + j] = s
    }
  }
  const split = (n: number): LowRankSplit => {
    const x = Float32Array.from(gaussian(rng, n * dim))
    return { n, x, label: teacherLabels(teacher, classes, x, dim) }
  }
  const train = split(o.n_train)
  return { dim, classes, rank, teacher, train, test: split(o.n_test) }
}

/** argmax over classes of M x for every row x of a row-major [n, dim] matrix. */
export function teacherLabels(teacher: Float32Array, classes: number, x: Float32Array, dim: number): Int32Array {
  const n = x.length / dim
  const label = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let best = -Infinity
    for (let c = 0; c < classes; c++) {
      let s = 0
      for (let j = 0; j < dim; j++) s += teacher[c * dim + j] * x[i * dim + j]
      if (s > best) {
        best = s
        label[i] = c
      }
    }
  }
  return label
}

function gaussian(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = rng.normal()
  return out
}
