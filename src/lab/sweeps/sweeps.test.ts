import { describe, expect, it } from 'vitest'
import { computeClocks } from '../analysis/clocks'
import { linearFit, scalingForm, tQuantile975 } from './scaling-fit'
import { gridPoints, parseGridAxis } from './sweep-grid'
import { classifyPhase } from './sweep-report'
import { defaultBatch, planUnits } from './batch-plan'
import { parseRunConfig } from '../../shared/run-config'

describe('sweep grid', () => {
  it('parses axes and takes their product', () => {
    const axes = [parseGridAxis('wd=0.1,0.3'), parseGridAxis('op=add,mul'), parseGridAxis('wd_per_layer.E=0,1')]
    expect(axes[0]).toEqual({ key: 'wd', values: [0.1, 0.3] })
    const points = gridPoints(axes)
    expect(points).toHaveLength(8)
    expect(points[0]).toEqual({ wd: 0.1, op: 'add', 'wd_per_layer.E': 0 })
  })
  it('refuses malformed or duplicate axes and gridded seeds', () => {
    expect(() => parseGridAxis('wd')).toThrow(/key=v1,v2/)
    expect(() => parseGridAxis('nope=1,2')).toThrow(/unknown config key 'nope'/)
    expect(() => gridPoints([parseGridAxis('wd=1'), parseGridAxis('wd=2')])).toThrow(/twice/)
    expect(() => gridPoints([parseGridAxis('seed=1,2')])).toThrow(/--seeds/)
  })
})

describe('scaling fits', () => {
  it('recovers a known line, with an interval that contains it', () => {
    const x = [0, 1, 2, 3, 4, 5]
    const noise = [0.1, -0.2, 0.05, 0.15, -0.1, 0]
    const fit = linearFit(x, x.map((v, i) => 2 - 1.5 * v + noise[i]))!
    expect(fit.slope).toBeCloseTo(-1.5, 1)
    expect(fit.slopeInterval![0]).toBeLessThan(-1.5)
    expect(fit.slopeInterval![1]).toBeGreaterThan(-1.5)
    expect(fit.r2).toBeGreaterThan(0.98)
  })
  it('has no interval from two points and no fit from one', () => {
    expect(linearFit([1, 2], [3, 5])).toMatchObject({ slope: 2, slopeInterval: null })
    expect(linearFit([1], [3])).toBeNull()
    expect(linearFit([1, 1, 1], [1, 2, 3])).toBeNull()
  })
  it('uses Student t quantiles', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3)
    expect(tQuantile975(4)).toBeCloseTo(2.776, 3)
    expect(tQuantile975(1000)).toBeCloseTo(1.96, 2)
  })
  it('predicts T_gen ∝ 1/λ and (1/λ)·log α', () => {
    expect(scalingForm('T_gen', 'wd', { wd: 1, lr: 1e-3 })).toEqual({ form: 'power', predicted: { value: -1, source: expect.any(String) } })
    expect(scalingForm('T_mem', 'wd', { wd: 1, lr: 1e-3 }).predicted).toBeNull()
    expect(scalingForm('T_gen', 'init_scale', { wd: 0.5, lr: 0.01 }).predicted!.value).toBeCloseTo(200, 10)
  })
})

describe('phases', () => {
  const clocks = (trainAt: number | null, testAt: number | null) =>
    computeClocks([
      { name: 'train_acc', steps: [0, 100, 1000], values: [0, trainAt === 100 ? 1 : 0, trainAt !== null ? 1 : 0], wallSeconds: [0, 0, 0] },
      { name: 'test_acc', steps: [0, 100, 1000], values: [0, testAt === 100 ? 1 : 0, testAt !== null ? 1 : 0], wallSeconds: [0, 0, 0] },
    ])
  it('classifies runs like the phase maps of Liu et al.', () => {
    expect(classifyPhase(clocks(null, null), 10)).toBe('no fit')
    expect(classifyPhase(clocks(100, null), 10)).toBe('memorized')
    expect(classifyPhase(clocks(100, 1000), 10)).toBe('grokked')
    expect(classifyPhase(clocks(100, 100), 10)).toBe('generalized without delay')
  })
})

describe('batch plan', () => {
  const run = (id: number, over: Record<string, unknown>, fromStep: number | null = null) => ({
    id,
    config: parseRunConfig({ p: 11, frac: 0.5, steps: 100, lr: 1e-3, ...over }),
    fromStep,
  })
  it('spreads a sweep over its workers when the batch size is not given', () => {
    expect(defaultBatch(8, 1)).toBe(8)
    expect(defaultBatch(8, 2)).toBe(4)
    expect(defaultBatch(20, 2)).toBe(8)
    expect(defaultBatch(3, 4)).toBe(1)
    expect(defaultBatch(0, 1)).toBe(1)
  })
  it('batches runs that differ only in per-member values, up to the batch size', () => {
    const pending = [1, 2, 3, 4, 5].map((id) => run(id, { seed: id, wd: id / 2 }))
    expect(planUnits(pending, 2)).toEqual([
      { ids: [1, 2], resume: false },
      { ids: [3, 4], resume: false },
      { ids: [5], resume: false },
    ])
    expect(planUnits(pending, 1).map((u) => u.ids)).toEqual([[1], [2], [3], [4], [5]])
  })
  it('keeps apart runs of another shape, schedule or checkpoint step, and models without a fast path', () => {
    const pending = [
      run(1, {}),
      run(2, { hidden: 64 }),
      run(3, { steps: 200 }),
      run(4, {}, 40),
      run(5, {}, 40),
      run(6, { model: 'deep-linear' }),
      run(7, { model: 'deep-linear' }),
      run(8, { fast_path: 'off' }),
      run(9, { model: 'transformer-1l' }),
      run(10, { model: 'transformer-1l', seed: 3 }),
    ]
    const units = planUnits(pending, 8)
    expect(units.map((u) => u.ids).sort()).toEqual([[1], [2], [3], [4, 5], [6], [7], [8], [9, 10]].sort())
    expect(units.find((u) => u.ids.includes(4))!.resume).toBe(true)
  })
})
