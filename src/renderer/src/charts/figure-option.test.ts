import { describe, expect, it } from 'vitest'
import type { LineFigure } from '../../../shared/figures'
import { fullOption, insideExtents, SeriesDataCache } from './figure-option'

const theme = { text: '#fff', muted: '#888', line: '#333', panel: '#111' }

function figure(series: { id: string; steps: number[]; values: number[] }[], scale: 'linear' | 'log' = 'linear'): LineFigure {
  return {
    title: 'Loss',
    x: { label: 'step', scale: 'linear', min: 0, max: 100 },
    y: { label: 'loss', scale },
    series: series.map((s) => ({ ...s, name: s.id, color: '#000' })),
    markers: [],
  }
}

describe('SeriesDataCache.appended', () => {
  it('hands over only the points a live curve gained since the chart last held it', () => {
    const train = { id: 'train', steps: [0, 10], values: [3, 2] }
    const test = { id: 'test', steps: [0], values: [4] }
    const cache = new SeriesDataCache()
    const f = figure([train, test])
    fullOption(f, theme, cache)
    cache.markShown(f)
    expect(cache.shownPoints()).toBe(3)
    train.steps.push(20)
    train.values.push(1)
    expect(cache.appended(figure([train, test]))).toEqual([
      { id: 'train', data: [[20, 1]] },
      { id: 'test', data: [] },
    ])
    cache.markShown(figure([train, test]))
    expect(cache.appended(figure([train, test]))).toEqual([
      { id: 'train', data: [] },
      { id: 'test', data: [] },
    ])
  })

  it('asks for a full update when a series is new, replaced or shorter, or the scale changed', () => {
    const train = { id: 'train', steps: [0, 10], values: [3, 2] }
    const cache = new SeriesDataCache()
    cache.markShown(figure([train]))
    expect(cache.appended(figure([train, { id: 'test', steps: [0], values: [1] }]))).toBeNull()
    expect(cache.appended(figure([{ id: 'train', steps: [0, 10], values: [3, 2] }]))).toBeNull()
    expect(cache.appended(figure([train], 'log'))).toBeNull()
    train.steps.length = 1
    train.values.length = 1
    expect(cache.appended(figure([train]))).toBeNull()
  })

  it('keeps undrawable values as gaps on a log axis', () => {
    const s = { id: 'margin', steps: [0], values: [1] }
    const cache = new SeriesDataCache()
    cache.markShown(figure([s], 'log'))
    s.steps.push(10)
    s.values.push(-1)
    expect(cache.appended(figure([s], 'log'))).toEqual([{ id: 'margin', data: [[10, null]] }])
  })
})

describe('insideExtents', () => {
  it('accepts points on or inside both extents, gaps included', () => {
    expect(insideExtents([{ data: [[0, 0], [100, 1], [50, null]] }], [0, 100], [0, 1])).toBe(true)
  })

  it('refuses a point beyond either extent, and extents that are not known', () => {
    expect(insideExtents([{ data: [[101, 0.5]] }], [0, 100], [0, 1])).toBe(false)
    expect(insideExtents([{ data: [[50, 1e-4]] }], [0, 100], [1e-3, 10])).toBe(false)
    expect(insideExtents([{ data: [] }], [0, Number.NaN], [0, 1])).toBe(false)
  })
})
