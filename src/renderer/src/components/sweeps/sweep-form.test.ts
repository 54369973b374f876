import { describe, expect, it } from 'vitest'
import { parseAxis, parseOverrides, runCount } from './sweep-form'

describe('sweep form', () => {
  it('reads axis values as --set reads them', () => {
    expect(parseAxis({ key: 'wd', values: '0.1, 0.3,1' })).toEqual({ values: [0.1, 0.3, 1], error: null })
    expect(parseAxis({ key: 'op', values: 'add,mul' }).values).toEqual(['add', 'mul'])
    expect(parseAxis({ key: 'batch_size', values: 'null, 64' }).values).toEqual([null, 64])
    expect(parseAxis({ key: 'wd_per_layer.E', values: '0,1' }).values).toEqual([0, 1])
  })

  it('says what is wrong with an axis', () => {
    expect(parseAxis({ key: 'wd', values: ' , ' }).error).toMatch(/at least one value/)
    expect(parseAxis({ key: '', values: '1' }).error).toMatch(/choose a key/)
    expect(parseAxis({ key: 'nope', values: '1' }).error).toMatch(/unknown config key 'nope'/)
  })

  it('reads key=value override lines, skipping blanks and comments', () => {
    expect(parseOverrides('steps=200\n\n# a comment\neval_every=50')).toEqual({ config: { steps: 200, eval_every: 50 }, error: null })
    expect(parseOverrides('steps').error).toMatch(/key=value/)
  })

  it('counts runs as the product of the axes times the seeds', () => {
    expect(runCount([{ values: [1, 2, 3] }, { values: [1, 2] }], 3)).toBe(18)
    expect(runCount([{ values: [1, 2] }, { values: [] }], 2)).toBe(0)
    expect(runCount([], 5)).toBe(0)
  })
})
