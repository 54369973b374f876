import { describe, expect, it } from 'vitest'
import { EvalDelivery } from './eval-delivery'

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))

describe('evaluations delivered as they arrive', () => {
  it('delivers in the order queued, even when a later one arrives first, and drains', async () => {
    const d = new EvalDelivery()
    const seen: number[] = []
    const first = later(30, 0)
    const second = later(1, 1)
    d.add(async () => void seen.push(await first))
    d.add(async () => void seen.push(await second))
    expect(seen).toEqual([])
    await d.drained()
    expect(seen).toEqual([0, 1])
  })

  it('a failed delivery surfaces at the next drain, and none after it runs', async () => {
    const d = new EvalDelivery()
    const seen: string[] = []
    d.add(async () => {
      await later(1, 0)
      throw new Error('store full')
    })
    d.add(async () => void seen.push('after'))
    // Nothing unhandled while nobody drains.
    await later(10, 0)
    await expect(d.drained()).rejects.toThrow('store full')
    expect(seen).toEqual([])
  })

  it('keeps the first failure as soon as it happens, for the next step to throw without draining', async () => {
    const d = new EvalDelivery()
    expect(() => d.throwIfFailed()).not.toThrow()
    d.add(async () => {
      throw new Error('disk full')
    })
    d.add(async () => {
      throw new Error('second')
    })
    await later(5, 0)
    expect(() => d.throwIfFailed()).toThrow('disk full')
  })
})
