import { Rng } from '../random'

/** Seeded streams of this task; distinct from RNG_STREAM and the other tasks' so none shifts another. */
const STREAM_TEACHER = 21
const STREAM_TRAIN = 22
const STREAM_TEST = 23
const STREAM_NOISE = 24

/** A two-layer ReLU teacher f*(x) = Σ_k a_k ReLU(w_k · x), without biases. */
export interface ReluTeacher {
  width: number
  dim: number
  /** w_k as rows, row-major [width, dim]; each row has unit norm. */
  w: Float32Array
  /** Output weights a_k = ±1. */
  a: Float32Array
}

/** One split: inputs row-major [n, dim] and their labels. */
export interface RegressionSplit {
  n: number
  x: Float32Array
  y: Float32Array
}

/** Teacher–student regression (GF). */
export interface TeacherStudentData {
  dim: number
  teacher: ReluTeacher
  train: RegressionSplit
  test: RegressionSplit
  /** Root mean square of the train labels: the unit of the accuracy tolerance. */
  rms: number
}

/** f*(x) for the row-th input of x (row-major [·, dim]). */
export function teacherOutput(t: ReluTeacher, x: Float32Array, row: number): number {
  let out = 0
  for (let k = 0; k < t.width; k++) {
    let pre = 0
    for (let j = 0; j < t.dim; j++) pre += t.w[k * t.dim + j] * x[row * t.dim + j]
    out += t.a[k] * Math.max(0, pre)
  }
  return out
}

/** A seeded teacher: unit-norm Gaussian directions w_k (so w_k·x ~ N(0, 1)), random signs a_k. */
export function makeReluTeacher(dim: number, width: number, seed: number): ReluTeacher {
  const rng = new Rng(seed, STREAM_TEACHER)
  const w = new Float32Array(width * dim)
  const a = new Float32Array(width)
  for (let k = 0; k < width; k++) {
    const row = Float64Array.from({ length: dim }, () => rng.normal())
    const norm = Math.hypot(...row) || 1
    row.forEach((v, j) => (w[k * dim + j] = v / norm))
    a[k] = rng.next() < 0.5 ? -1 : 1
  }
  return { width, dim, w, a }
}

function makeSplit(t: ReluTeacher, n: number, rng: Rng, noise: number, noiseRng: Rng): RegressionSplit {
  const x = Float32Array.from({ length: n * t.dim }, () => rng.normal())
  const y = new Float32Array(n)
  for (let i = 0; i < n; i++) y[i] = teacherOutput(t, x, i) + (noise > 0 ? noise * noiseRng.normal() : 0)
  return { n, x, y }
}

/**
 * x ~ N(0, I_dim); train labels f*(x) + noise·N(0, 1); test labels are the noiseless f*(x), so the
 * test loss measures the distance to the teacher itself. Deterministic in its arguments.
 */
export function makeTeacherStudent(
  dim: number,
  teacherWidth: number,
  nTrain: number,
  nTest: number,
  noise: number,
  seed: number,
): TeacherStudentData {
  const teacher = makeReluTeacher(dim, teacherWidth, seed)
  const train = makeSplit(teacher, nTrain, new Rng(seed, STREAM_TRAIN), noise, new Rng(seed, STREAM_NOISE))
  const test = makeSplit(teacher, nTest, new Rng(seed, STREAM_TEST), 0, new Rng(seed, STREAM_NOISE))
  let sumSq = 0
  for (const v of train.y) sumSq += v * v
  return { dim, teacher, train, test, rms: Math.sqrt(sumSq / nTrain) }
}

