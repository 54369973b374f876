import { describe, expect, it } from 'vitest'
import { divergingLut, dominantFrequencies, frequencyOrder, LUT_CENTER, LUT_SIZE, lutIndex, matrixShape, maxAbs, paintValues, permuteLines, tokenAxis } from './heatmap-data'
import { buildHeatmapFigure, heatmapOrder } from './heatmap-figure'

const p = 31

/** rows[i][a] = amp_i · cos(2π k_i a / p + phase_i): neurons tuned to k_i over the token axis on cols. */
function tuned(ks: number[], amps = ks.map(() => 1)): Float32Array {
  const out = new Float32Array(ks.length * p)
  ks.forEach((k, i) => {
    for (let a = 0; a < p; a++) out[i * p + a] = amps[i] * Math.cos((2 * Math.PI * k * a) / p + 0.3 * i)
  })
  return out
}

describe('matrixShape', () => {
  it('keeps matrices, makes 1-D one row and flattens trailing axes with a note', () => {
    expect(matrixShape([4, 5])).toEqual({ rows: 4, cols: 5, note: null })
    expect(matrixShape([7])).toMatchObject({ rows: 1, cols: 7 })
    expect(matrixShape([7]).note).toContain('one row')
    const m = matrixShape([2, 3, 4])
    expect(m).toMatchObject({ rows: 2, cols: 12 })
    expect(m.note).toContain('[2, 12]')
  })
})

describe('diverging colour map', () => {
  const lut = divergingLut()
  it('maps 0 to the centre entry, which is near white', () => {
    expect(lutIndex(0, 1)).toBe(LUT_CENTER)
    const c = Array.from(lut.subarray(LUT_CENTER * 4, LUT_CENTER * 4 + 3))
    for (const x of c) expect(x).toBeGreaterThan(235)
  })
  it('maps v and −v to mirrored entries, and clamps past the ends', () => {
    for (const v of [0.001, 0.1, 0.25, 0.5, 0.777, 1, 3]) {
      expect(lutIndex(-v, 1)).toBe(LUT_SIZE - 1 - lutIndex(v, 1))
    }
    expect(lutIndex(5, 1)).toBe(LUT_SIZE - 1)
    expect(lutIndex(-5, 1)).toBe(0)
    expect(lutIndex(NaN, 1)).toBe(-1)
  })
  it('is blue for negative and red for positive, with mirrored lightness', () => {
    const rgb = (i: number) => Array.from(lut.subarray(i * 4, i * 4 + 3))
    const [r0, , b0] = rgb(0)
    const [r1, , b1] = rgb(LUT_SIZE - 1)
    expect(b0).toBeGreaterThan(r0)
    expect(r1).toBeGreaterThan(b1)
    const light = ([r, g, b]: number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b
    for (let j = 0; j <= LUT_CENTER; j += 16) {
      expect(Math.abs(light(rgb(LUT_CENTER - j)) - light(rgb(LUT_CENTER + j)))).toBeLessThan(45)
    }
  })
  it('paints the same bytes as lutIndex and grey for NaN', () => {
    const values = [-2, -0.5, 0, 0.5, 2, NaN]
    const out = new Uint8ClampedArray(values.length * 4)
    paintValues(values, 1, out)
    values.forEach((v, i) => {
      const idx = lutIndex(v, 1)
      const want = idx < 0 ? [128, 128, 128, 255] : Array.from(lut.subarray(idx * 4, idx * 4 + 4))
      expect(Array.from(out.subarray(i * 4, i * 4 + 4))).toEqual(want)
    })
  })
  it('finds the largest finite |value|', () => {
    expect(maxAbs([1, -3, 2, NaN, Infinity])).toBe(3)
  })
})

describe('frequencyOrder', () => {
  it('sorts cosine rows by their frequency, tokens on the columns', () => {
    const ks = [7, 2, 11, 2, 5, 15, 1]
    const o = frequencyOrder(tuned(ks), ks.length, p, p, 'cols')
    expect(o.axis).toBe('rows')
    expect(Array.from(o.frequency)).toEqual(ks)
    expect(Array.from(o.order).map((i) => ks[i])).toEqual([...ks].sort((a, b) => a - b))
    for (const s of o.share) expect(s).toBeGreaterThan(0.99)
    expect(o.groups.map((g) => g.label)).toEqual(['k=1', 'k=2', 'k=5', 'k=7', 'k=11', 'k=15'])
    expect(o.groups[1]).toMatchObject({ start: 1, end: 3 })
  })
  it('orders equal frequencies by falling share and puts dead lines last', () => {
    const mixed = tuned([3, 3, 4])
    // Row 0: some power leaks to k=9, so its share of k=3 is lower than row 1's.
    for (let a = 0; a < p; a++) mixed[a] += 0.5 * Math.cos((2 * Math.PI * 9 * a) / p)
    const values = new Float32Array(4 * p)
    values.set(mixed)
    values.fill(0.25, 3 * p) // constant: no non-constant power
    const o = frequencyOrder(values, 4, p, p, 'cols')
    expect(Array.from(o.order)).toEqual([1, 0, 2, 3])
    expect(o.frequency[3]).toBe(0)
    expect(o.groups[o.groups.length - 1]).toMatchObject({ label: 'none', start: 3, end: 4 })
  })
  it('gives the same answer computed in line ranges (the page splits large tensors into tasks)', () => {
    const ks = [3, 8, 1, 12, 5, 5, 9]
    const values = tuned(ks)
    const whole = frequencyOrder(values, ks.length, p, p, 'cols')
    const frequency = new Int32Array(ks.length)
    const share = new Float32Array(ks.length)
    for (let from = 0; from < ks.length; from += 3) dominantFrequencies(values, ks.length, p, p, 'cols', frequency, share, from, Math.min(ks.length, from + 3))
    expect(Array.from(frequency)).toEqual(Array.from(whole.frequency))
    expect(Array.from(share)).toEqual(Array.from(whole.share))
  })
  it('sorts columns when the tokens are on the rows', () => {
    const ks = [4, 1, 9]
    const rowsMajor = tuned(ks) // [3, p]
    const transposed = new Float32Array(p * 3)
    for (let i = 0; i < 3; i++) for (let a = 0; a < p; a++) transposed[a * 3 + i] = rowsMajor[i * p + a]
    const o = frequencyOrder(transposed, p, 3, p, 'rows')
    expect(o.axis).toBe('cols')
    expect(Array.from(o.order)).toEqual([1, 0, 2])
    const sorted = permuteLines(transposed, p, 3, 'cols', o.order)
    expect(sorted[0]).toBeCloseTo(transposed[1])
  })
})

describe('heatmap figure', () => {
  it('finds the token axis and builds a sorted figure with row groups', () => {
    expect(tokenAxis(256, p, p)).toBe('cols')
    expect(tokenAxis(p, 64, p)).toBe('rows')
    expect(tokenAxis(128, 256, p)).toBeNull()
    const ks = [5, 1, 3]
    const data = tuned(ks)
    const order = heatmapOrder([3, p], data, p)!
    const fig = buildHeatmapFigure({ name: 'W_out', shape: [3, p], data, step: 10, sort: { order } }, p)
    expect(fig.rowGroups?.map((g) => g.label)).toEqual(['k=1', 'k=3', 'k=5'])
    expect(fig.colLabel).toBe('token')
    expect(fig.values[0]).toBeCloseTo(data[p])
    expect(fig.scale.max).toBeCloseTo(-fig.scale.min)
    const plain = buildHeatmapFigure({ name: 'W_out', shape: [3, p], data, step: 10 }, p)
    expect(plain.values).toBe(data)
    expect(JSON.parse(JSON.stringify({ ...plain, values: Array.from(plain.values) })).rows).toBe(3)
  })
})
