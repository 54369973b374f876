import { describe, expect, it } from 'vitest'
import { placeMarkers, samePlacement } from './chart-markers'

const figure = {
  markers: [
    { x: 200, label: 'T_gen', color: '#E69F00' },
    { x: 30, label: 'T_mem', color: '#56B4E9', dash: 'dotted' as const },
    { x: 30, label: 'T_fit', color: '#009E73' },
    { x: 9000, label: 'T_struct', color: '#CC79A7' },
  ],
}
// A step axis of 0…1000 over px 64…1064.
const toPixel = (x: number) => 64 + x

describe('placeMarkers', () => {
  it('places markers in step order, one label per step on alternating sides, and drops those outside the plot', () => {
    const placed = placeMarkers(figure, toPixel, 64, 1064)
    expect(placed.map((m) => [m.left, m.text, m.side, m.dash])).toEqual([
      [94, 'T_mem · T_fit 30', 'left', 'dotted'],
      [94, undefined, 'left', 'dashed'],
      [264, 'T_gen 200', 'right', 'dashed'],
    ])
  })

  it('keeps a marker on the plot edge and drops one the axis cannot place', () => {
    expect(placeMarkers({ markers: [{ x: 1000, label: 'T_gen', color: '#000' }] }, toPixel, 64, 1064)).toHaveLength(1)
    expect(placeMarkers({ markers: [{ x: 5, label: 'T_gen', color: '#000' }] }, () => NaN, 64, 1064)).toEqual([])
  })

  it('tells a placement that moved from one that did not', () => {
    const a = placeMarkers(figure, toPixel, 64, 1064)
    expect(samePlacement(a, placeMarkers(figure, toPixel, 64, 1064))).toBe(true)
    expect(samePlacement(a, placeMarkers(figure, (x) => 64 + x / 2, 64, 1064))).toBe(false)
    expect(samePlacement(a, a.slice(1))).toBe(false)
  })
})
