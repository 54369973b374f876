import { describe, expect, it } from 'vitest'
import { LIVE_LOSS_START, liveLogBounds } from './live-axis'

describe('liveLogBounds', () => {
  it('spans whole decades with room below and above the data', () => {
    expect(liveLogBounds([{ values: [4.6, 3.9] }, { values: [4.7, 5.2] }])).toEqual({ min: 1e-3, max: 100 })
  })

  it('starts where the first losses of a run land', () => {
    expect(liveLogBounds([{ values: [Math.log(97)] }], LIVE_LOSS_START)).toBe(LIVE_LOSS_START)
  })

  it('holds still while the data stays inside, so appended points need no new axis', () => {
    const first = liveLogBounds([{ values: [4.6] }])!
    const falling = { values: [4.6, 0.5, 0.01, 0.002] }
    expect(liveLogBounds([falling], first)).toBe(first)
  })

  it('widens, and only widens, once a value leaves', () => {
    const first = { min: 1e-4, max: 100 }
    expect(liveLogBounds([{ values: [4.6, 5e-4] }], { min: 1e-3, max: 100 })).toEqual({ min: 1e-7, max: 100 })
    expect(liveLogBounds([{ values: [4.6, 300] }], first)).toEqual({ min: 1e-4, max: 1e4 })
  })

  it('keeps to 9 decades where the data allows (ECharts ticks 10 or more only every 10 decades)', () => {
    const first = { min: 1e-4, max: 100 }
    expect(liveLogBounds([{ values: [4.6, 5e-5] }], first)).toEqual({ min: 1e-7, max: 100 })
    expect(liveLogBounds([{ values: [1e-5, 300] }], first)).toEqual({ min: 1e-5, max: 1e4 })
    // Data wider than 9 decades is still inside.
    expect(liveLogBounds([{ values: [3e-9, 5] }], first)).toEqual({ min: 1e-9, max: 100 })
  })

  it('ignores what a log axis cannot draw, and has no bounds without a positive value', () => {
    expect(liveLogBounds([{ values: [0, -1, NaN, Infinity] }])).toBeUndefined()
    const kept = { min: 1e-3, max: 10 }
    expect(liveLogBounds([{ values: [0] }], kept)).toBe(kept)
    expect(liveLogBounds([{ values: [0, 2, Infinity] }])).toEqual({ min: 1e-3, max: 100 })
  })
})
