import { LabError } from '../../shared/lab-error'
import { choleskyFactor, choleskySolveFactored, hidden, type GmActivation, type GmData } from './gm-closed-form'

// Musat 2025, Eq. 28–29: the direction in which gradient descent with small weight decay should
// move once the training outputs are fitted — minus θ, projected onto the tangent space of the
// level set of the outputs: g̃ = (I − J⁺J)(−θ), J the Jacobian of the n·p training outputs
// σ(XE)W with respect to θ = (E, W), J⁺ = Jᵀ(JJᵀ)⁻¹ (J is wide). All row-major Float64.

/** Largest n·p (rows of J) for which g̃ is computed: JJᵀ is (n·p)² and its solve (n·p)³/3. */
export const TANGENT_MAX_OUTPUTS = 1024

/** A direction in parameter space, by tensor: E [p, width] and W [width, p]. */
export interface ParamDirection {
  e: Float64Array
  w: Float64Array
}

interface Point {
  d: GmData
  h: Float64Array
  dSigma: Float64Array
  w: ArrayLike<number>
  width: number
}

/** J·v: how the training outputs [n, p] change along v = (vE, vW). */
export function jacobianTimes(at: Point, v: ParamDirection): Float64Array {
  const { d, h, dSigma, w, width } = at
  const { n, p, x } = d
  const out = new Float64Array(n * p)
  const a = new Float64Array(width)
  for (let i = 0; i < n; i++) {
    a.fill(0)
    for (let k = 0; k < p; k++) {
      const xik = x[i * p + k]
      if (xik === 0) continue
      for (let j = 0; j < width; j++) a[j] += xik * v.e[k * width + j]
    }
    for (let j = 0; j < width; j++) {
      const aj = a[j] * dSigma[i * width + j]
      const hij = h[i * width + j]
      if (aj === 0 && hij === 0) continue
      for (let c = 0; c < p; c++) out[i * p + c] += aj * w[j * p + c] + hij * v.w[j * p + c]
    }
  }
  return out
}

/** Jᵀ·u for u [n, p], as a parameter direction. */
export function jacobianTransposeTimes(at: Point, u: Float64Array): ParamDirection {
  const { d, h, dSigma, w, width } = at
  const { n, p, x } = d
  const e = new Float64Array(p * width)
  const wOut = new Float64Array(width * p)
  const row = new Float64Array(width)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < width; j++) {
      let t = 0
      for (let c = 0; c < p; c++) t += w[j * p + c] * u[i * p + c]
      row[j] = t * dSigma[i * width + j]
      const hij = h[i * width + j]
      if (hij !== 0) for (let c = 0; c < p; c++) wOut[j * p + c] += hij * u[i * p + c]
    }
    for (let k = 0; k < p; k++) {
      const xik = x[i * p + k]
      if (xik === 0) continue
      for (let j = 0; j < width; j++) e[k * width + j] += xik * row[j]
    }
  }
  return { e, w: wOut }
}

/**
 * JJᵀ [(n·p)², rows (i, c)] without forming J: the W block gives δ_cc'·(HHᵀ)_ii', the E block
 * (XXᵀ)_ii'·Σ_j σ'_ij σ'_i'j W_jc W_jc' — zero unless rows i and i' share a token.
 */
export function jacobianGram(at: Point): Float64Array {
  const { d, h, dSigma, w, width } = at
  const { n, p, x } = d
  const m = n * p
  const g = new Float64Array(m * m)
  const s = new Float64Array(width)
  for (let i = 0; i < n; i++) {
    for (let i2 = 0; i2 <= i; i2++) {
      let hh = 0
      for (let j = 0; j < width; j++) hh += h[i * width + j] * h[i2 * width + j]
      let q = 0
      for (let k = 0; k < p; k++) q += x[i * p + k] * x[i2 * p + k]
      for (let c = 0; c < p; c++) g[(i * p + c) * m + i2 * p + c] += hh
      if (q === 0) continue
      for (let j = 0; j < width; j++) s[j] = q * dSigma[i * width + j] * dSigma[i2 * width + j]
      for (let c = 0; c < p; c++) {
        for (let c2 = 0; c2 < p; c2++) {
          let t = 0
          for (let j = 0; j < width; j++) t += s[j] * w[j * p + c] * w[j * p + c2]
          g[(i * p + c) * m + i2 * p + c2] += t
        }
      }
    }
  }
  // Blocks were filled for i' ≤ i (the lower triangle, and whole diagonal blocks): mirror them.
  for (let r = 0; r < m; r++) for (let r2 = r + 1; r2 < m; r2++) g[r * m + r2] = g[r2 * m + r]
  return g
}

/** The point (E, W) with what J needs: H = σ(XE) and σ'(XE). */
export function tangentPoint(d: GmData, e: ArrayLike<number>, w: ArrayLike<number>, width: number, act: GmActivation): Point {
  return { d, ...hidden(d, e, width, act), w, width }
}

/**
 * g̃ = (I − J⁺J)(−θ) at θ = (E, W) (Eq. 28–29), for n·p ≤ TANGENT_MAX_OUTPUTS. JJᵀ loses rank
 * where rows of J are dependent (dead ReLUs; a quadratic σ on few tokens), so it is factored with
 * a ridge of 1e-10 of its mean diagonal and the solve refined against JJᵀ itself: that converges
 * to the pseudo-inverse's answer, since J(−θ) has no part in JJᵀ's null space.
 */
export function normLoweringTangent(d: GmData, e: ArrayLike<number>, w: ArrayLike<number>, width: number, act: GmActivation): ParamDirection {
  const m = d.n * d.p
  if (m > TANGENT_MAX_OUTPUTS) throw new LabError(`g̃ needs JJᵀ of (n·p)² = ${m}²; it is computed for n·p ≤ ${TANGENT_MAX_OUTPUTS} (a smaller p or train fraction)`)
  const at = tangentPoint(d, e, w, width, act)
  const minus: ParamDirection = { e: Float64Array.from(e, (v) => -v), w: Float64Array.from(w, (v) => -v) }
  const target = jacobianTimes(at, minus)
  const gram = jacobianGram(at)
  const factor = Float64Array.from(gram)
  let trace = 0
  for (let r = 0; r < m; r++) trace += gram[r * m + r]
  for (let r = 0; r < m; r++) factor[r * m + r] += (1e-10 * trace) / m
  choleskyFactor(factor, m, 'JJᵀ is not positive definite at this point (every unit dead?): g̃ is undefined here')
  const u = Float64Array.from(target)
  choleskySolveFactored(factor, m, u, 1)
  for (let pass = 0; pass < REFINEMENTS; pass++) {
    const residual = Float64Array.from(target)
    for (let r = 0; r < m; r++) {
      let s = 0
      for (let c = 0; c < m; c++) s += gram[r * m + c] * u[c]
      residual[r] -= s
    }
    choleskySolveFactored(factor, m, residual, 1)
    for (let r = 0; r < m; r++) u[r] += residual[r]
  }
  const back = jacobianTransposeTimes(at, u)
  return { e: minus.e.map((v, i) => v - back.e[i]), w: minus.w.map((v, i) => v - back.w[i]) }
}

/** Refinement passes: each shrinks the ridge's error on an eigenvalue λ by ε/(λ + ε). */
const REFINEMENTS = 4
