import { describe, expect, it } from 'vitest'
import type { Clocks } from '../../../shared/analysis-types'
import type { RunSummary } from '../../../shared/run-types'
import { mergeClocks } from './run-clocks'

const curves = {
  train_acc: { name: 'train_acc', steps: [0, 20, 40, 60], values: [0.1, 0.5, 0.995, 1] },
  test_acc: { name: 'test_acc', steps: [0, 20, 40, 60], values: [0, 0, 0.2, 0.4] },
}

describe('mergeClocks', () => {
  it('takes T_mem / T_gen from live evaluations while a run trains', () => {
    expect(mergeClocks(null, null, curves)).toMatchObject({ T_mem: 40, T_gen: null, T_fit: null })
  })

  it('prefers the stored summary, then the clocks computed at the end', () => {
    const summary = { tMem: 30, tGen: 50 } as RunSummary
    expect(mergeClocks(null, summary, curves)).toMatchObject({ T_mem: 30, T_gen: 50 })
    const ended = { thresholds: { epsilon: 0.01, accuracy: 0.99, delta: 0.05, churn: 0.01 }, T_fit: 25, T_margin: 20, T_mem: 35, T_gen: 55, T_struct: 90, T_freeze: null, delay: 20, ratio: 1.6 } as Clocks
    expect(mergeClocks(ended, summary, curves)).toEqual({ T_fit: 25, T_margin: 20, T_mem: 35, T_gen: 55, T_struct: 90, T_freeze: null })
  })

  it('uses the analysis threshold for the live crossing', () => {
    const ended = { thresholds: { epsilon: 0.01, accuracy: 0.5, delta: 0.05, churn: 0.01 }, T_mem: null, T_gen: null } as Clocks
    expect(mergeClocks(ended, null, curves)).toMatchObject({ T_mem: 20, T_gen: null })
  })
})
