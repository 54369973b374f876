import { Matrix } from 'ml-matrix'

/**
 * A row-major matrix as it comes out of a weight snapshot: entry (i, j) is data[i * cols + j].
 * Plain data so that snapshots from tfjs, the store, or IPC can be analysed without conversion.
 */
export interface DenseMatrix {
  data: Float32Array | Float64Array | number[]
  rows: number
  cols: number
}

/** Wraps row-major data as a DenseMatrix; throws if the length does not match rows × cols. */
export function denseMatrix(data: DenseMatrix['data'], rows: number, cols: number): DenseMatrix {
  const m = { data, rows, cols }
  assertDenseMatrix(m)
  return m
}

/** Throws unless m has positive integer dimensions and exactly rows × cols entries. */
export function assertDenseMatrix(m: DenseMatrix, name = 'matrix'): void {
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 1 || m.cols < 1) {
    throw new Error(`${name}: dimensions must be positive integers, got ${m.rows}×${m.cols}`)
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`${name}: expected ${m.rows * m.cols} entries for ${m.rows}×${m.cols}, got ${m.data.length}`)
  }
}

/** Copies a DenseMatrix into an ml-matrix Matrix (Float64). */
export function toMatrix(m: DenseMatrix): Matrix {
  assertDenseMatrix(m)
  return Matrix.from1DArray(m.rows, m.cols, m.data)
}

/** Copies an ml-matrix Matrix into a Float64 DenseMatrix. */
export function fromMatrix(m: Matrix): DenseMatrix {
  return { data: Float64Array.from(m.to1DArray()), rows: m.rows, cols: m.columns }
}

/** Returns mᵀ as a new Float64 DenseMatrix. */
export function transpose(m: DenseMatrix): DenseMatrix {
  assertDenseMatrix(m)
  const { rows, cols, data } = m
  const out = new Float64Array(rows * cols)
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]
  }
  return { data: out, rows: cols, cols: rows }
}

/** Returns a · b in Float64; throws on mismatched inner dimensions. */
export function matmul(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  assertDenseMatrix(a, 'left factor')
  assertDenseMatrix(b, 'right factor')
  if (a.cols !== b.rows) throw new Error(`matmul: cannot multiply ${a.rows}×${a.cols} by ${b.rows}×${b.cols}`)
  const n = a.rows
  const k = a.cols
  const m = b.cols
  const out = new Float64Array(n * m)
  // i-k-j order walks both b and out along rows, which keeps the inner loop sequential in memory.
  for (let i = 0; i < n; i++) {
    const outRow = i * m
    for (let t = 0; t < k; t++) {
      const aik = a.data[i * k + t]
      if (aik === 0) continue
      const bRow = t * m
      for (let j = 0; j < m; j++) out[outRow + j] += aik * b.data[bRow + j]
    }
  }
  return { data: out, rows: n, cols: m }
}

/** Returns factors[0] · factors[1] ⋯ factors[n−1] (mathematical order, left to right). */
export function matmulChain(factors: readonly DenseMatrix[]): DenseMatrix {
  if (factors.length === 0) throw new Error('matmulChain: need at least one factor')
  // Copy even a single factor so callers always get a Float64 result they may mutate.
  assertDenseMatrix(factors[0], 'first factor')
  let acc: DenseMatrix = { data: Float64Array.from(factors[0].data), rows: factors[0].rows, cols: factors[0].cols }
  for (let i = 1; i < factors.length; i++) acc = matmul(acc, factors[i])
  return acc
}

/** Returns the n × n identity as a Float64 DenseMatrix. */
export function identity(n: number): DenseMatrix {
  const data = new Float64Array(n * n)
  for (let i = 0; i < n; i++) data[i * n + i] = 1
  return { data, rows: n, cols: n }
}

/** Returns ‖m‖_F², summed in Float64 whatever the storage type. */
export function frobeniusSquared(m: DenseMatrix): number {
  assertDenseMatrix(m)
  let s = 0
  for (let i = 0; i < m.data.length; i++) s += m.data[i] * m.data[i]
  return s
}

/** Returns c · m as a new Float64 DenseMatrix. */
export function scale(m: DenseMatrix, c: number): DenseMatrix {
  assertDenseMatrix(m)
  return { data: Float64Array.from(m.data, (x) => x * c), rows: m.rows, cols: m.cols }
}
