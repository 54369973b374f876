import { LabError } from '../../shared/lab-error'

// Host maths of Musat 2025's two-layer model Ŷ = σ(XE)W, all row-major Float64: X [n, p], E [p, w],
// H = σ(XE) [n, w], W [w, p], Y [n, p]. Used by the simulated dynamics (a solve per step) and by the
// prediction-against-reality measures of real runs, so no tfjs here.

export type GmActivation = 'relu' | 'quadratic'

/** The data and sizes of one split: inputs X [n, p] (sum of one-hots) and one-hot targets Y [n, p]. */
export interface GmData {
  x: Float64Array
  y: Float64Array
  n: number
  p: number
}

/** The output layer at its closed form for one E, with what Eq. 20 reuses. */
export interface ClosedForm {
  /** H = σ(XE) [n, w] and σ'(XE). */
  h: Float64Array
  dSigma: Float64Array
  /** B = A·Y [n, p] with A = (HHᵀ + λI)⁻¹. */
  b: Float64Array
  /** W = Hᵀ·B [w, p] = (HᵀH + λI)⁻¹HᵀY (push-through identity). */
  w: Float64Array
  width: number
}

/** H = σ(XE) and σ'(XE) for X [n, p] with few non-zeros per row. */
export function hidden(d: GmData, e: ArrayLike<number>, width: number, act: GmActivation): { h: Float64Array; dSigma: Float64Array } {
  const { n, p, x } = d
  const z = new Float64Array(n * width)
  for (let i = 0; i < n; i++) {
    const zi = i * width
    for (let k = 0; k < p; k++) {
      const xik = x[i * p + k]
      if (xik === 0) continue
      const ek = k * width
      for (let j = 0; j < width; j++) z[zi + j] += xik * e[ek + j]
    }
  }
  const dSigma = new Float64Array(n * width)
  for (let i = 0; i < z.length; i++) {
    const v = z[i]
    if (act === 'relu') {
      dSigma[i] = v > 0 ? 1 : 0
      z[i] = v > 0 ? v : 0
    } else {
      dSigma[i] = 2 * v
      z[i] = v * v
    }
  }
  return { h: z, dSigma }
}

/** G = HHᵀ + λI [n, n] (both halves filled). */
function gram(h: Float64Array, n: number, width: number, lambda: number): Float64Array {
  const g = new Float64Array(n * n)
  // Four rows j per pass reuse each load of row i: the solve's cost is mostly this product.
  for (let i = 0; i < n; i++) {
    const hi = i * width
    let j = 0
    for (; j + 3 <= i; j += 4) {
      const h0 = j * width
      const h1 = h0 + width
      const h2 = h1 + width
      const h3 = h2 + width
      let s0 = 0
      let s1 = 0
      let s2 = 0
      let s3 = 0
      for (let k = 0; k < width; k++) {
        const v = h[hi + k]
        s0 += v * h[h0 + k]
        s1 += v * h[h1 + k]
        s2 += v * h[h2 + k]
        s3 += v * h[h3 + k]
      }
      g[i * n + j] = g[j * n + i] = s0
      g[i * n + j + 1] = g[(j + 1) * n + i] = s1
      g[i * n + j + 2] = g[(j + 2) * n + i] = s2
      g[i * n + j + 3] = g[(j + 3) * n + i] = s3
    }
    for (; j <= i; j++) {
      const hj = j * width
      let s = 0
      for (let k = 0; k < width; k++) s += h[hi + k] * h[hj + k]
      g[i * n + j] = s
      g[j * n + i] = s
    }
    g[i * n + i] += lambda
  }
  return g
}

const SINGULAR_GRAM = 'HHᵀ + λI is singular: the zero-loss closed form needs width > n and H of full row rank; set wd > 0 (a ridge) or a wider model'

/** Factors G = LLᵀ in place (L in the lower triangle); throws `singular` (a LabError) when G is not positive definite. */
export function choleskyFactor(g: Float64Array, n: number, singular = SINGULAR_GRAM): void {
  for (let j = 0; j < n; j++) {
    const gj = j * n
    let d = g[gj + j]
    for (let m = 0; m < j; m++) d -= g[gj + m] * g[gj + m]
    if (!(d > 1e-12 * (1 + Math.abs(g[gj + j])))) throw new LabError(singular)
    const ljj = Math.sqrt(d)
    g[gj + j] = ljj
    for (let i = j + 1; i < n; i++) {
      const gi = i * n
      let s = g[gi + j]
      for (let m = 0; m < j; m++) s -= g[gi + m] * g[gj + m]
      g[gi + j] = s / ljj
    }
  }
}

/** Solves LLᵀ·X = R in place (R [n, k]) with L from choleskyFactor. */
export function choleskySolveFactored(l: Float64Array, n: number, r: Float64Array, k: number): void {
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < i; m++) {
      const v = l[i * n + m]
      for (let c = 0; c < k; c++) r[i * k + c] -= v * r[m * k + c]
    }
    for (let c = 0; c < k; c++) r[i * k + c] /= l[i * n + i]
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let m = i + 1; m < n; m++) {
      const v = l[m * n + i]
      for (let c = 0; c < k; c++) r[i * k + c] -= v * r[m * k + c]
    }
    for (let c = 0; c < k; c++) r[i * k + c] /= l[i * n + i]
  }
}

/** Solves G·X = R in place (G [n, n] overwritten, R [n, k]) by Cholesky; throws `singular` (a LabError) when G is not positive definite. */
export function choleskySolve(g: Float64Array, n: number, r: Float64Array, k: number, singular = SINGULAR_GRAM): void {
  choleskyFactor(g, n, singular)
  choleskySolveFactored(g, n, r, k)
}

/**
 * The output layer minimizing ‖HW − Y‖² + λ‖W‖² at this E: W = Hᵀ(HHᵀ + λI)⁻¹Y; with λ = 0 the
 * zero-loss limit Hᵀ(HHᵀ)⁻¹Y, which needs width > n.
 */
export function closedForm(d: GmData, e: ArrayLike<number>, width: number, act: GmActivation, lambda: number): ClosedForm {
  const { h, dSigma } = hidden(d, e, width, act)
  const { n, p } = d
  const b = Float64Array.from(d.y)
  choleskySolve(gram(h, n, width, lambda), n, b, p)
  const w = new Float64Array(width * p)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) {
      const hij = h[i * width + j]
      if (hij === 0) continue
      for (let c = 0; c < p; c++) w[j * p + c] += hij * b[i * p + c]
    }
  }
  return { h, dSigma, b, w, width }
}

/**
 * Eq. 20 of Musat 2025: ΔE = Xᵀ((A Y Yᵀ A H) ⊙ σ'(XE)) − E = −∇R(E)/(2λ) for the reduced cost
 * R(E) = λ‖E‖² + λ·Tr(Yᵀ A Y), A = (HHᵀ + λI)⁻¹ (A Y Yᵀ A H = B·(BᵀH)).
 */
export function eq20Delta(d: GmData, e: ArrayLike<number>, cf: ClosedForm): Float64Array {
  const { n, p, x } = d
  const { width, b, h, dSigma } = cf
  const bth = new Float64Array(p * width)
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < p; c++) {
      const bic = b[i * p + c]
      if (bic === 0) continue
      for (let j = 0; j < width; j++) bth[c * width + j] += bic * h[i * width + j]
    }
  }
  const delta = new Float64Array(p * width)
  for (let i = 0; i < delta.length; i++) delta[i] = -e[i]
  const row = new Float64Array(width)
  for (let i = 0; i < n; i++) {
    row.fill(0)
    for (let c = 0; c < p; c++) {
      const bic = b[i * p + c]
      if (bic === 0) continue
      for (let j = 0; j < width; j++) row[j] += bic * bth[c * width + j]
    }
    for (let j = 0; j < width; j++) row[j] *= dSigma[i * width + j]
    for (let k = 0; k < p; k++) {
      const xik = x[i * p + k]
      if (xik === 0) continue
      for (let j = 0; j < width; j++) delta[k * width + j] += xik * row[j]
    }
  }
  return delta
}

/** R(E) = λ‖E‖² + λ·Tr(Yᵀ(HHᵀ + λ_ridge I)⁻¹Y), the loss with W minimized out (times λ when λ_ridge = λ). */
export function reducedCost(d: GmData, e: ArrayLike<number>, width: number, act: GmActivation, lambda: number, lambdaRidge: number): number {
  const cf = closedForm(d, e, width, act, lambdaRidge)
  let norm = 0
  for (let i = 0; i < e.length; i++) norm += e[i] * e[i]
  let tr = 0
  for (let i = 0; i < d.y.length; i++) tr += d.y[i] * cf.b[i]
  return lambda * norm + lambda * tr
}

/** Outputs Ŷ = σ(XE)W [n, p]. */
export function predict(d: GmData, e: ArrayLike<number>, w: ArrayLike<number>, width: number, act: GmActivation): Float64Array {
  const { h } = hidden(d, e, width, act)
  const { n, p } = d
  const out = new Float64Array(n * p)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) {
      const hij = h[i * width + j]
      if (hij === 0) continue
      for (let c = 0; c < p; c++) out[i * p + c] += hij * w[j * p + c]
    }
  }
  return out
}

/** MSE over all n·p entries (torch's MSELoss), argmax accuracy and min margin (target − best other) of outputs against Y. */
export function squaredLossMetrics(d: GmData, out: Float64Array): { loss: number; acc: number; minMargin: number } {
  const { n, p, y } = d
  let sq = 0
  let right = 0
  let minMargin = Infinity
  for (let i = 0; i < n; i++) {
    let best = 0
    let target = 0
    for (let c = 0; c < p; c++) {
      const v = out[i * p + c]
      const r = v - y[i * p + c]
      sq += r * r
      if (v > out[i * p + best]) best = c
      if (y[i * p + c] === 1) target = c
    }
    if (best === target) right++
    let other = -Infinity
    for (let c = 0; c < p; c++) if (c !== target) other = Math.max(other, out[i * p + c])
    minMargin = Math.min(minMargin, out[i * p + target] - other)
  }
  return { loss: sq / (n * p), acc: right / n, minMargin }
}
