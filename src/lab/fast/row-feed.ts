import type { ModularSplit } from '../tasks/modular-arithmetic'

/** One member's tensors by name, for any model (the fast path's weights and gradients). */
export type MemberParams = Record<string, Float32Array>

/** Pairs of every member, as the graphs take them: stacked table-row indices and scaled one-hot targets. */
export interface RowFeed {
  rows: number
  ia: BigInt64Array
  ib: BigInt64Array
  /** Class labels [K, N]. */
  labels: BigInt64Array
  /** One-hot labels divided by N, [K, N, p] (only for training steps). */
  target?: Float32Array
  /** For each member's token (row k·p + t), the stacked rows whose a (b) is t, padded with K·N (a zero row): [K·p, seg]. */
  segA?: BigInt64Array
  segB?: BigInt64Array
  seg?: number
  /** A minibatch, made afresh each step: an engine may serve every minibatch of this size with one set of buffers instead of keeping each feed's. */
  minibatch?: boolean
}

/** Rows per token, padded to the longest list with `pad`: a fixed-order segment sum's index table. */
function segments(tokens: BigInt64Array, tables: number, pad: number): { seg: BigInt64Array; width: number } {
  const lists: number[][] = Array.from({ length: tables }, () => [])
  tokens.forEach((t, row) => lists[Number(t)].push(row))
  const width = Math.max(1, ...lists.map((l) => l.length))
  const seg = new BigInt64Array(tables * width).fill(BigInt(pad))
  lists.forEach((l, t) => l.forEach((row, j) => (seg[t * width + j] = BigInt(row))))
  return { seg, width }
}

/** Builds the feed for K members' splits of equal size (member k's token t is table row k·p + t). */
export function makeRowFeed(splits: ModularSplit[], p: number, withTarget: boolean): RowFeed {
  const n = splits[0].a.length
  if (splits.some((s) => s.a.length !== n)) throw new Error('members of a batch must have splits of the same size')
  const k = splits.length
  const ia = new BigInt64Array(k * n)
  const ib = new BigInt64Array(k * n)
  const labels = new BigInt64Array(k * n)
  const target = withTarget ? new Float32Array(k * n * p) : undefined
  splits.forEach((s, m) => {
    for (let i = 0; i < n; i++) {
      ia[m * n + i] = BigInt(m * p + s.a[i])
      ib[m * n + i] = BigInt(m * p + s.b[i])
      labels[m * n + i] = BigInt(s.label[i])
      if (target) target[(m * n + i) * p + s.label[i]] = 1 / n
    }
  })
  if (!withTarget) return { rows: n, ia, ib, labels }
  // Both tables padded to one width, so one graph input shape serves both.
  const a = segments(ia, k * p, k * n)
  const b = segments(ib, k * p, k * n)
  const width = Math.max(a.width, b.width)
  const widen = (s: { seg: BigInt64Array; width: number }) => {
    if (s.width === width) return s.seg
    const out = new BigInt64Array(k * p * width).fill(BigInt(k * n))
    for (let t = 0; t < k * p; t++) out.set(s.seg.subarray(t * s.width, (t + 1) * s.width), t * width)
    return out
  }
  return { rows: n, ia, ib, labels, target, segA: widen(a), segB: widen(b), seg: width }
}

/** Per-member evaluation results (arrays of length K). */
export interface EvalMetrics {
  loss: Float32Array
  acc: Float32Array
  minMargin?: Float32Array
  reluActive?: Float32Array
  reluChurn?: Float32Array
  /** onnxruntime's ReLU pattern [K·N·hidden], 1 = active, kept by the engine for the next evaluation's churn. */
  active?: Uint8Array
}
