import { describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/run-config'
import { predict, type GmActivation } from './gm-closed-form'
import { makeGmSplits } from './gm-data'
import { jacobianGram, jacobianTimes, normLoweringTangent, tangentPoint, TANGENT_MAX_OUTPUTS, type ParamDirection } from './gm-tangent'
import { makeTangentCheck } from './gm-tangent-check'

const P = 5
const WIDTH = 16
const config = parseRunConfig({ model: 'gm-two-layer', pairs: 'unordered', p: P, frac: 0.7, hidden: WIDTH, optimizer: 'sgd', lr: 0.1, steps: 40, eval_every: 20 })
const { train } = makeGmSplits(config)
const wave = (n: number, a: number, b: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * a + b) * 0.8 + 0.1 * Math.cos(i * 0.37))
const E = wave(P * WIDTH, 1.3, 0.2)
const W = wave(WIDTH * P, 0.7, 1.1)
const sizeE = P * WIDTH

const basis = (k: number): ParamDirection => {
  const v = { e: new Float64Array(sizeE), w: new Float64Array(sizeE) }
  if (k < sizeE) v.e[k] = 1
  else v.w[k - sizeE] = 1
  return v
}

/** J [n·p, params] column by column. */
function explicitJacobian(act: GmActivation): Float64Array[] {
  const at = tangentPoint(train, E, W, WIDTH, act)
  return Array.from({ length: 2 * sizeE }, (_, k) => jacobianTimes(at, basis(k)))
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}
const flat = (v: ParamDirection) => Float64Array.from([...v.e, ...v.w])

describe("Musat 2025's norm-lowering tangent g̃ (Eq. 28–29)", () => {
  it('J·v is the derivative of the training outputs along v (central differences, quadratic σ)', () => {
    const v = { e: wave(sizeE, 0.9, 0.4), w: wave(sizeE, 2.1, 0.3) }
    const jv = jacobianTimes(tangentPoint(train, E, W, WIDTH, 'quadratic'), v)
    const eps = 1e-5
    const plus = predict(train, E.map((x, i) => x + eps * v.e[i]), W.map((x, i) => x + eps * v.w[i]), WIDTH, 'quadratic')
    const minus = predict(train, E.map((x, i) => x - eps * v.e[i]), W.map((x, i) => x - eps * v.w[i]), WIDTH, 'quadratic')
    for (let r = 0; r < jv.length; r++) expect(jv[r]).toBeCloseTo((plus[r] - minus[r]) / (2 * eps), 6)
  })

  it('the structured JJᵀ equals J·Jᵀ formed from J', () => {
    for (const act of ['relu', 'quadratic'] as const) {
      const columns = explicitJacobian(act)
      const g = jacobianGram(tangentPoint(train, E, W, WIDTH, act))
      const m = train.n * P
      for (let r = 0; r < m; r++) {
        for (let r2 = 0; r2 < m; r2++) {
          let s = 0
          for (const col of columns) s += col[r] * col[r2]
          expect(g[r * m + r2]).toBeCloseTo(s, 9)
        }
      }
    }
  })

  it('g̃ is orthogonal to every row of J, and is the projection of −θ onto their complement', () => {
    for (const act of ['relu', 'quadratic'] as const) {
      const g = normLoweringTangent(train, E, W, WIDTH, act)
      const gFlat = flat(g)
      const theta = Float64Array.from([...E, ...W])
      const columns = explicitJacobian(act)
      const m = train.n * P
      let rowNorms = 0
      for (let r = 0; r < m; r++) {
        const row = Float64Array.from(columns, (col) => col[r])
        rowNorms = Math.max(rowNorms, Math.sqrt(dot(row, row)))
        expect(Math.abs(dot(row, gFlat))).toBeLessThan(1e-7 * Math.sqrt(dot(row, row)) * Math.sqrt(dot(gFlat, gFlat)))
      }
      expect(rowNorms).toBeGreaterThan(0)
      // A projection: what it removes from −θ is orthogonal to what it keeps, and it lowers ‖θ‖.
      const removed = theta.map((t, i) => -t - gFlat[i])
      expect(Math.abs(dot(removed, gFlat))).toBeLessThan(1e-8 * dot(theta, theta))
      expect(dot(gFlat, theta)).toBeLessThan(0)
      expect(dot(gFlat, gFlat)).toBeLessThan(dot(theta, theta))
    }
  })

  it('refuses a size whose JJᵀ would be too large, in one line', () => {
    const big = { ...train, n: TANGENT_MAX_OUTPUTS, p: 2 }
    expect(() => normLoweringTangent(big, E, W, WIDTH, 'relu')).toThrow(/n·p ≤ 1024/)
  })

  it('the run check compares the update over the window before an evaluation with g̃ at its start', () => {
    const check = makeTangentCheck(config, train)!
    expect([0, 9, 10, 29, 30].filter((s) => check.wants(s))).toEqual([10, 30])
    check.mark(10, E, W)
    const g = normLoweringTangent(train, E, W, WIDTH, 'relu')
    // Moving exactly along g̃ reads 1, against it −1; an evaluation whose window was not kept, nothing.
    expect(check.measure(20, E.map((x, i) => x + 0.01 * g.e[i]), W.map((x, i) => x + 0.01 * g.w[i])).gm_tangent_cos).toBeCloseTo(1, 9)
    expect(check.measure(20, E.map((x, i) => x - 0.01 * g.e[i]), W.map((x, i) => x - 0.01 * g.w[i])).gm_tangent_cos).toBeCloseTo(-1, 9)
    expect(check.measure(40, E, W)).toEqual({})
    // Every unit dead (E = 0 under a ReLU): J is zero, g̃ undefined, and the evaluation goes on without it.
    check.mark(30, new Float64Array(E.length), W)
    expect(check.measure(40, E, W)).toEqual({})
    expect(makeTangentCheck(parseRunConfig({ ...config, p: 37, hidden: 512 }), makeGmSplits(parseRunConfig({ ...config, p: 37 })).train)).toBeUndefined()
  })
})
