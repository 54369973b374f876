// The maths behind the weight heatmap: how a tensor of any rank becomes a matrix, the diverging
// colour map, painting to RGBA, and sorting lines by their dominant Fourier frequency over the token
// axis. Pure (no DOM) so export can paint the same picture headlessly and vitest can check it.

/** A tensor seen as a matrix, with a note when its shape had to be changed to get there. */
export interface MatrixShape {
  rows: number
  cols: number
  /** Why the picture's shape differs from the tensor's, or null when it does not. */
  note: string | null
}

/** How a tensor of `shape` is drawn: matrices as they are, 1-D as one row, >2-D as [shape[0], rest]. */
export function matrixShape(shape: readonly number[]): MatrixShape {
  if (shape.length === 0) return { rows: 1, cols: 1, note: 'a scalar, drawn as one cell' }
  if (shape.length === 1) return { rows: 1, cols: shape[0], note: `1-D [${shape[0]}], drawn as one row` }
  if (shape.length === 2) return { rows: shape[0], cols: shape[1], note: null }
  const rest = shape.slice(1).reduce((a, b) => a * b, 1)
  return { rows: shape[0], cols: rest, note: `${shape.length}-D [${shape.join(', ')}], reshaped to [${shape[0]}, ${rest}] (trailing axes flattened, row-major)` }
}

// ColorBrewer RdBu (colour-blind safe), blue for negative through white to red for positive. Odd
// LUT size so that 0 has a colour of its own and ±v land on exactly mirrored entries.
const RDBU = ['#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b', '#67001f']
export const LUT_SIZE = 255
export const LUT_CENTER = (LUT_SIZE - 1) / 2
/** RGBA painted for NaN/∞: a mid grey no diverging ramp entry uses. */
export const NAN_RGBA = [128, 128, 128, 255] as const

let lutCache: Uint8ClampedArray | null = null

/** The diverging colour map as LUT_SIZE × RGBA bytes (built once, treat as read-only). */
export function divergingLut(): Uint8ClampedArray {
  if (lutCache) return lutCache
  const anchors = RDBU.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)))
  const lut = new Uint8ClampedArray(LUT_SIZE * 4)
  for (let i = 0; i < LUT_SIZE; i++) {
    const t = (i / (LUT_SIZE - 1)) * (anchors.length - 1)
    const j = Math.min(Math.floor(t), anchors.length - 2)
    const f = t - j
    for (let c = 0; c < 3; c++) lut[i * 4 + c] = Math.round(anchors[j][c] * (1 - f) + anchors[j + 1][c] * f)
    lut[i * 4 + 3] = 255
  }
  lutCache = lut
  return lut
}

/** The LUT index of value v on a scale symmetric about 0 with ends ±max; −1 for non-finite v. */
export function lutIndex(v: number, max: number): number {
  if (!Number.isFinite(v)) return -1
  const x = max > 0 ? Math.min(Math.abs(v) / max, 1) : 0
  // Round |v| and mirror, so v and −v always land on mirrored entries (Math.round is not odd).
  const j = Math.round(x * LUT_CENTER)
  return v < 0 ? LUT_CENTER - j : LUT_CENTER + j
}

/** CSS colour of value v on the scale (for colour bars and legends). */
export function colorOf(v: number, max: number): string {
  const i = lutIndex(v, max)
  if (i < 0) return `rgb(${NAN_RGBA[0]},${NAN_RGBA[1]},${NAN_RGBA[2]})`
  const lut = divergingLut()
  return `rgb(${lut[i * 4]},${lut[i * 4 + 1]},${lut[i * 4 + 2]})`
}

/** `n` evenly spaced colours of the diverging map as #rrggbb, −max to +max: colour bars and exported scales. */
export function divergingStops(n = 9): string[] {
  const lut = divergingLut()
  return Array.from({ length: n }, (_, i) => {
    const k = Math.round((i / (n - 1)) * (LUT_SIZE - 1)) * 4
    return `#${[lut[k], lut[k + 1], lut[k + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`
  })
}

/** Largest finite |value| (0 when there is none). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i])
    if (a > m && a !== Infinity) m = a
  }
  return m
}

/** Paints row-major values into `out` (4 bytes per value, e.g. ImageData.data) on the scale ±max. */
export function paintValues(values: ArrayLike<number>, max: number, out: Uint8ClampedArray): void {
  const lut = divergingLut()
  // One multiply per cell instead of lutIndex's divisions: this loop runs on every cache miss.
  const k = max > 0 ? LUT_CENTER / max : 0
  for (let i = 0, o = 0; i < values.length; i++, o += 4) {
    const v = values[i]
    if (v !== v || v === Infinity || v === -Infinity) {
      out[o] = NAN_RGBA[0]
      out[o + 1] = NAN_RGBA[1]
      out[o + 2] = NAN_RGBA[2]
      out[o + 3] = 255
      continue
    }
    const j = Math.min(Math.round((v < 0 ? -v : v) * k), LUT_CENTER)
    const idx = (v < 0 ? LUT_CENTER - j : LUT_CENTER + j) * 4
    out[o] = lut[idx]
    out[o + 1] = lut[idx + 1]
    out[o + 2] = lut[idx + 2]
    out[o + 3] = 255
  }
}

/** Which axis of a [rows, cols] matrix runs over the p tokens (cols wins a tie), or null. */
export function tokenAxis(rows: number, cols: number, p: number): 'rows' | 'cols' | null {
  if (cols === p) return 'cols'
  if (rows === p) return 'rows'
  return null
}

/** Lines sorted by dominant frequency, with the groups of equal frequency in sorted order. */
export interface FrequencyOrder {
  /** The axis being permuted (the one that is not the token axis). */
  axis: 'rows' | 'cols'
  /** order[i] = the original index of the line drawn at position i. */
  order: Int32Array
  /** Dominant frequency of each original line (0: no non-constant power). */
  frequency: Int32Array
  /** Share of the line's non-constant power at its dominant frequency. */
  share: Float32Array
  groups: { label: string; start: number; end: number }[]
}

const tables = new Map<number, { cos: Float64Array; sin: Float64Array; half: number }>()

// Orthonormal real Fourier rows, normalised numerically as src/lab/analysis/fourier-basis.ts does,
// so that the even-p Nyquist row (no sin partner) is not counted twice.
function fourierTables(p: number): { cos: Float64Array; sin: Float64Array; half: number } {
  const hit = tables.get(p)
  if (hit) return hit
  const half = Math.floor(p / 2)
  const cos = new Float64Array((half + 1) * p)
  const sin = new Float64Array((half + 1) * p)
  for (let k = 1; k <= half; k++) {
    let nc = 0
    let ns = 0
    for (let a = 0; a < p; a++) {
      const angle = (2 * Math.PI * ((k * a) % p)) / p
      cos[k * p + a] = Math.cos(angle)
      sin[k * p + a] = Math.sin(angle)
      nc += cos[k * p + a] ** 2
      ns += sin[k * p + a] ** 2
    }
    for (let a = 0; a < p; a++) {
      cos[k * p + a] /= Math.sqrt(nc)
      sin[k * p + a] = ns > 1e-12 ? sin[k * p + a] / Math.sqrt(ns) : 0
    }
  }
  const t = { cos, sin, half }
  tables.set(p, t)
  return t
}

/** The axis whose lines are sorted (the one that is not the token axis) and how many lines it has. */
export function lineAxis(rows: number, cols: number, token: 'rows' | 'cols'): { axis: 'rows' | 'cols'; lines: number } {
  return token === 'rows' ? { axis: 'cols', lines: cols } : { axis: 'rows', lines: rows }
}

/**
 * Fills frequency[l] (dominant k = 1…⌊p/2⌋, 0 for no non-constant power) and share[l] (its share of
 * the line's non-constant power) for lines from…to−1 across `token`, the axis of length p. A range,
 * so that a page can split a large matrix into tasks that each fit in a frame.
 */
export function dominantFrequencies(values: ArrayLike<number>, rows: number, cols: number, p: number, token: 'rows' | 'cols', frequency: Int32Array, share: Float32Array, from = 0, to = lineAxis(rows, cols, token).lines): void {
  const byRows = token === 'cols'
  // Element a of line l: token on cols → values[l·cols + a]; token on rows → values[a·cols + l].
  const lineStride = byRows ? cols : 1
  const tokenStride = byRows ? 1 : cols
  const { cos, sin, half } = fourierTables(p)
  // Each line is gathered into one contiguous float64 buffer first, so the transform reads it
  // p·⌊p/2⌋ times with unit stride.
  const x = new Float64Array(p)
  for (let l = from; l < to; l++) {
    let energy = 0
    for (let a = 0; a < p; a++) {
      const v = values[l * lineStride + a * tokenStride]
      x[a] = v
      energy += v * v
    }
    let best = 0
    let bestPower = 0
    let total = 0
    for (let k = 1; k <= half; k++) {
      const off = k * p
      let c = 0
      let s = 0
      for (let a = 0; a < p; a++) {
        c += x[a] * cos[off + a]
        s += x[a] * sin[off + a]
      }
      const power = c * c + s * s
      total += power
      if (power > bestPower) {
        bestPower = power
        best = k
      }
    }
    // Round-off on a constant or dead line is not a frequency (cf. ROUNDOFF_POWER in fourier-basis;
    // looser here because the inputs are float32).
    const ok = Number.isFinite(total) && total > 1e-12 * energy && bestPower > 0
    frequency[l] = ok ? best : 0
    share[l] = ok ? bestPower / total : 0
  }
}

/** Orders lines by (dominant frequency, falling share, index), lines with no frequency last, and groups them. */
export function sortByFrequency(axis: 'rows' | 'cols', frequency: Int32Array, share: Float32Array): FrequencyOrder {
  const n = frequency.length
  const idx = Array.from({ length: n }, (_, i) => i)
  const key = (i: number) => (frequency[i] === 0 ? Number.MAX_SAFE_INTEGER : frequency[i])
  idx.sort((a, b) => key(a) - key(b) || share[b] - share[a] || a - b)
  const order = Int32Array.from(idx)
  const groups: FrequencyOrder['groups'] = []
  for (let i = 0; i < n; i++) {
    const f = frequency[order[i]]
    const last = groups[groups.length - 1]
    const label = f === 0 ? 'none' : `k=${f}`
    if (last && last.label === label) last.end = i + 1
    else groups.push({ label, start: i, end: i + 1 })
  }
  return { axis, order, frequency, share, groups }
}

/**
 * Sorts the lines of a row-major [rows, cols] matrix (those across `token`, the axis of length p)
 * by their dominant frequency k = 1…⌊p/2⌋, then by falling share; lines with no power last.
 */
export function frequencyOrder(values: ArrayLike<number>, rows: number, cols: number, p: number, token: 'rows' | 'cols'): FrequencyOrder {
  const { axis, lines } = lineAxis(rows, cols, token)
  const frequency = new Int32Array(lines)
  const share = new Float32Array(lines)
  dominantFrequencies(values, rows, cols, p, token, frequency, share)
  return sortByFrequency(axis, frequency, share)
}

/** Copies a row-major matrix with its rows (or cols) drawn in `order`; into `out` when given. */
export function permuteLines(values: ArrayLike<number>, rows: number, cols: number, axis: 'rows' | 'cols', order: Int32Array, out?: Float32Array): Float32Array {
  const dst = out ?? new Float32Array(rows * cols)
  for (let r = 0; r < rows; r++) {
    const sr = axis === 'rows' ? order[r] : r
    for (let c = 0; c < cols; c++) dst[r * cols + c] = values[sr * cols + (axis === 'cols' ? order[c] : c)]
  }
  return dst
}
